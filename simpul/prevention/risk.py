"""The village vulnerability score and the outreach each village received.

score = 100 * sum(w_i * r_i) / sum(w_i), over the active, weighted indicators i that have a
value for the village, where r_i in [0, 1] is the value placed on the indicator's reference
range (clamped; reversed when a higher value means less risk). The reference ranges are absolute
(configured per indicator), so a score does not change when other villages are added.

A village whose available indicators carry less than half of the total weight gets no score
("not enough data"). Bands: high from 60, medium from 35, low below. docs/prevention.md lists
the default indicators, weights and ranges, and why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simpul.core.disclosure import is_small, suppress_count
from simpul.prevention.models import (
    OutreachEvent,
    ParticipantCount,
    RiskIndicator,
    VillageIndicator,
    Volunteer,
)
from simpul.prevention.registry import COUNT_SUFFIX, registry_counts
from simpul.regions.models import Region

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
UNKNOWN = "unknown"
HIGH_FROM = 60.0
MEDIUM_FROM = 35.0
MIN_COMPLETENESS = 0.5
OUTREACH_WINDOW_DAYS = 365
POPULATION = "population"

BAND_LABELS: dict[str, Promise] = {
    HIGH: _("High"),
    MEDIUM: _("Medium"),
    LOW: _("Low"),
    UNKNOWN: _("Not enough data"),
}


@dataclass(frozen=True)
class IndicatorDefault:
    code: str
    label: Promise
    description: Promise
    unit: Promise
    source_kind: str
    weight: float
    scale_min: float
    scale_max: float
    higher_is_riskier: bool = True
    per_thousand: bool = False


_ENTERED = RiskIndicator.Source.ENTERED
_REGISTRY = RiskIndicator.Source.REGISTRY
_REFERENCE = RiskIndicator.Source.REFERENCE

# The documented defaults (docs/prevention.md), loaded by migration 0002. Weights are relative.
DEFAULT_INDICATORS: list[IndicatorDefault] = [
    IndicatorDefault(
        POPULATION,
        _("Residents"),
        _("Number of residents; turns registry counts into rates per 1,000. Not scored."),
        _("people"),
        _REFERENCE,
        0,
        0,
        0,
    ),
    IndicatorDefault(
        "poverty",
        _("Households in poverty"),
        _("Share of households in the poorest deciles of the social-welfare data (DTKS/P3KE)."),
        _("percent of households"),
        _ENTERED,
        20,
        0,
        40,
    ),
    IndicatorDefault(
        "out_of_school",
        _("Teenagers out of school"),
        _("Share of residents aged 13-18 not in school (Podes, Dapodik or village data)."),
        _("percent of 13-18-year-olds"),
        _ENTERED,
        15,
        0,
        30,
    ),
    IndicatorDefault(
        "child_marriage",
        _("Child marriage"),
        _("Share of marriages in the year where the bride or groom was under 19 (KUA, court)."),
        _("percent of marriages"),
        _ENTERED,
        15,
        0,
        30,
    ),
    IndicatorDefault(
        "departures",
        _("Migrant-worker departures"),
        _("Departures to work abroad in the last 12 months, per 1,000 residents."),
        _("per 1,000 residents"),
        _REGISTRY,
        15,
        0,
        30,
        per_thousand=True,
    ),
    IndicatorDefault(
        "non_procedural",
        _("Non-procedural share of departures"),
        _("Share of those departures without the procedure (visit visa, unofficial route)."),
        _("percent of departures"),
        _REGISTRY,
        15,
        0,
        60,
    ),
    IndicatorDefault(
        "reports",
        _("Trafficking reports"),
        _("Reports of possible trafficking from the village in the last 12 months, per 1,000."),
        _("per 1,000 residents"),
        _REGISTRY,
        10,
        0,
        3,
        per_thousand=True,
    ),
    IndicatorDefault(
        "returns",
        _("Returns and deportations"),
        _("Villagers returned or deported from abroad in the last 12 months, per 1,000."),
        _("per 1,000 residents"),
        _REGISTRY,
        10,
        0,
        10,
        per_thousand=True,
    ),
]
_DEFAULTS_BY_CODE = {d.code: d for d in DEFAULT_INDICATORS}


def indicator_label(indicator: RiskIndicator) -> str:
    default = _DEFAULTS_BY_CODE.get(indicator.code)
    return str(default.label) if default else indicator.label


def indicator_description(indicator: RiskIndicator) -> str:
    default = _DEFAULTS_BY_CODE.get(indicator.code)
    return str(default.description) if default else indicator.description


def indicator_unit(indicator: RiskIndicator) -> str:
    default = _DEFAULTS_BY_CODE.get(indicator.code)
    return str(default.unit) if default else indicator.unit


def normalise(indicator: RiskIndicator, value: float) -> float:
    """The value placed on the indicator's reference range: 0 = no risk, 1 = full risk."""
    span = indicator.scale_max - indicator.scale_min
    if span <= 0:
        return 0.0
    position = min(1.0, max(0.0, (value - indicator.scale_min) / span))
    return position if indicator.higher_is_riskier else 1.0 - position


@dataclass
class IndicatorPart:
    indicator: RiskIndicator
    value: float | None
    year: int | None
    source: str
    normalised: float | None = None
    points: float | None = None  # contribution to the 0-100 score
    # For a value taken from a registry: the number of records (persons) behind it.
    count: float | None = None

    @property
    def label(self) -> str:
        return indicator_label(self.indicator)

    @property
    def suppressed(self) -> bool:
        """A registry value resting on 1-10 records is not shown, nor its points, since a rate
        or a share with the population beside it gives the count back (core.disclosure)."""
        return self.count is not None and is_small(round(self.count))

    @property
    def marker(self) -> str:
        return str(suppress_count(round(self.count or 0)))


@dataclass
class VillageRisk:
    region: Region
    parts: list[IndicatorPart]
    score: float | None = None
    completeness: float = 0.0
    events_12m: int = 0
    participants_12m: int = 0
    last_event_on: dt.date | None = None
    volunteers: int = 0
    population: float | None = None
    district: Region | None = field(default=None, repr=False)

    @property
    def band(self) -> str:
        if self.score is None:
            return UNKNOWN
        if self.score >= HIGH_FROM:
            return HIGH
        return MEDIUM if self.score >= MEDIUM_FROM else LOW

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band])

    @property
    def unreached(self) -> bool:
        """High risk and no outreach event in the last 12 months."""
        return self.band == HIGH and self.events_12m == 0


def scored_indicators() -> list[RiskIndicator]:
    return list(
        RiskIndicator.objects.filter(active=True, weight__gt=0).exclude(
            source_kind=RiskIndicator.Source.REFERENCE
        )
    )


def _latest_values(
    codes: list[str], indicator_ids: Iterable[int]
) -> dict[tuple[str, int], VillageIndicator]:
    latest: dict[tuple[str, int], VillageIndicator] = {}
    rows = VillageIndicator.objects.filter(region_id__in=codes, indicator_id__in=indicator_ids)
    for row in rows.order_by("year"):
        latest[(row.region_id, row.indicator_id)] = row  # later years overwrite earlier ones
    return latest


def _registry_source(code: str) -> str:
    return str(
        {
            "reports": _("Simpul intake, last 12 months"),
            "departures": _("Simpul migration registry, last 12 months"),
            "non_procedural": _("Simpul migration registry, last 12 months"),
            "returns": _("Simpul migration registry, last 12 months"),
        }.get(code, _("Simpul registry"))
    )


def score_villages(
    villages: list[Region],
    *,
    today: dt.date,
    events: QuerySet[OutreachEvent] | None = None,
    volunteers: QuerySet[Volunteer] | None = None,
) -> list[VillageRisk]:
    """Score each village and attach the outreach it received in the 12 months up to today:
    from `events` and `volunteers` (the viewer's scoped querysets, `prevention.queries`), or
    every agency's when not given."""
    codes = [v.code for v in villages]
    indicators = scored_indicators()
    population_indicator = RiskIndicator.objects.filter(code=POPULATION).first()
    wanted_ids = [i.id for i in indicators]
    if population_indicator is not None:
        wanted_ids.append(population_indicator.id)
    latest = _latest_values(codes, wanted_ids)
    since = today - dt.timedelta(days=OUTREACH_WINDOW_DAYS)
    registry = (
        registry_counts(codes, since, today)
        if any(i.source_kind == RiskIndicator.Source.REGISTRY for i in indicators)
        else {}
    )
    total_weight = sum(i.weight for i in indicators)

    results = []
    for village in villages:
        population_row = (
            latest.get((village.code, population_indicator.id)) if population_indicator else None
        )
        population = population_row.value if population_row else None
        parts = [
            _part(indicator, village.code, latest, registry, population) for indicator in indicators
        ]
        risk = VillageRisk(region=village, parts=parts, population=population)
        available = [p for p in parts if p.value is not None]
        weight_available = sum(p.indicator.weight for p in available)
        risk.completeness = weight_available / total_weight if total_weight else 0.0
        if available and risk.completeness >= MIN_COMPLETENESS:
            for p in available:
                assert p.value is not None
                p.normalised = normalise(p.indicator, p.value)
                p.points = 100 * p.indicator.weight * p.normalised / weight_available
            risk.score = sum(p.points or 0.0 for p in available)
        results.append(risk)
    _attach_outreach(
        results,
        since,
        today,
        OutreachEvent.objects.all() if events is None else events,
        Volunteer.objects.all() if volunteers is None else volunteers,
    )
    return results


def _part(
    indicator: RiskIndicator,
    code: str,
    latest: dict[tuple[str, int], VillageIndicator],
    registry: dict[str, dict[str, float]],
    population: float | None,
) -> IndicatorPart:
    entered = latest.get((code, indicator.id))
    counts = registry.get(indicator.code)
    if indicator.source_kind == RiskIndicator.Source.REGISTRY and counts is not None:
        raw = counts.get(code)
        behind = registry.get(indicator.code + COUNT_SUFFIX, {}).get(code, raw)
        if raw is not None and indicator.per_thousand:
            if population:
                source = _registry_source(indicator.code)
                return IndicatorPart(indicator, 1000 * raw / population, None, source, count=behind)
        elif raw is not None:
            return IndicatorPart(
                indicator, raw, None, _registry_source(indicator.code), count=behind
            )
        elif entered is None and indicator.per_thousand:
            # The registry is in use and holds nothing for this village: zero events.
            return IndicatorPart(indicator, 0.0, None, _registry_source(indicator.code))
    if entered is not None:
        return IndicatorPart(indicator, entered.value, entered.year, entered.source)
    return IndicatorPart(indicator, None, None, "")


def _attach_outreach(
    results: list[VillageRisk],
    since: dt.date,
    today: dt.date,
    events: QuerySet[OutreachEvent],
    volunteers: QuerySet[Volunteer],
) -> None:
    by_code = {r.region.code: r for r in results}
    codes = list(by_code)
    in_window = (
        events.filter(village_id__in=codes, held_on__gte=since, held_on__lte=today)
        .order_by()
        .values("village_id")
        .annotate(n=Count("id"), last=Max("held_on"))
    )
    for event_row in in_window:
        by_code[event_row["village_id"]].events_12m = event_row["n"]
        by_code[event_row["village_id"]].last_event_on = event_row["last"]
    people = (
        ParticipantCount.objects.filter(
            event__in=events,
            event__village_id__in=codes,
            event__held_on__gte=since,
            event__held_on__lte=today,
        )
        .order_by()
        .values("event__village_id")
        .annotate(n=Sum("count"))
    )
    for people_row in people:
        by_code[people_row["event__village_id"]].participants_12m = people_row["n"] or 0
    active = (
        volunteers.filter(village_id__in=codes, active=True)
        .order_by()
        .values("village_id")
        .annotate(n=Count("id"))
    )
    for volunteer_row in active:
        by_code[volunteer_row["village_id"]].volunteers = volunteer_row["n"]
    last_before = (
        events.filter(village_id__in=codes, held_on__lt=since)
        .order_by()
        .values("village_id")
        .annotate(last=Max("held_on"))
    )
    for earlier in last_before:
        risk = by_code[earlier["village_id"]]
        if risk.last_event_on is None:
            risk.last_event_on = earlier["last"]


def ranked(results: list[VillageRisk]) -> list[VillageRisk]:
    """Unreached high-risk villages first, then by score (highest first), unscored last."""
    return sorted(
        results,
        key=lambda r: (
            not r.unreached,
            r.score is None,
            -(r.score or 0.0),
            r.region.code,
        ),
    )


def summary(results: list[VillageRisk]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.band] += 1
        if r.unreached:
            counts["unreached"] += 1
        if r.events_12m:
            counts["reached"] += 1
    counts["villages"] = len(results)
    return dict(counts)
