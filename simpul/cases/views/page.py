"""The case page: the case file in the sections the reader may see, its forms built on first
use, and opening a case from a screening."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import acting_agency_ids, case_workers_of
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases import actions, forms, queries, timeline
from simpul.cases.models import Case, Stage
from simpul.referrals import actions as referral_actions
from simpul.referrals.models import Section
from simpul.screening.queries import get_result_for

STEP_TITLES = {
    "consent": gettext_lazy("Consent"),
    "event": gettext_lazy("Add to the chronology (what happened, where, when)"),
    "task": gettext_lazy("Create a task"),
    "assign": gettext_lazy("Assign a case worker"),
    "referral": gettext_lazy("Refer to another agency"),
    "details": gettext_lazy("Case details (HTCDS and SIMFONI)"),
    "closure": gettext_lazy("Close the case"),
    "reopen": gettext_lazy("Reopen the case"),
}
STEP_BUTTONS = {
    "consent": gettext_lazy("Save consent"),
    "event": gettext_lazy("Add to the chronology"),
    "task": gettext_lazy("Create the task"),
    "assign": gettext_lazy("Assign"),
    "referral": gettext_lazy("Send referral"),
    "details": gettext_lazy("Save details"),
    "closure": gettext_lazy("Request closure"),
    "reopen": gettext_lazy("Reopen"),
}

INLINE_STEPS = {"withdraw_consent"}  # a button next to what it acts on
LAZY_STEPS = {"consent", "event", "task", "assign", "referral", "details", "closure", "reopen"}
# What a receiving agency asked to act records itself: its services and its own tasks.
OWN_PART_STEPS = {"service", "task"}


def _agencies() -> Any:
    return Agency.objects.filter(is_active=True).order_by("name")


class _LazyForms(dict[str, Any]):
    """Forms built on first use, so a page renders only the forms it shows."""

    def __init__(self, factories: dict[str, Callable[[], Any]]) -> None:
        super().__init__()
        self._factories = factories

    def __missing__(self, key: str) -> Any:
        self[key] = value = self._factories[key]()
        return value


def _victims_shown(user: Any, case: Case) -> list[Any]:
    """The case's victims, only for a viewer the identity section is shown to."""
    if Section.IDENTITY not in queries.visible_sections(user, case):
        return []
    return [v.person for v in case.victims.select_related("person")]


def _refer_side(user: Any, case: Case) -> tuple[int, set[str] | None, bool] | None:
    """(sending agency, sections it may pass on or None for all, may ask to act), or None
    when the user cannot refer this case."""
    try:
        return referral_actions.sending_side(user, case)
    except PermissionDenied:
        return None


def _acting_agencies(user: Any) -> set[int]:
    return set(acting_agency_ids(user))


def _task_agencies(user: Any, case: Case, owner: bool) -> Any:
    """The owner side gives tasks to any agency; a receiver only to its own."""
    agencies = _agencies()
    return agencies if owner else agencies.filter(pk__in=_acting_agencies(user))


def _assignees(agency_ids: set[int]) -> Any:
    ids = {u.pk for a in sorted(agency_ids) for u in queries.task_assignees(a)}
    return User.objects.filter(pk__in=ids).order_by("username")


def _forms_for(
    case: Case, user: Any, data: Any = None, step: str = "", *, owner: bool | None = None
) -> dict[str, Any]:
    bound = {step: data} if data is not None else {}
    initial_details = {f: getattr(case, f) for f in forms.DetailsForm.base_fields if f != "version"}
    owner = _owner_can_edit(user, case) if owner is None else owner

    def referral_form() -> Any:
        side = _refer_side(user, case)
        from_agency, allowed, may_ask = side if side else (case.owner_agency_id, set(), False)
        return forms.ReferralForm(
            bound.get("referral"),
            agencies=agencies.exclude(pk__in=[case.owner_agency_id, from_agency]),
            sections=allowed,
            may_ask_to_act=may_ask,
            may_override=allowed is None,
        )

    def assessment_form() -> Any:
        # Returned for changes: the text submitted before is there to edit.
        text = queries.sealed(case, "assessment") if case.assessment_sealed else ""
        return forms.TextStepForm(
            bound.get("assessment"), initial={"version": case.version, "text": text}
        )

    def plan_form() -> Any:
        goals = queries.sealed(case, "plan_goals") if case.plan_goals_sealed else ""
        rows = list(case.plan_items.filter(is_task=False).order_by("due_on", "id"))
        return forms.PlanForm(
            bound.get("plan"),
            agencies=agencies,
            rows=rows,
            initial={"version": case.version, "goals": goals},
        )

    def task_form() -> Any:
        task_agencies = _task_agencies(user, case, owner)
        return forms.TaskForm(
            bound.get("task"),
            agencies=task_agencies,
            assignees=_assignees(set(task_agencies.values_list("pk", flat=True))),
            initial={"responsible_agency": case.owner_agency_id if owner else None},
        )

    agencies = _agencies()
    return _LazyForms(
        {
            "details": lambda: forms.DetailsForm(
                bound.get("details"), initial={**initial_details, "version": case.version}
            ),
            "assessment": assessment_form,
            "approve_assessment": lambda: forms.DecisionForm(bound.get("approve_assessment")),
            "plan": plan_form,
            "approve_plan": lambda: forms.DecisionForm(bound.get("approve_plan")),
            "service": lambda: forms.ServiceForm(bound.get("service"), agencies=agencies),
            "consent": lambda: forms.ConsentForm(
                bound.get("consent"), victims=_victims_shown(user, case), agencies=agencies
            ),
            "withdraw_consent": lambda: forms.WithdrawConsentForm(
                bound.get("withdraw_consent"), consents=list(case.consents.all())
            ),
            "event": lambda: forms.EventForm(bound.get("event")),
            "task": task_form,
            "assign": lambda: forms.AssignWorkerForm(
                bound.get("assign"),
                workers=User.objects.filter(
                    pk__in=[w.pk for w in case_workers_of(case.owner_agency_id)]
                ).order_by("username"),
                initial={"worker": case.assigned_to_id},
            ),
            "referral": referral_form,
            "closure": lambda: forms.ClosureForm(
                bound.get("closure"), initial={"version": case.version}
            ),
            "approve_closure": lambda: forms.ClosureDecisionForm(bound.get("approve_closure")),
            "reopen": lambda: forms.ReopenForm(bound.get("reopen")),
        }
    )


def _returned(case: Case) -> dict[str, Any] | None:
    """What a supervisor sent back, with the reason, for the owner side to see."""
    if not case.returned_step:
        return None
    return {
        "step": case.get_returned_step_display(),
        "code": case.returned_step,
        "reason": queries.sealed(case, "return_reason"),
        "by": case.returned_by,
        "at": case.returned_at,
    }


def _render_case(
    request: HttpRequest,
    case: Case,
    case_forms: dict[str, Any] | None = None,
    stale: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    sections = queries.visible_sections(user, case)
    principal = principal_for(user)
    owner_edit = _owner_can_edit(user, case)
    can_act = owner_edit or queries.acts_by_referral(user, case)
    can_refer = owner_edit or _refer_side(user, case) is not None
    can_approve = any(
        g.agency_id == case.owner_agency_id for g in principal.grants_with(Perm.APPROVE_CASES)
    )
    acting = _acting_agencies(user)
    tasks = [
        (t, queries.task_title(t))
        for t in case.plan_items.filter(queries.ACTIVE_TASKS).select_related(
            "responsible_agency", "assigned_to"
        )
        if "plan" in sections or t.responsible_agency_id in acting
    ]
    # Who may change a task: the owner side any, a receiver asked to act its agency's own.
    changeable = {
        t.pk for t, _title in tasks if owner_edit or (can_act and t.responsible_agency_id in acting)
    }
    assignees = {
        a: list(queries.task_assignees(a))
        for a in {t.responsible_agency_id for t, _title in tasks if t.pk in changeable}
    }
    steps = []
    if owner_edit:
        steps = ["consent", "event", "task", "referral", "details", "closure"]
        if can_approve:
            steps.append("assign")
    elif can_refer or can_act:
        steps = (["task"] if can_act else []) + (["referral"] if can_refer else [])
    received = (
        []
        if owner_edit or case.owner_agency_id in {g.agency_id for g in principal.grants}
        else [s for s in Section.values if s in sections]
    )
    context = {
        "case": case,
        "forms": case_forms or _forms_for(case, user, owner=owner_edit),
        "sections": sections,
        "received_sections": received,
        "victims": _victims_shown(user, case),
        "assessment": queries.sealed(case, "assessment") if "assessment" in sections else "",
        "plan_goals": queries.sealed(case, "plan_goals") if "plan" in sections else "",
        "plan_items": list(
            case.plan_items.filter(is_task=False).select_related("responsible_agency")
        )
        if "plan" in sections
        else [],
        "tasks": [(t, title, assignees.get(t.responsible_agency_id)) for t, title in tasks],
        "changeable_tasks": changeable,
        "events": list(case.events.select_related("region")) if "events" in sections else [],
        "services": list(case.services.select_related("provider")[:100])
        if "services" in sections
        else [],
        "consents": list(case.consents.prefetch_related("share_with")),
        "referrals": list(case.referrals.select_related("to_agency")),
        "timeline": timeline.lines(list(case.activities.select_related("actor")[:100])),
        "returned": _returned(case) if owner_edit else None,
        # The owner side edits the case file; a receiver asked to act records its own part
        # (services, its tasks); a receiver may refer on what it was shown.
        "can_edit": owner_edit,
        "can_act": can_act,
        "can_refer": can_refer,
        "can_approve": can_approve,
        "can_override": principal.has_perm(Perm.CONSENT_OVERRIDE),
        "stale": stale,
        "Stage": Stage,
        "today": timezone.localdate(),
        "open_step": next(
            (
                k
                for k in LAZY_STEPS
                if k in (case_forms or {}) and getattr((case_forms or {})[k], "is_bound", False)
            ),
            "",
        ),
        "lazy_steps": [(k, STEP_TITLES[k], STEP_BUTTONS[k]) for k in steps],
    }
    audit("case.view", request=request, record=case, fields=sorted(sections))
    return render(request, "cases/case_detail.html", context, status=status)


def _owner_can_edit(user: Any, case: Case) -> bool:
    """The owner side (not an agency the case was referred to) may edit the case file."""
    return queries.owner_side(user, case)


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = queries.get_case_for(acting_user(request), case_id, request=request)
    return _render_case(request, case)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def open_from_screening(request: HttpRequest, result_id: str) -> HttpResponse:
    user = acting_user(request)
    result = get_result_for(user, result_id, perm=Perm.EDIT_RECORDS, request=request)
    agency_id = result.intake.owner_agency_id if result.intake else result.owner_agency_id
    workers = case_workers_of(agency_id)
    if request.method == "POST":
        chosen = request.POST.get("assigned_to", "")
        worker = next((w for w in workers if str(w.pk) == chosen), None)
        case = actions.open_case(
            user,
            victims=[result.person],
            intake=result.intake,
            screening=result,
            assigned_to=worker,
            request=request,
        )
        messages.success(request, _("Case %(code)s opened.") % {"code": case.code})
        return redirect("cases:detail", case_id=case.id)
    audit("screening.view", request=request, record=result, fields=["person", "result"])
    return render(request, "cases/open_case.html", {"result": result, "workers": workers})
