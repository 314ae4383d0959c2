"""DP-02, DP-03, DP-07: the identity vault keeps identities encrypted, findable and audited."""

import base64
import logging
import os
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.core.errors import StaleRecordError
from simpul.identity.actions import create_person, person_aad, rotate_vault_keys, update_identity
from simpul.identity.crypto import (
    Keyring,
    VaultIntegrityError,
    VaultKeyError,
    _keyring,
    blind_index,
    keyring,
)
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import find_by_identifier, reveal_identity, search_persons
from tests.conftest import sign_in
from tests.sqlite_files import stored_bytes

CANARY_NAME = "Zulaikha Kanaritomo"
CANARY_NIK = "6101094507880031"
CANARY_PHONE = "081377712345"
CANARY_PHONE_E164 = "6281377712345"


def _new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _record_canary() -> Person:
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    person, warnings = create_person(
        worker,
        IdentityData(
            full_name=CANARY_NAME, nik=CANARY_NIK, phone=CANARY_PHONE, address="Dusun Kanari"
        ),
        owner_agency=agency,
        scope_region=None,
    )
    assert warnings == []
    return person


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_canary_identity_never_reaches_the_database_file_a_dump_or_the_logs(
    world, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    person = _record_canary()
    client = sign_in(Client(), "pekerja.sambas")
    client.get("/persons/")
    client.post("/persons/", {"q": CANARY_NAME})
    client.get(f"/persons/{person.id}/")
    revealed = client.post(f"/persons/{person.id}/reveal/", {"reason": "preparing the assessment"})
    assert CANARY_NAME in revealed.content.decode()  # the reveal itself works

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(FULL)")
        # Read by a child process: this process must never open the database file itself
        # (tests/sqlite_files.py says why).
        stored = stored_bytes(connection.settings_dict["NAME"])
    else:
        pg_dump = shutil.which("pg_dump")
        assert pg_dump, "pg_dump is needed for the PostgreSQL dump check"
        s = connection.settings_dict
        stored = subprocess.run(
            [pg_dump, "-h", s["HOST"] or "127.0.0.1", "-U", s["USER"], s["NAME"]],
            check=True,
            capture_output=True,
        ).stdout
    assert len(stored) > 10_000
    for secret in [CANARY_NAME, "Kanaritomo", CANARY_NIK, CANARY_PHONE_E164, "Dusun Kanari"]:
        assert secret.encode() not in stored, secret
        assert secret.lower().encode() not in stored.lower(), secret
        assert secret not in caplog.text, secret


@pytest.mark.django_db
def test_ciphertext_is_bound_to_its_row(world):
    person = _record_canary()
    other = Person.objects.exclude(pk=person.pk).first()
    with pytest.raises(VaultIntegrityError):
        keyring().open(person.sealed_identity, person_aad(other.id))


@pytest.mark.django_db
def test_a_wrong_key_raises_instead_of_returning_data(world, settings):
    person = _record_canary()
    settings.VAULT_KEYS = f"{keyring().current_id}:{_new_key()}"
    _keyring.cache_clear()
    with pytest.raises(VaultIntegrityError):
        keyring().open(person.sealed_identity, person_aad(person.id))
    settings.VAULT_KEYS = f"other:{_new_key()}"
    _keyring.cache_clear()
    with pytest.raises(VaultKeyError):
        keyring().open(person.sealed_identity, person_aad(person.id))
    _keyring.cache_clear()


@pytest.mark.django_db
def test_key_rotation_reencrypts_everything_and_old_keys_can_then_go(world, settings):
    _record_canary()
    old = settings.VAULT_KEYS
    settings.VAULT_KEYS = f"k9:{_new_key()},{old}"
    _keyring.cache_clear()
    total = Person.objects.count()
    assert rotate_vault_keys(batch_size=7) == total
    assert set(Person.objects.values_list("key_id", flat=True)) == {"k9"}
    assert rotate_vault_keys() == 0
    settings.VAULT_KEYS = settings.VAULT_KEYS.split(",")[0]  # drop the old key entirely
    _keyring.cache_clear()
    person = Person.objects.get(nik_index=blind_index("nik", CANARY_NIK))
    data = IdentityData.from_bytes(keyring().open(person.sealed_identity, person_aad(person.id)))
    assert data.full_name == CANARY_NAME
    assert AuditEvent.objects.filter(action="vault.rotate_keys").count() >= 1
    _keyring.cache_clear()


def test_keyring_rejects_bad_key_specs():
    from django.core.exceptions import ImproperlyConfigured

    for spec in ["", "k1", "k1:notbase64!!", "k1:" + base64.b64encode(b"short").decode()]:
        with pytest.raises(ImproperlyConfigured):
            Keyring.parse(spec)


@override_settings(BLIND_INDEX_KEY=base64.b64encode(b"i" * 32).decode())
def test_blind_index_is_keyed_and_not_a_plain_hash():
    import hashlib

    value = blind_index("nik", CANARY_NIK)
    assert value != hashlib.sha256(CANARY_NIK.encode()).hexdigest()
    assert value != hashlib.sha256(f"nik:{CANARY_NIK}".encode()).hexdigest()
    with override_settings(BLIND_INDEX_KEY=base64.b64encode(b"j" * 32).decode()):
        assert blind_index("nik", CANARY_NIK) != value
    assert blind_index("passport", CANARY_NIK) != value  # kinds are separated


@settings(max_examples=60, deadline=None)
@given(
    spaces=st.lists(st.sampled_from([" ", "", "-", "."]), min_size=16, max_size=16),
    upper=st.booleans(),
)
def test_blind_index_absorbs_spacing_and_case(spaces, upper):
    passport = "c1234567ab9k3zx4"
    variant = "".join(ch + sep for ch, sep in zip(passport, spaces, strict=True))
    variant = variant.upper() if upper else variant
    assert blind_index("passport", variant) == blind_index("passport", passport)


@pytest.mark.django_db
def test_exact_lookup_by_nik_and_phone_finds_the_person_in_scope_only(world):
    person = _record_canary()
    worker = User.objects.get(username="pekerja.sambas")
    outsider = User.objects.get(username="pekerja.tpi")
    assert list(find_by_identifier(worker, "nik", "6101 0945 0788 0031")) == [person]
    assert list(find_by_identifier(worker, "phone", "+62 813-7771-2345")) == [person]
    assert list(find_by_identifier(outsider, "nik", CANARY_NIK)) == []


@pytest.mark.django_db
def test_name_search_absorbs_old_spelling_and_muhammad_variants(world):
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    person, _ = create_person(
        worker,
        IdentityData(full_name="Moch. Djoko Soeharto", aliases=["Joko Gondrong"]),
        owner_agency=agency,
        scope_region=None,
    )
    for query in ["Muhammad Joko Suharto", "joko suharto", "M Djoko", "gondrong"]:
        assert person in search_persons(worker, query), query
    assert person not in search_persons(worker, "Joko Santoso")


@pytest.mark.django_db
def test_invalid_identity_is_refused_field_by_field_and_nothing_is_stored(world):
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    before = Person.objects.count()
    with pytest.raises(ValidationError) as exc:
        create_person(
            worker,
            IdentityData(full_name=" ", nik="6101097201900001", phone="12ab", birth_date="2090"),
            owner_agency=agency,
            scope_region=None,
        )
    assert set(exc.value.message_dict) == {"full_name", "nik", "phone", "birth_date"}
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_an_unknown_nik_district_is_a_warning_not_an_error(world):
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    # 61.01.99 does not exist; the NIK is otherwise valid.
    person, warnings = create_person(
        worker,
        IdentityData(full_name="Ahmad Riyadi", nik="6101990101900001"),
        owner_agency=agency,
        scope_region=None,
    )
    assert person.pk
    assert len(warnings) == 1
    assert "district code" in warnings[0] or "kecamatan" in warnings[0].lower()


@pytest.mark.django_db
def test_recording_for_another_agency_is_refused(world):
    worker = User.objects.get(username="pekerja.sambas")
    other = Agency.objects.get(name="UPTD PPA Kota Tanjungpinang")
    before = Person.objects.count()
    with pytest.raises(PermissionDenied):
        create_person(
            worker, IdentityData(full_name="Budi Santoso"), owner_agency=other, scope_region=None
        )
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_a_stale_identity_update_is_refused_and_changes_nothing(world):
    worker = User.objects.get(username="pekerja.sambas")
    person = _record_canary()
    update_identity(worker, person, IdentityData(full_name="Zulaikha K."), expected_version=1)
    sealed = Person.objects.get(pk=person.pk).sealed_identity
    with pytest.raises(StaleRecordError):
        update_identity(worker, person, IdentityData(full_name="Overwrite"), expected_version=1)
    assert Person.objects.get(pk=person.pk).sealed_identity == sealed
    assert Person.objects.get(pk=person.pk).version == 2


@pytest.mark.django_db
def test_lists_show_masked_names_and_reveal_needs_a_reason_and_is_audited(world):
    person = _record_canary()
    client = sign_in(Client(), "pekerja.sambas")
    page = client.get("/persons/").content.decode()
    assert person.masked_name == "Z••• K•••"
    assert "Z••• K•••" in page and CANARY_NAME not in page
    refused = client.post(f"/persons/{person.id}/reveal/", {"reason": "too short"})
    assert refused.status_code == 422
    assert CANARY_NAME not in refused.content.decode()
    # The refusal is audited (issue 21, finding 8), the identity was not read.
    refusal = AuditEvent.objects.get(action="person.reveal", record_id=str(person.id))
    assert (refusal.outcome, refusal.reason, refusal.fields) == ("denied", "no_reason", [])
    shown = client.post(f"/persons/{person.id}/reveal/", {"reason": "preparing the assessment"})
    assert shown.status_code == 200
    assert CANARY_NAME in shown.content.decode()
    event = AuditEvent.objects.get(action="person.reveal", record_id=str(person.id), outcome="ok")
    assert event.reason == "preparing the assessment"
    assert event.actor_username == "pekerja.sambas"
    assert "full_name" in event.fields


@pytest.mark.django_db
def test_reveal_is_refused_without_a_verified_second_factor(world):
    person = _record_canary()
    worker = User.objects.get(username="pekerja.sambas")
    with pytest.raises(PermissionDenied):
        from django.test import RequestFactory

        request = RequestFactory().post("/")
        request.user = worker  # signed in with a password only: no is_verified()
        reveal_identity(worker, person, "preparing the assessment", request=request)
    assert (
        AuditEvent.objects.filter(
            action="person.reveal", record_id=str(person.id), outcome="denied"
        ).count()
        == 1
    )
