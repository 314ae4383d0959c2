"""Adding an instrument version: validated, then stored; an existing version never changes."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from simpul.audit.log import record as audit
from simpul.reintegration.instrument import InstrumentError, validate
from simpul.reintegration.models import Instrument

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "instruments"


def load_instrument(data: Any) -> tuple[Instrument, bool]:
    """Store a validated instrument version; (row, created). Loading the same document again
    changes nothing; a different document under an existing version is refused."""
    try:
        validate(data)
    except InstrumentError as exc:
        raise ValidationError(str(exc)) from None
    with transaction.atomic():
        existing = Instrument.objects.filter(code=data["code"], version=data["version"]).first()
        if existing is not None:
            if existing.data != data:
                raise ValidationError(
                    f"{data['code']} version {data['version']} exists with other content; "
                    "add a new version instead"
                )
            return existing, False
        row = Instrument.objects.create(code=data["code"], version=data["version"], data=data)
        audit("reintegration.instrument.load", record=row, fields=["data"])
    return row, True


def install_shipped_instruments() -> int:
    """Load every instrument version shipped in `instruments/` (what the migration loads; a
    test database flushed by a transactional test gets them back). Returns how many were new."""
    added = 0
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        _, created = load_instrument(json.loads(path.read_text(encoding="utf-8")))
        added += created
    return added
