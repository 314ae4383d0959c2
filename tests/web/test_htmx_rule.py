"""Every view tells an HTMX request the one way: simpul.core.http.is_htmx."""

import re
from pathlib import Path

import simpul

ROOT = Path(simpul.__file__).parent


def test_no_view_reads_the_htmx_header_itself():
    views = [p for p in ROOT.rglob("*.py") if p.name == "views.py" or p.parent.name == "views"]
    assert len(views) > 10
    offenders = [
        str(path.relative_to(ROOT))
        for path in views
        if re.search(r"HX-Request|request, \"htmx\"|request\.htmx", path.read_text())
    ]
    assert offenders == []
