"""The plan pages: the list, a new plan for a case's victim, one plan and every step of it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.core.forms import run_form_action
from simpul.core.http import form_status
from simpul.reintegration import actions, queries
from simpul.reintegration.choices import EDITABLE, PlanStatus, ServiceStatus
from simpul.reintegration.forms import (
    ActivateForm,
    DeliveredForm,
    GoalForm,
    GoalStatusForm,
    PlanForm,
    ReviewForm,
    ServiceForm,
    VersionForm,
)
from simpul.reintegration.models import ReintegrationPlan
from simpul.reintegration.views.common import menu, page_of


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = queries.PlanFilters.from_query(request.GET)
    page, query = page_of(request, queries.plan_list(user, filters))
    audit(
        "reintegration.plan.list",
        request=request,
        record_type="reintegration.plan",
        count=len(page),
    )
    return render(
        request,
        "reintegration/plan_list.html",
        {
            "page": page,
            "query": query,
            "f": filters,
            "statuses": [("open", _("Open")), ("all", _("All")), *PlanStatus.choices],
            "menu": menu(user, "reintegration:list"),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, case_id: str) -> HttpResponse:
    user = acting_user(request)
    case = queries.case_for_new_plan(user, case_id, request)
    persons = queries.case_victims(case)
    form = PlanForm(request.POST or None, persons=persons)
    if request.method == "POST":
        done = run_form_action(
            request,
            form,
            lambda d: actions.create_plan(
                user,
                case,
                form.persons[d["person"]],
                returned_on=d["returned_on"],
                request=request,
            ),
            success=_("Reintegration plan created."),
            redirect_to=lambda plan: redirect("reintegration:detail", plan_id=plan.pk),
        )
        if done:
            return done
    return render(
        request,
        "reintegration/plan_form.html",
        {
            "case": case,
            "form": form,
            "plans": queries.plans_of_case(user, case),
            "menu": menu(user, "reintegration:list"),
        },
        status=422 if request.method == "POST" else 200,
    )


def _context(request: HttpRequest, plan: ReintegrationPlan, **forms_: object) -> dict[str, Any]:
    user = acting_user(request)
    initial = {"version": plan.version}
    context: dict[str, Any] = {
        "plan": plan,
        "goals": queries.goals_of(plan),
        "visits": queries.visit_rows(plan),
        "return_reason": queries.plan_return_reason(plan),
        "can_edit": queries.may_edit(user, plan),
        "can_approve": queries.may_approve(user, plan),
        "editable": plan.status in EDITABLE,
        "deliverable": plan.status in (PlanStatus.APPROVED, PlanStatus.ACTIVE),
        "P": PlanStatus,
        "SS": ServiceStatus,
        "goal_form": GoalForm(initial=initial),
        "service_form": ServiceForm(initial=initial),
        "status_form": GoalStatusForm(initial=initial),
        "delivered_form": DeliveredForm(initial=initial),
        "review_form": ReviewForm(initial=initial),
        "activate_form": ActivateForm(initial=initial),
        "version_form": VersionForm(initial=initial),
        "menu": menu(user, "reintegration:list"),
    }
    context.update(forms_)
    return context


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = acting_user(request)
    plan = queries.get_plan_for(user, plan_id, request=request)
    audit("reintegration.plan.view", request=request, record=plan)
    return render(request, "reintegration/plan_detail.html", _context(request, plan))


def _step(
    request: HttpRequest,
    plan_id: int,
    form_class: type[forms.Form],
    form_name: str,
    run: Callable[[Any, ReintegrationPlan, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    user = acting_user(request)
    plan = queries.get_plan_for(user, plan_id, perm=Perm.EDIT_RECORDS, request=request)
    form = form_class(request.POST)
    stale = False

    def act(d: dict[str, Any]) -> Any:
        nonlocal stale
        try:
            return run(user, plan, d)
        except StaleRecordError:
            stale = True
            raise

    done = run_form_action(
        request,
        form,
        act,
        success=success,
        redirect_to=redirect("reintegration:detail", plan_id=plan.pk),
    )
    if done:
        return done
    plan.refresh_from_db()
    return render(
        request,
        "reintegration/plan_detail.html",
        _context(request, plan, **{form_name: form}),
        status=form_status(form, stale=stale),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        GoalForm,
        "goal_form",
        lambda user, plan, d: actions.add_goal(
            user,
            plan,
            domain=d["domain"],
            level=d["level"],
            text=d["text"],
            responsible_agency=d["responsible_agency"],
            due_on=d["due_on"],
            version=d["version"],
            request=request,
        ),
        _("Goal added."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def goal_status(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        GoalStatusForm,
        "status_form",
        lambda user, plan, d: actions.set_goal_status(
            user,
            queries.goal_of(plan, goal_id),
            status=d["status"],
            version=d["version"],
            request=request,
        ),
        _("Goal status changed."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def service_add(request: HttpRequest, plan_id: int, goal_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        ServiceForm,
        "service_form",
        lambda user, plan, d: actions.add_service(
            user,
            queries.goal_of(plan, goal_id),
            kind=d["kind"],
            responsible_agency=d["responsible_agency"],
            due_on=d["due_on"],
            version=d["version"],
            request=request,
        ),
        _("Service added."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def service_deliver(request: HttpRequest, plan_id: int, service_id: int) -> HttpResponse:
    def run(user: Any, plan: ReintegrationPlan, d: dict[str, Any]) -> Any:
        service = queries.service_of(plan, service_id)
        return actions.deliver_service(
            user, service, delivered_on=d["delivered_on"], version=d["version"], request=request
        )

    return _step(request, plan_id, DeliveredForm, "delivered_form", run, _("Service delivered."))


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        VersionForm,
        "version_form",
        lambda user, plan, d: actions.submit_plan(
            user, plan, version=d["version"], request=request
        ),
        _("Plan submitted for approval."),
    )


@require_perm(Perm.APPROVE_CASES)
@require_POST
def plan_review(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        ReviewForm,
        "review_form",
        lambda user, plan, d: actions.review_plan(
            user,
            plan,
            approve=d["decision"] == "approve",
            reason=d["reason"],
            version=d["version"],
            request=request,
        ),
        _("Decision recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def plan_activate(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        ActivateForm,
        "activate_form",
        lambda user, plan, d: actions.activate_plan(
            user, plan, start_on=d["start_on"], version=d["version"], request=request
        ),
        _("Plan started; follow-up visits scheduled."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _step(
        request,
        plan_id,
        VersionForm,
        "version_form",
        lambda user, plan, d: actions.close_plan(user, plan, version=d["version"], request=request),
        _("Plan closed."),
    )
