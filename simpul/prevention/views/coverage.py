"""Coverage and risk: the village vulnerability score and its indicators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.access import acting_user
from simpul.core.forms import run_form_action
from simpul.prevention import actions, charts, queries, risk
from simpul.prevention.forms import (
    IndicatorValuesForm,
)
from simpul.prevention.models import (
    RiskIndicator,
)
from simpul.prevention.views.common import (
    can_manage,
    require_view,
)


@require_view
@require_http_methods(["GET"])
def coverage(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    areas = queries.area_choices(user)
    codes = queries.jurisdiction_codes(user)
    wanted = request.GET.get("area", "") or (codes[0] if codes else "")
    area = next((a for a in areas if a.code == wanted), None)
    if area is None and wanted and areas:
        raise Http404
    rows: list[risk.VillageRisk] = []
    if area is not None:
        rows = risk.score_villages(
            queries.coverage_villages(user, area),
            today=timezone.localdate(),
            events=queries.events_for(user),
            volunteers=queries.volunteers_for(user),
        )
        for row in rows:
            row.district = row.region.parent
        rows = risk.ranked(rows)
    only_unreached = request.GET.get("only") == "unreached"
    shown = [r for r in rows if r.unreached] if only_unreached else rows
    return render(
        request,
        "prevention/coverage.html",
        {
            "areas": areas,
            "area": area,
            "rows": shown,
            "summary": risk.summary(rows),
            "only_unreached": only_unreached,
            "grid": charts.risk_grid(shown) if shown else "",
            "indicators": risk.scored_indicators(),
            "high_from": risk.HIGH_FROM,
            "medium_from": risk.MEDIUM_FROM,
        },
    )


@require_view
@require_http_methods(["GET", "POST"])
def indicators(request: HttpRequest) -> HttpResponse:
    """The indicators of the score (read-only here) and importing village values."""
    user = acting_user(request)
    agencies = queries.managing_agencies(user) if can_manage(user) else []
    form = IndicatorValuesForm(request.POST or None, agencies=agencies) if agencies else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if done := run_form_action(
            request,
            form,
            lambda d: actions.import_indicator_values(
                user,
                actions.parse_indicator_rows(d["rows"]),
                owner_agency=form.owner_agency(),
                request=request,
            ),
            success=lambda stored: _("%(n)d values saved.") % {"n": stored},
            redirect_to=redirect("prevention:indicators"),
        ):
            return done
    all_indicators = queries.risk_indicators()
    total_weight = sum(
        i.weight
        for i in all_indicators
        if i.active and i.source_kind != RiskIndicator.Source.REFERENCE
    )
    indicator_rows = [
        {
            "indicator": i,
            "label": risk.indicator_label(i),
            "description": risk.indicator_description(i),
            "unit": risk.indicator_unit(i),
            "share": 100 * i.weight / total_weight
            if total_weight and i.active and i.source_kind != RiskIndicator.Source.REFERENCE
            else None,
        }
        for i in all_indicators
    ]
    values_count = queries.indicator_values_count(user)
    return render(
        request,
        "prevention/indicators.html",
        {
            "rows": indicator_rows,
            "form": form,
            "values_count": values_count,
            "high_from": risk.HIGH_FROM,
            "medium_from": risk.MEDIUM_FROM,
            "min_completeness": int(100 * risk.MIN_COMPLETENESS),
        },
    )
