"""Justice statistics for the aggregate roles (task force, analyst): counts over every
proceeding, no case codes, names or numbers. `load()` reads the raw figures (a few grouped
queries, no row per proceeding beyond three dates), `summarise()` is pure (tested with a
hand-made example), and the page passes every count through `core.disclosure`. The page
reads the summary the job runner stored (`to_json`/`from_json`, one `StatisticsSnapshot`
row, refreshed every `REFRESH_EVERY`), so its cost does not grow with the proceedings.

The measures are justice-chain.md C.4 "Targets": cases by stage; median days report → P-21,
P-21 → verdict, verdict → final; the share charged under UU 21/2007; sentences against the
statutory range; restitution claimed, awarded and paid in full by the due date; LPSK decisions
within 7 days; proceedings stalled 90 days.
"""

import statistics as pystats
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Count, F, Min, Q

from simpul.justice.codes import EventCode as E
from simpul.justice.codes import Law, RangeFlag, Stage
from simpul.justice.models import (
    Charge,
    LpskApplication,
    Proceeding,
    ProceedingEvent,
    Restitution,
    Sentence,
)
from simpul.justice.queries import ENDED, stalled_cutoff

LPSK_DAYS = 7


@dataclass
class Facts:
    """The raw figures, before suppression."""

    by_stage: dict[str, int] = field(default_factory=dict)
    # (reported_on, first P-21, first verdict, first final) per proceeding
    dates: list[tuple[date, date | None, date | None, date | None]] = field(default_factory=list)
    charged: int = 0  # proceedings with at least one charge
    charged_uu21: int = 0  # ... with at least one charge under UU 21/2007
    sentences: dict[str, int] = field(default_factory=dict)  # prison range flag -> count
    restitution_claimed: int = 0
    restitution_awarded: int = 0
    restitution_paid_in_time: int = 0
    lpsk_decided: int = 0
    lpsk_within_7: int = 0
    stalled: int = 0


@dataclass(frozen=True)
class Median:
    days: float | None
    n: int


@dataclass(frozen=True)
class Summary:
    facts: Facts
    report_to_p21: Median
    p21_to_verdict: Median
    verdict_to_final: Median


def _median(spans: list[int]) -> Median:
    return Median(float(pystats.median(spans)) if spans else None, len(spans))


def summarise(facts: Facts) -> Summary:
    """The medians between the stages (only proceedings that reached both ends)."""
    a = [(p21 - rep).days for rep, p21, _v, _f in facts.dates if p21]
    b = [(v - p21).days for _r, p21, v, _f in facts.dates if p21 and v]
    c = [(f - v).days for _r, _p, v, f in facts.dates if v and f]
    return Summary(facts, _median(a), _median(b), _median(c))


def to_json(summary: Summary) -> dict[str, Any]:
    """The summary without the per-proceeding dates, for `StatisticsSnapshot.figures`."""
    facts = asdict(replace(summary.facts, dates=[]))
    del facts["dates"]
    medians = {
        name: [m.days, m.n]
        for name, m in (
            ("report_to_p21", summary.report_to_p21),
            ("p21_to_verdict", summary.p21_to_verdict),
            ("verdict_to_final", summary.verdict_to_final),
        )
    }
    return {"facts": facts, "medians": medians}


def from_json(data: dict[str, Any]) -> Summary:
    medians = {name: Median(days, n) for name, (days, n) in data["medians"].items()}
    return Summary(Facts(**data["facts"]), **medians)


def load(today: date | None = None) -> Facts:
    facts = Facts()
    facts.by_stage = {s: 0 for s in Stage.values}
    for stage, n in Proceeding.objects.values_list("stage").annotate(n=Count("pk")):
        facts.by_stage[stage] = n
    firsts: dict[Any, dict[str, date]] = {}
    for pk, code, first in (
        ProceedingEvent.objects.filter(code__in=[E.P21, E.VERDICT, E.FINAL])
        .values_list("proceeding_id", "code")
        .annotate(first=Min("occurred_on"))
    ):
        firsts.setdefault(pk, {})[code] = first
    reported: dict[Any, date] = dict(
        Proceeding.objects.filter(pk__in=list(firsts)).values_list("pk", "reported_on")
    )
    facts.dates = [
        (reported[pk], f.get(E.P21), f.get(E.VERDICT), f.get(E.FINAL))
        for pk, f in firsts.items()
        if pk in reported
    ]
    charged = Charge.objects.values("defendant__proceeding_id")
    facts.charged = charged.distinct().count()
    facts.charged_uu21 = charged.filter(law=Law.UU_21_2007).distinct().count()
    facts.sentences = {f: 0 for f in RangeFlag.values}
    for flag, n in Sentence.objects.values_list("prison_flag").annotate(n=Count("pk")):
        facts.sentences[flag] = n
    rest = Restitution.objects.aggregate(
        claimed=Count("pk", filter=Q(claimed_amount__isnull=False) | Q(channel__gt="")),
        awarded=Count("pk", filter=Q(awarded_total__gt=0)),
        in_time=Count(
            "pk",
            filter=Q(
                paid_in_full_on__isnull=False,
                due_on__isnull=False,
                paid_in_full_on__lte=F("due_on"),
            ),
        ),
    )
    facts.restitution_claimed = rest["claimed"]
    facts.restitution_awarded = rest["awarded"]
    facts.restitution_paid_in_time = rest["in_time"]
    decided = [
        (d - a).days
        for a, d in LpskApplication.objects.filter(decided_on__isnull=False).values_list(
            "applied_on", "decided_on"
        )
        if d is not None
    ]
    facts.lpsk_decided = len(decided)
    facts.lpsk_within_7 = sum(1 for days in decided if days <= LPSK_DAYS)
    facts.stalled = (
        Proceeding.objects.exclude(stage__in=ENDED)
        .filter(last_event_on__lte=stalled_cutoff(today))
        .count()
    )
    return facts
