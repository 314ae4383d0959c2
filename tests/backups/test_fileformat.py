"""The encrypted container alone: what it hides, and every way a file can be cut, changed,
reordered or read with another key is refused (no database needed)."""

import base64
import io
import os
import struct

import pytest
from django.core.exceptions import ImproperlyConfigured

from simpul.backups.fileformat import BackupFileError, BackupKeyring, BackupReader, BackupWriter

RING = BackupKeyring.parse("b2:" + base64.b64encode(b"\x01" * 32).decode())
SMALL = 1024  # small chunks, so a test file has many


def _write(payload: bytes, ring: BackupKeyring = RING) -> bytes:
    out = io.BytesIO()
    writer = BackupWriter(out, {"format": "simpul-backup", "tables": {"t": 1}}, ring, SMALL)
    for i in range(0, len(payload), 700):
        writer.write(payload[i : i + 700])
    writer.close()
    return out.getvalue()


def _read(data: bytes, ring: BackupKeyring = RING) -> bytes:
    reader = BackupReader(io.BytesIO(data), ring)
    reader.verify()
    return b"".join(reader.payload())


def _chunk_offsets(data: bytes) -> list[int]:
    """Where each chunk starts (after the header)."""
    id_length = data[9]
    offset = 10 + id_length + 32 + 4 + 32
    offsets = []
    while offset < len(data):
        offsets.append(offset)
        (length,) = struct.unpack(">I", data[offset + 1 : offset + 5])
        offset += 5 + length
    return offsets


def _refusal(data: bytes, ring: BackupKeyring = RING) -> str:
    with pytest.raises(BackupFileError) as refused:
        _read(data, ring)
    return refused.value.code


def test_a_payload_round_trips_and_nothing_of_it_is_visible():
    payload = b"Siti Aminah 6101094101900002 " * 300 + os.urandom(777)
    data = _write(payload)
    assert _read(data) == payload
    assert b"Siti" not in data and b"6101094101900002" not in data and b"tables" not in data
    assert data.startswith(b"SIMPULBK\x01\x02b2")
    assert len(_chunk_offsets(data)) == 1 + len(payload) // SMALL + 1  # manifest, full, last
    assert BackupReader(io.BytesIO(data), RING).manifest["tables"] == {"t": 1}
    # A key ring that lists an older key as well still reads it; a new file uses the first.
    rotated = BackupKeyring.parse(
        "b3:"
        + base64.b64encode(b"\x02" * 32).decode()
        + ",b2:"
        + base64.b64encode(b"\x01" * 32).decode()
    )
    assert _read(data, rotated) == payload
    assert _write(b"x", rotated)[10:12] == b"b3"


def test_every_cut_reorder_and_changed_byte_is_refused():
    data = _write(os.urandom(5000))
    offsets = _chunk_offsets(data)
    # Cut anywhere: inside the header, at every chunk boundary, inside every chunk.
    for cut in [0, 5, 40, *offsets, *(o + 3 for o in offsets), *(o + 30 for o in offsets)]:
        code = _refusal(data[:cut])
        assert code in {"truncated", "not_a_backup"} if cut < 8 else code == "truncated", cut
    # Two payload chunks swapped.
    a, b, c = offsets[1], offsets[2], offsets[3]
    assert _refusal(data[:a] + data[b:c] + data[a:b] + data[c:]) == "corrupt"
    # The last chunk dropped and the one before it flagged as last.
    last = offsets[-1]
    prev = offsets[-2]
    relabelled = data[:prev] + b"\x01" + data[prev + 1 : last]
    assert _refusal(relabelled) == "corrupt"
    # Data appended after the end.
    assert _refusal(data + b"\x00") == "corrupt"
    # A chunk taken from another file made with the same key.
    other = _write(os.urandom(5000))
    other_offsets = _chunk_offsets(other)
    spliced = data[:a] + other[other_offsets[1] : other_offsets[2]] + data[b:]
    assert _refusal(spliced) == "corrupt"
    # Any single byte changed, header included.
    for position in range(0, len(data), 97):
        changed = data[:position] + bytes([data[position] ^ 0x10]) + data[position + 1 :]
        assert _refusal(changed) in {
            "not_a_backup",
            "unsupported_version",
            "unknown_key",
            "wrong_key",
            "corrupt",
            "truncated",
        }, position


def test_a_wrong_key_and_an_unknown_key_are_told_apart_before_any_chunk_is_read():
    data = _write(b"payload")
    same_id = BackupKeyring.parse("b2:" + base64.b64encode(b"\x09" * 32).decode())
    other_id = BackupKeyring.parse("zz:" + base64.b64encode(b"\x01" * 32).decode())
    assert _refusal(data, same_id) == "wrong_key"
    assert _refusal(data, other_id) == "unknown_key"
    assert _refusal(b"SIMPULBK\x07" + data[9:]) == "unsupported_version"


@pytest.mark.parametrize(
    "spec", ["", "b1", "b1:notbase64!", "b1:" + base64.b64encode(b"short").decode(), "b-1:AAAA"]
)
def test_a_bad_backup_key_setting_is_refused(spec):
    with pytest.raises(ImproperlyConfigured, match=r"SIMPUL_BACKUP_KEY|Backup key"):
        BackupKeyring.parse(spec)
