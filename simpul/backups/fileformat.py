"""The encrypted backup file: a header, then AES-256-GCM chunks (docs/backups.md).

    header  = "SIMPULBK" | version (1 byte) | key id length (1) | key id (ASCII)
              | salt (32 random bytes) | chunk size (4, big-endian) | key check (32)
    chunk   = last flag (1 byte, 0 or 1) | ciphertext length (4, big-endian) | ciphertext+tag

The file key is HKDF-SHA256(backup key, salt, "simpul-backup/v1/<key id>"): 64 bytes, the first
32 encrypt, the last 32 make the key check, an HMAC of the header before it. A fresh salt per
file means a fresh key per file, so the chunk nonce can be the chunk's position: eleven bytes of
counter and the last flag (the STREAM construction). Every chunk authenticates the whole header
as associated data, so a changed header, a chunk moved, dropped or taken from another file, and
a file cut after any chunk but the last one flagged as last all fail. The key check tells a
wrong key (refused before any chunk is read) from a damaged file, and commits the file to one
key (GCM alone does not).

Chunk 0 holds the manifest (JSON); the chunks after it hold the payload (a pg_dump custom
archive or an SQLite database file) in pieces of at most the chunk size.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAGIC = b"SIMPULBK"
VERSION = 1
CHUNK_SIZE = 1024 * 1024
MAX_MANIFEST = 16 * 1024 * 1024
SALT_BYTES = 32
TAG_BYTES = 16
_CHECK_LABEL = b"simpul-backup key check"


class BackupKeyMissing(ImproperlyConfigured):
    """No SIMPUL_BACKUP_KEY: backups can be neither written nor read."""


class BackupFileError(Exception):
    """The file is refused; `code` says why (stored on a failed drill), the message for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class BackupKeyring:
    current_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> "BackupKeyring":
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep or not key_id.isalnum() or not key_id.isascii() or len(key_id) > 16:
                raise ImproperlyConfigured("SIMPUL_BACKUP_KEY entries must look like id:base64key")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise ImproperlyConfigured(f"Backup key {key_id} is not valid base64") from exc
            if len(key) != 32:
                raise ImproperlyConfigured(f"Backup key {key_id} must be 32 bytes")
            keys[key_id] = key
            order.append(key_id)
        if not order:
            raise BackupKeyMissing(
                "SIMPUL_BACKUP_KEY is not set: backups can be neither written nor read."
            )
        return cls(current_id=order[0], keys=keys)


@lru_cache(maxsize=4)
def _keyring(spec: str) -> BackupKeyring:
    return BackupKeyring.parse(spec)


def keyring() -> BackupKeyring:
    return _keyring(settings.BACKUP_KEYS)


def _derive(key: bytes, salt: bytes, key_id: str) -> tuple[bytes, bytes]:
    material = HKDF(
        algorithm=hashes.SHA256(),
        length=64,
        salt=salt,
        info=b"simpul-backup/v1/" + key_id.encode("ascii"),
    ).derive(key)
    return material[:32], material[32:]


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class BackupWriter:
    """Writes the header and the manifest at once, then the payload in chunks; `close()`
    writes the last chunk (possibly empty), without which a reader reports a truncated file."""

    def __init__(
        self,
        out: BinaryIO,
        manifest: dict[str, Any],
        ring: BackupKeyring,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self._out = out
        self._chunk_size = chunk_size
        key_id = ring.current_id
        salt = os.urandom(SALT_BYTES)
        enc_key, check_key = _derive(ring.keys[key_id], salt, key_id)
        raw_id = key_id.encode("ascii")
        head = MAGIC + bytes([VERSION, len(raw_id)]) + raw_id + salt + struct.pack(">I", chunk_size)
        self._header = head + hmac.new(check_key, _CHECK_LABEL + head, hashlib.sha256).digest()
        self._aead = AESGCM(enc_key)
        self._counter = 0
        self._buffer = bytearray()
        self._closed = False
        self.bytes_written = 0
        self._emit(self._header)
        body = json.dumps(manifest, sort_keys=True).encode()
        if len(body) > MAX_MANIFEST:
            raise ValueError("manifest too large")
        self._chunk(body, last=False)

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self.bytes_written += len(data)

    def _chunk(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._counter, last), plain, self._header)
        self._emit(bytes([1 if last else 0]) + struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def write(self, data: bytes) -> None:
        self._buffer += data
        size = self._chunk_size
        while len(self._buffer) >= size:
            self._chunk(bytes(self._buffer[:size]), last=False)
            del self._buffer[:size]

    def close(self) -> None:
        if not self._closed:
            self._chunk(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


class BackupReader:
    """Reads and checks a backup file. Opening it checks the header, the key and the manifest;
    `verify()` authenticates every chunk without keeping any plaintext; `payload()` yields the
    decrypted payload (authenticated chunk by chunk). Every refusal is a `BackupFileError`."""

    def __init__(self, fh: BinaryIO, ring: BackupKeyring) -> None:
        self._fh = fh
        fixed = self._read_exact(len(MAGIC) + 2, "not_a_backup")
        if fixed[: len(MAGIC)] != MAGIC:
            raise BackupFileError("not_a_backup", "This file is not a Simpul backup.")
        version, id_length = fixed[len(MAGIC)], fixed[len(MAGIC) + 1]
        if version != VERSION:
            raise BackupFileError(
                "unsupported_version",
                f"Backup format version {version} is not supported (this Simpul reads {VERSION}).",
            )
        rest = self._read_exact(id_length + SALT_BYTES + 4 + 32, "truncated")
        try:
            self.key_id = rest[:id_length].decode("ascii")
        except UnicodeDecodeError as exc:
            raise BackupFileError("corrupt", "The backup header is damaged.") from exc
        salt = rest[id_length : id_length + SALT_BYTES]
        (self.chunk_size,) = struct.unpack(">I", rest[id_length + SALT_BYTES : -32])
        key = ring.keys.get(self.key_id)
        if key is None:
            raise BackupFileError(
                "unknown_key",
                f"The backup was encrypted with backup key {self.key_id!r}, which is not in "
                "SIMPUL_BACKUP_KEY.",
            )
        enc_key, check_key = _derive(key, salt, self.key_id)
        head = fixed + rest[:-32]
        expected = hmac.new(check_key, _CHECK_LABEL + head, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, rest[-32:]):
            raise BackupFileError(
                "wrong_key",
                f"Wrong backup key: the key configured as {self.key_id!r} is not the one this "
                "backup was encrypted with (or the header was altered).",
            )
        if not 0 < self.chunk_size <= 64 * 1024 * 1024:
            raise BackupFileError("corrupt", "The backup header is damaged.")
        self._header = head + rest[-32:]
        self._payload_start = len(self._header)
        self._aead = AESGCM(enc_key)
        chunks = self._chunks()
        first, last = next(chunks)
        if last:
            raise BackupFileError("corrupt", "The backup holds no payload after its manifest.")
        try:
            self.manifest: dict[str, Any] = json.loads(first)
        except ValueError as exc:
            raise BackupFileError("corrupt", "The backup manifest is unreadable.") from exc
        self._data_offset = self._fh.tell()

    def _read_exact(self, size: int, code: str) -> bytes:
        data = self._fh.read(size)
        if len(data) != size:
            if code == "not_a_backup" and not data.startswith(MAGIC[: len(data)]):
                raise BackupFileError("not_a_backup", "This file is not a Simpul backup.")
            raise BackupFileError("truncated", "The backup file is truncated.")
        return data

    def _chunks(self, counter: int = 0) -> Iterator[tuple[bytes, bool]]:
        while True:
            prefix = self._fh.read(5)
            if not prefix:
                raise BackupFileError(
                    "truncated", "The backup file is truncated: its last chunk is missing."
                )
            if len(prefix) != 5 or prefix[0] not in (0, 1):
                raise BackupFileError("truncated", "The backup file is truncated or damaged.")
            last = prefix[0] == 1
            (length,) = struct.unpack(">I", prefix[1:])
            limit = (MAX_MANIFEST if counter == 0 else self.chunk_size) + TAG_BYTES
            if length < TAG_BYTES or length > limit:
                raise BackupFileError("corrupt", f"Backup chunk {counter} is damaged.")
            sealed = self._fh.read(length)
            if len(sealed) != length:
                raise BackupFileError("truncated", "The backup file is truncated.")
            try:
                plain = self._aead.decrypt(_nonce(counter, last), sealed, self._header)
            except InvalidTag as exc:
                raise BackupFileError(
                    "corrupt", f"Backup chunk {counter} does not authenticate: the file is damaged."
                ) from exc
            yield plain, last
            counter += 1
            if last:
                if self._fh.read(1):
                    raise BackupFileError("corrupt", "The backup file has data after its end.")
                return

    def payload(self) -> Iterator[bytes]:
        self._fh.seek(self._data_offset)
        for plain, _last in self._chunks(counter=1):
            if plain:
                yield plain

    def verify(self) -> int:
        """Authenticate every chunk; the payload's size in bytes."""
        return sum(len(piece) for piece in self.payload())
