"""Fixtures for the regions tests.

Most tests load a 77-row extract of the real file (fixtures/wilayah_subset.csv: the seed
places of the domain notes plus rows with quoting, trailing spaces and apostrophes). Only
test_load_full.py loads all 91,599 rows.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SUBSET_FILE = Path(__file__).resolve().parent / "fixtures" / "wilayah_subset.csv"


def run_load_regions(*args: str) -> str:
    """Run `load_regions` and return what it printed."""
    out = StringIO()
    call_command("load_regions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def subset_regions(db: None) -> str:
    """Load the subset file; returns the command output."""
    return run_load_regions("--file", str(SUBSET_FILE))
