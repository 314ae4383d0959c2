"""Linkage reads the vault only through identity's one public opener
(`simpul.identity.queries.IdentityOpener`), which refuses exactly what `Keyring.open` refuses
(issue 13, item 2)."""

import ast
import json
import pathlib

import pytest

from simpul.identity.crypto import VaultIntegrityError, VaultKeyError
from simpul.identity.queries import IdentityOpener
from simpul.linkage import source
from tests.linkage.helpers import SEBUNGA, add_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world):
    return [
        add_person("pekerja.sambas", SEBUNGA, full_name="Siti Aminah", birth_date="1995-03-12"),
        add_person("pekerja.sambas", None, full_name="Dewi Lestari", passport="B 7654321"),
    ]


def test_the_opener_gives_each_person_its_identity(two):
    opener = IdentityOpener()
    first, second = two
    assert json.loads(opener.open(first.sealed_identity, str(first.id)))["full_name"] == (
        "Siti Aminah"
    )
    assert json.loads(opener.open(second.sealed_identity, str(second.id)))["passport"] == (
        "B7654321"  # stored normalised
    )
    columns = source.identity_columns([(str(first.id), first.sealed_identity, SEBUNGA, "x")])
    assert columns["full_name"] == ["Siti Aminah"] and columns["region_code"] == [SEBUNGA]


def test_the_opener_refuses_a_moved_damaged_or_unknown_key_ciphertext(two):
    opener = IdentityOpener()
    first, second = two
    with pytest.raises(VaultIntegrityError):  # another person's row: the AAD does not match
        opener.open(first.sealed_identity, str(second.id))
    key_id, _sep, body = first.sealed_identity.partition("$")
    with pytest.raises(VaultIntegrityError):  # not base64
        opener.open(f"{key_id}$***", str(first.id))
    with pytest.raises(VaultIntegrityError):  # no key marker
        opener.open(body, str(first.id))
    with pytest.raises(VaultKeyError):
        opener.open(f"nokey${body}", str(first.id))
    with pytest.raises(VaultIntegrityError):  # a flipped byte fails authentication
        opener.open(f"{key_id}${body[:-4]}AAAA", str(first.id))


def test_linkage_source_opens_no_vault_by_itself():
    """No AES-GCM, no keyring, no private key function in the linkage reader."""
    tree = ast.parse(pathlib.Path(source.__file__).read_text())
    imported = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert not any(module and "cryptography" in module for module, _name in imported)
    assert not any(module == "simpul.identity.crypto" for module, _name in imported)
