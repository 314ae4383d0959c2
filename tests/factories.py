"""Builders for test data that goes through the real code paths."""

import csv
import gzip
import io
from functools import lru_cache
from pathlib import Path

from simpul.regions.models import Region
from simpul.regions.text import clean_name, compact_text, search_text

DATA = Path(__file__).resolve().parent.parent / "simpul" / "regions" / "data"


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str, str], ...]:
    raw = gzip.decompress((DATA / "wilayah_kepmendagri_2025.csv.gz").read_bytes()).decode()
    reader = csv.DictReader(io.StringIO(raw))
    return tuple((r["kode"], r["nama"], r["level"], r["kode_induk"]) for r in reader)


def load_region_slice(prefixes: list[str]) -> None:
    """Insert the regions under each prefix and their ancestors from the vendored file, so
    most tests do not need all 91,599 rows (tests/regions loads the whole file)."""
    wanted = set()
    for prefix in prefixes:
        parts = prefix.split(".")
        wanted.update(".".join(parts[:i]) for i in range(1, len(parts)))
    rows = [
        r
        for r in _rows()
        if r[0] in wanted or any(r[0] == p or r[0].startswith(p + ".") for p in prefixes)
    ]
    by_code = {r[0]: r for r in rows}

    def path_name(code: str) -> str:
        names = []
        while code:
            names.append(clean_name(by_code[code][1]))
            code = by_code[code][3]
        return ", ".join(names)

    for code, name, level, parent in sorted(rows, key=lambda r: (len(r[0]), r[0])):
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": clean_name(name),
                "level": level,
                "parent_id": parent or None,
                "path_name": path_name(code),
                "search_name": search_text(name),
                "search_compact": compact_text(name),
            },
        )
