"""Read and check a region CSV (the vendored Kemendagri file or one of the same format)."""

import csv
import gzip
import hashlib
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from simpul.regions import codes
from simpul.regions.text import clean_name

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DATA_FILE = DATA_DIR / "wilayah_kepmendagri_2025.csv.gz"

HEADER = ("kode", "nama", "level", "kode_induk")
NAME_MAX_LENGTH = 100
_GZIP_MAGIC = b"\x1f\x8b"


class RegionFileError(ValueError):
    """The file is not a well-formed region CSV; the message names the first bad line."""


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class RegionFile:
    rows: list[RegionRow]
    # Of the uncompressed CSV bytes, so a gzipped and a plain copy of one file agree.
    sha256: str

    def counts(self) -> dict[str, int]:
        """Rows per level, every level present, province first."""
        found = Counter(row.level for row in self.rows)
        return {level: found.get(level, 0) for level in codes.LEVELS}


def read_bytes(path: Path) -> bytes:
    """The uncompressed file content; gzip is recognised by its magic bytes, not the name."""
    raw = path.read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise RegionFileError(f"{path}: broken gzip data: {exc}") from exc
    return raw


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def parse(content: bytes, source: str = "<data>") -> RegionFile:
    """Parse and check every row; raise RegionFileError on the first problem."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegionFileError(f"{source}: not UTF-8: {exc}") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise RegionFileError(f"{source}: the header must be {','.join(HEADER)}, not {header}")

    rows: list[RegionRow] = []
    seen: set[str] = set()
    for line_no, record in enumerate(reader, start=2):
        if not record:
            continue
        row = _check_row(record, f"{source}:{line_no}")
        if row.code in seen:
            raise RegionFileError(f"{source}:{line_no}: duplicate code {row.code}")
        seen.add(row.code)
        rows.append(row)

    # Checked after reading everything because the file need not list parents first.
    for row in rows:
        if row.parent_code is not None and row.parent_code not in seen:
            raise RegionFileError(f"{source}: {row.code} has parent {row.parent_code}, not in file")
    if not rows:
        raise RegionFileError(f"{source}: no data rows")
    return RegionFile(rows=rows, sha256=sha256_of(content))


def _check_row(record: list[str], where: str) -> RegionRow:
    if len(record) != len(HEADER):
        raise RegionFileError(f"{where}: expected {len(HEADER)} columns, found {len(record)}")
    code, raw_name, level, raw_parent = (value.strip() for value in record)
    if not codes.is_valid_code(code):
        raise RegionFileError(f"{where}: {code!r} is not a dotted Kemendagri code")
    if level != codes.level_of(code):
        raise RegionFileError(f"{where}: level {level!r} does not fit code {code}")
    parent = raw_parent or None
    if parent != codes.parent_code(code):
        raise RegionFileError(f"{where}: parent {raw_parent!r} does not fit code {code}")
    name = clean_name(raw_name)
    if not name or len(name) > NAME_MAX_LENGTH:
        raise RegionFileError(f"{where}: name must have 1 to {NAME_MAX_LENGTH} characters")
    return RegionRow(code=code, name=name, level=level, parent_code=parent)


def read_region_file(path: Path) -> RegionFile:
    return parse(read_bytes(path), source=str(path))
