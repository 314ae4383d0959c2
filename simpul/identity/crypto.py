"""Authenticated encryption and blind indexes for the identity vault.

Ciphertext format: "<key id>$<base64(nonce || AES-256-GCM ciphertext+tag)>". The associated data
binds a ciphertext to its table, column and row, so a value copied to another row fails to
decrypt. Keys come from SIMPUL_VAULT_KEYS ("id:base64,id:base64"; the first encrypts, all
decrypt) and SIMPUL_BLIND_INDEX_KEY, never from SECRET_KEY. A wrong or missing key raises
`VaultKeyError`/`VaultIntegrityError`; ciphertext is never handed back as if it were data.
"""

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class VaultError(Exception):
    pass


class VaultKeyError(VaultError):
    """The ciphertext names a key this process does not have."""


class VaultIntegrityError(VaultError):
    """The ciphertext does not decrypt under its key: wrong key, tampering or a moved value."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> "Keyring":
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep or not key_id.isalnum():
                raise ImproperlyConfigured("SIMPUL_VAULT_KEYS entries must look like id:base64key")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise ImproperlyConfigured(f"Vault key {key_id} is not valid base64") from exc
            if len(key) != 32:
                raise ImproperlyConfigured(f"Vault key {key_id} must be 32 bytes (AES-256)")
            keys[key_id] = key
            order.append(key_id)
        if not order:
            raise ImproperlyConfigured("SIMPUL_VAULT_KEYS holds no key")
        return cls(current_id=order[0], keys=keys)

    def seal(self, plaintext: bytes, aad: bytes) -> str:
        nonce = os.urandom(12)
        ct = AESGCM(self.keys[self.current_id]).encrypt(nonce, plaintext, aad)
        return f"{self.current_id}${base64.b64encode(nonce + ct).decode()}"

    def open(self, token: str, aad: bytes) -> bytes:
        return VaultOpener(self).open(token, aad)

    def key_id_of(self, token: str) -> str:
        return token.partition("$")[0]


class VaultOpener:
    """Opens vault ciphertexts, many in a row if need be: one AES-GCM object per key, reused.
    Raises `VaultKeyError` for an unknown key and `VaultIntegrityError` for a damaged or
    misplaced ciphertext (nothing broader is caught)."""

    def __init__(self, ring: Keyring) -> None:
        self._ciphers = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}

    def open(self, token: str, aad: bytes) -> bytes:
        key_id, sep, body = token.partition("$")
        if not sep:
            raise VaultIntegrityError("Not a vault ciphertext.")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise VaultKeyError(f"Vault key {key_id!r} is not configured.")
        try:
            raw = base64.b64decode(body, validate=True)
            return cipher.decrypt(raw[:12], raw[12:], aad)
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise VaultIntegrityError("Vault ciphertext failed authentication.") from exc


@lru_cache(maxsize=4)
def _keyring(spec: str) -> Keyring:
    return Keyring.parse(spec)


def keyring() -> Keyring:
    return _keyring(settings.VAULT_KEYS)


def index_key() -> bytes:
    """The blind-index key (keyed hashes of identifiers); only identity derives from it."""
    raw = settings.BLIND_INDEX_KEY
    try:
        key = base64.b64decode(raw, validate=True)
    except binascii.Error:
        key = raw.encode()
    if len(key) < 32:
        raise ImproperlyConfigured("SIMPUL_BLIND_INDEX_KEY must be at least 32 bytes")
    return key


def normalise_for_index(value: str) -> str:
    """NFKC, casefold, and no spaces, dots or dashes: 'A 1234-567' and 'a1234567' index alike."""
    value = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in value if ch.isalnum() or ch == "+")


def blind_index(kind: str, value: str, *, length: int = 64) -> str:
    """Keyed HMAC-SHA256 of a normalised value, separated per kind (nik, passport, phone, name)."""
    message = f"{kind}:{normalise_for_index(value)}".encode()
    return hmac.new(index_key(), message, hashlib.sha256).hexdigest()[:length]


def seal_text(text: str, aad: str) -> str:
    """Seal free text (a narrative, a note) under the vault keys, bound to `aad`."""
    return keyring().seal(text.encode(), aad.encode()) if text else ""


def open_text(token: str, aad: str) -> str:
    return keyring().open(token, aad.encode()).decode() if token else ""
