"""Monitoring pages: record a visit with the plan's instrument, the overdue visits, the cohort
report."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from simpul.accounts.access import acting_user, require_any_perm, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.disclosure import LEGEND
from simpul.core.errors import StaleRecordError
from simpul.core.forms import run_form_action
from simpul.core.http import form_status
from simpul.reintegration import actions, cohorts, queries
from simpul.reintegration.forms import VisitForm
from simpul.reintegration.instrument import text
from simpul.reintegration.views.common import menu, page_of


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, plan_id: int, visit_id: int) -> HttpResponse:
    user = acting_user(request)
    plan = queries.get_plan_for(user, plan_id, perm=Perm.EDIT_RECORDS, request=request)
    visit = queries.get_visit_for(user, plan, visit_id, request)
    instrument = visit.instrument.data
    form = VisitForm(request.POST or None, instrument=instrument, initial={"version": plan.version})
    stale = False

    def act(d: dict[str, Any]) -> Any:
        nonlocal stale
        try:
            return actions.record_visit(
                user,
                visit,
                answers=form.answers(),
                done_on=d["done_on"],
                version=d["version"],
                request=request,
            )
        except StaleRecordError:
            stale = True
            raise

    if request.method == "POST":
        done = run_form_action(
            request,
            form,
            act,
            success=lambda v: (
                _("Visit recorded. A review task was opened for the case worker.")
                if v.setbacks
                else _("Visit recorded.")
            ),
            redirect_to=redirect("reintegration:detail", plan_id=plan.pk),
        )
        if done:
            return done
    language = translation.get_language() or "en"
    return render(
        request,
        "reintegration/visit_form.html",
        {
            "plan": plan,
            "visit": visit,
            "form": form,
            "title": text(instrument, "title", language),
            "menu": menu(user, "reintegration:list"),
        },
        status=form_status(form if request.method == "POST" else None, stale=stale),
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    page, query = page_of(request, queries.overdue_visits(user))
    audit(
        "reintegration.visit.overdue_list",
        request=request,
        record_type="reintegration.visit",
        count=len(page),
    )
    return render(
        request,
        "reintegration/overdue.html",
        {"page": page, "query": query, "menu": menu(user, "reintegration:overdue")},
    )


@require_any_perm(Perm.VIEW_AGGREGATES, Perm.VIEW_RECORDS)
@require_GET
def cohort_report(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    breakdown = request.GET.get("by", "year")
    data = cohorts.report(user, breakdown)
    audit("reintegration.cohorts", request=request, record_type="reintegration.visit")
    return render(
        request,
        "reintegration/cohorts.html",
        {
            "r": data,
            "breakdowns": list(cohorts.BREAKDOWNS.items()),
            "legend": LEGEND,
            "menu": menu(user, "reintegration:cohorts"),
        },
    )
