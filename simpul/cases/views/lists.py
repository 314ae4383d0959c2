"""Case lists: cases in scope with filters and pages, tasks, referrals (answered from the case
list), and the task force's coordination counts."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases import forms, queries
from simpul.cases.models import Stage
from simpul.core.http import is_htmx
from simpul.referrals import actions as referral_actions
from simpul.referrals.models import ReferralStatus
from simpul.referrals.queries import (
    ReferralFilters,
    coordination_table,
    incoming_for,
    incoming_referral_for,
    overdue_outgoing_for,
)
from simpul.referrals.queries import referral_list as referral_queryset

PAGE_SIZE = 25


def _filter_links(request: HttpRequest) -> str:
    """The current filters as a query string without the page, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """GET lists the cases in scope, filtered (stage, worker, overdue, received by referral,
    waiting for approval or returned, code) and paged; a search by a victim's name or NIK is
    POSTed (CSRF-protected) and answered on the POST, so an identifier never reaches a URL."""
    user = acting_user(request)
    q = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    filters = queries.CaseFilters.from_query(request.GET)
    page = None
    if q:
        cases = queries.search_cases(user, q)
        audit(
            "case.search", request=request, record_type="cases.case", count=len(cases), searched=q
        )
    else:
        page = Paginator(queries.case_list(user, filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        cases = list(page.object_list)
        audit("case.list", request=request, record_type="cases.case", count=len(cases))
    principal = principal_for(user)
    supervisor = principal.has_perm(Perm.APPROVE_CASES)
    context: dict[str, Any] = {
        "page": page,
        "cases": cases,
        "shared": queries.shared_sections(user, [c.pk for c in cases if getattr(c, "received", 0)]),
        "q": q,
        "filters": filters,
        "filter_query": _filter_links(request),
        "stages": Stage.choices,
        "workers": queries.workers_in_scope(user) if supervisor else [],
        "supervisor": supervisor,
        "incoming": list(incoming_for(user)[:50]),
        "today": timezone.localdate(),
    }
    if supervisor:
        context["team"] = queries.team_caseload(user)
        context["overdue_referrals"] = list(overdue_outgoing_for(user)[:50])
    partial = is_htmx(request)
    return render(
        request, "cases/partials/case_rows.html" if partial else "cases/case_list.html", context
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """Tasks of the cases in scope: plan rows and tasks created ad hoc; a supervisor sees every
    task of the agency's cases, with the overdue ones on `?overdue=1`."""
    user = acting_user(request)
    filters = queries.TaskFilters.from_query(request.GET)
    page = Paginator(queries.task_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    tasks = [(t, queries.task_title(t)) for t in page.object_list]
    audit("case.task_list", request=request, record_type="cases.planitem", count=len(tasks))
    return render(
        request,
        "cases/task_list.html",
        {
            "page": page,
            "tasks": tasks,
            "filters": filters,
            "filter_query": _filter_links(request),
            "today": timezone.localdate(),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    """Incoming referrals to answer and outgoing ones (overdue on `?overdue=1`), paged."""
    user = acting_user(request)
    filters = ReferralFilters.from_query(request.GET)
    page = Paginator(referral_queryset(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    audit(
        "referral.list",
        request=request,
        record_type="referrals.referral",
        count=len(page.object_list),
    )
    return render(
        request,
        "cases/referral_list.html",
        {
            "page": page,
            "referrals": list(page.object_list),
            "filters": filters,
            "filter_query": _filter_links(request),
            "statuses": ReferralStatus.choices,
            "now": timezone.now(),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def answer_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = acting_user(request)
    referral = incoming_referral_for(user, referral_id, request=request)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline."))
        return redirect("cases:list")
    try:
        if form.cleaned_data["accept"]:
            referral_actions.accept_referral(user, referral, request=request)
            messages.success(request, _("Referral accepted."))
            return redirect("cases:detail", case_id=referral.case_id)
        referral_actions.decline_referral(
            user, referral, reason=form.cleaned_data["reason"], request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:list")


@require_perm(Perm.VIEW_AGGREGATES)
@require_GET
def coordination(request: HttpRequest) -> HttpResponse:
    rows = coordination_table(acting_user(request))
    audit(
        "referral.coordination", request=request, record_type="referrals.referral", count=len(rows)
    )
    return render(request, "cases/coordination.html", {"rows": rows})
