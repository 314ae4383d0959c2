"""Village indicators of the vulnerability score: import values, configure weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.audit.log import record as audit
from simpul.prevention.actions.common import (
    check_village,
    require_manage,
)
from simpul.prevention.models import (
    RiskIndicator,
    VillageIndicator,
)
from simpul.regions.models import Region


@dataclass(frozen=True)
class IndicatorRow:
    village_code: str
    indicator_code: str
    year: int
    value: float
    source: str


def parse_indicator_rows(text: str) -> list[IndicatorRow]:
    """CSV lines "village code, indicator code, year, value, source"; a header line is skipped."""
    rows: list[IndicatorRow] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.lower().startswith(("village", "kode", "#")):
            continue
        cells = [c.strip() for c in line.split(",", 4)]
        if len(cells) != 5:
            errors.append(_("Line %(n)d: expected 5 values separated by commas.") % {"n": number})
            continue
        village, indicator, year, value, source = cells
        try:
            rows.append(IndicatorRow(village, indicator, int(year), float(value), source))
        except ValueError:
            errors.append(_("Line %(n)d: the year and the value must be numbers.") % {"n": number})
    if errors:
        raise ValidationError({"rows": errors})
    if not rows:
        raise ValidationError({"rows": [_("Enter at least one line.")]})
    return rows


def import_indicator_values(
    actor: User,
    rows: Sequence[IndicatorRow],
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> int:
    """Store indicator values (one per village, indicator and year; a new value replaces the
    old one). Villages must lie in the agency's area."""
    require_manage(actor, owner_agency)
    indicators = {i.code: i for i in RiskIndicator.objects.all()}
    villages = {
        r.code: r for r in Region.objects.filter(code__in={row.village_code for row in rows})
    }
    errors: list[str] = []
    for n, row in enumerate(rows, start=1):
        label = {"n": n, "code": row.village_code}
        indicator = indicators.get(row.indicator_code)
        if indicator is None:
            errors.append(
                _("Row %(n)d: unknown indicator %(indicator)s.")
                % {"n": n, "indicator": row.indicator_code}
            )
        if row.value < 0:
            errors.append(_("Row %(n)d: values cannot be negative.") % {"n": n})
        if not 2000 <= row.year <= timezone.localdate().year:
            errors.append(_("Row %(n)d: the year must be between 2000 and this year.") % {"n": n})
        if not row.source.strip():
            errors.append(_("Row %(n)d: name the source of the value.") % {"n": n})
        try:
            check_village(owner_agency, villages.get(row.village_code), "rows")
        except ValidationError:
            errors.append(_("Row %(n)d: %(code)s is not a village in your area.") % label)
    if errors:
        raise ValidationError({"rows": errors})
    with transaction.atomic():
        for row in rows:
            VillageIndicator.objects.update_or_create(
                region_id=row.village_code,
                indicator=indicators[row.indicator_code],
                year=row.year,
                defaults={"value": row.value, "source": row.source.strip()[:200]},
            )
        audit(
            "prevention.indicator.import",
            actor=actor,
            request=request,
            record_type="prevention.villageindicator",
            fields=["value", "year", "source"],
            count=len(rows),
        )
    return len(rows)


def configure_indicator(
    code: str,
    *,
    weight: float | None = None,
    scale_min: float | None = None,
    scale_max: float | None = None,
    active: bool | None = None,
    reason: str = "",
) -> RiskIndicator:
    """Change an indicator's weight, reference range or use (the management command)."""
    with transaction.atomic():
        indicator = RiskIndicator.objects.select_for_update().get(code=code)
        changed = []
        for name, value in (
            ("weight", weight),
            ("scale_min", scale_min),
            ("scale_max", scale_max),
            ("active", active),
        ):
            if value is not None:
                setattr(indicator, name, value)
                changed.append(name)
        if indicator.weight < 0 or (
            indicator.weight and indicator.scale_max <= indicator.scale_min
        ):
            raise ValidationError(_("The weight must be zero or more and the range not empty."))
        indicator.save()
        audit(
            "prevention.indicator.configure",
            record=indicator,
            fields=changed,
            reason=reason or "command",
        )
    return indicator
