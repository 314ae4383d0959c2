"""The justice statistics page for the aggregate roles: counts only, small counts suppressed
(`core.disclosure`), no case codes, names or numbers. The figures are those the job runner
stored last (`justice_statistics`, every ten minutes); when they are missing or stale (no
scheduler running) the page computes and stores them first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from simpul.accounts.access import require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.disclosure import LEGEND, THRESHOLD, Cell, suppress_count, suppress_table
from simpul.justice import actions, queries, statistics
from simpul.justice.codes import RangeFlag, Stage


def _share(part: Cell, whole: Cell) -> str:
    if part.suppressed or whole.suppressed or not whole.value:
        return "—"
    return f"{round(100 * part.value / whole.value)}%"


def _median(m: statistics.Median) -> str:
    if m.n == 0:
        return "—"
    if m.n < THRESHOLD:
        return _("fewer than %(n)d proceedings") % {"n": THRESHOLD}
    days = int(m.days) if m.days is not None and m.days == int(m.days) else m.days
    return _("%(days)s days (%(n)d proceedings)") % {"days": days, "n": m.n}


@require_perm(Perm.VIEW_AGGREGATES)
@require_GET
def justice_statistics(request: HttpRequest) -> HttpResponse:
    snapshot = queries.fresh_statistics() or actions.refresh_statistics()
    summary = statistics.from_json(snapshot.figures)
    f = summary.facts
    stages = suppress_table([[f.by_stage.get(s, 0)] for s in Stage.values], 1, row_totals=False)
    flags = suppress_table([[f.sentences.get(x, 0)] for x in RangeFlag.values], 1, row_totals=False)
    charged, uu21 = suppress_count(f.charged), suppress_count(f.charged_uu21)
    decided, within = suppress_count(f.lpsk_decided), suppress_count(f.lpsk_within_7)
    awarded, in_time = (
        suppress_count(f.restitution_awarded),
        suppress_count(f.restitution_paid_in_time),
    )
    audit("justice.statistics", request=request, record_type="justice.proceeding")
    context = {
        "stages": [(Stage(s).label, stages.cells[i][0]) for i, s in enumerate(Stage.values)],
        "stage_total": stages.column_totals[0] if stages.column_totals else None,
        "medians": [
            (_("Police report to P-21"), _median(summary.report_to_p21)),
            (_("P-21 to verdict"), _median(summary.p21_to_verdict)),
            (_("Verdict to final and binding"), _median(summary.verdict_to_final)),
        ],
        "flags": [(RangeFlag(x).label, flags.cells[i][0]) for i, x in enumerate(RangeFlag.values)],
        "figures": [
            ("charged", _("Proceedings with charges"), charged, ""),
            ("charged_uu21", _("... of which under UU 21/2007"), uu21, _share(uu21, charged)),
            (
                "restitution_claimed",
                _("Victims who claimed restitution"),
                suppress_count(f.restitution_claimed),
                "",
            ),
            ("restitution_awarded", _("Victims awarded restitution"), awarded, ""),
            (
                "restitution_in_time",
                _("... paid in full by the due date"),
                in_time,
                _share(in_time, awarded),
            ),
            ("lpsk_decided", _("LPSK decisions"), decided, ""),
            ("lpsk_within_7", _("... within 7 days"), within, _share(within, decided)),
            (
                "stalled",
                _("Proceedings without an event for 90 days"),
                suppress_count(f.stalled),
                "",
            ),
        ],
        "legend": LEGEND,
        "computed_at": snapshot.computed_at,
    }
    return render(request, "justice/statistics.html", context)
