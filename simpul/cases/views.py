"""Case pages: lists and search, the case file with its workflow steps, opening a case from a
screening, and answering referrals. Each step posts to `case_step`, which hands the form to
the matching action."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import case_workers_of
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases import actions, forms, queries, timeline
from simpul.cases.models import Case, Stage
from simpul.core.errors import StaleRecordError
from simpul.core.http import is_htmx
from simpul.core.scoping import can_access
from simpul.identity.queries import get_person_for
from simpul.referrals import actions as referral_actions
from simpul.referrals.models import ReferralStatus, Section
from simpul.referrals.queries import (
    ReferralFilters,
    coordination_table,
    incoming_for,
    incoming_referral_for,
    overdue_outgoing_for,
)
from simpul.referrals.queries import referral_list as referral_queryset
from simpul.screening.queries import get_result_for

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
    return {g.agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)}


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
    can_act = can_access(user, case, Perm.EDIT_RECORDS)
    can_refer = owner_edit or _refer_side(user, case) is not None
    can_approve = any(
        g.agency_id == case.owner_agency_id for g in principal.grants_with(Perm.APPROVE_CASES)
    )
    acting = _acting_agencies(user)
    tasks = [
        (t, queries.task_title(t))
        for t in case.plan_items.select_related("responsible_agency", "assigned_to")
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
        "plan_items": [t for t, _title in tasks if not t.is_task] if "plan" in sections else [],
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
    return (
        queries.cases_for(user, Perm.EDIT_RECORDS, include_referrals=False)
        .filter(pk=case.pk)
        .exists()
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    case = queries.get_case_for(acting_user(request), case_id, request=request)
    return _render_case(request, case)


def _details(request: HttpRequest, case: Case, form: Any) -> None:
    changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    actions.update_details(
        acting_user(request),
        case,
        changes,
        expected_version=form.cleaned_data["version"],
        request=request,
    )


def _event_fields(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "event_type": d["event_type"],
        "occurred_on": d["occurred_on"],
        "until_on": d["until_on"],
        "region": d["region"],
        "country": d["country"] or "",
        "place": d["place"],
    }


def _withdraw(request: HttpRequest, case: Case, form: Any) -> object:
    consent = case.consents.get(pk=int(form.cleaned_data["consent"]))
    return actions.withdraw_consent(acting_user(request), consent, request=request)


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

STEPS: dict[str, Callable[[HttpRequest, Case, Any], object]] = {
    "details": _details,
    "assessment": lambda r, c, f: actions.submit_assessment(
        acting_user(r),
        c,
        f.cleaned_data["text"],
        expected_version=f.cleaned_data["version"],
        request=r,
    ),
    "approve_assessment": lambda r, c, f: actions.approve_assessment(
        acting_user(r),
        c,
        approve=f.cleaned_data["approve"],
        reason=f.cleaned_data["reason"],
        request=r,
    ),
    "plan": lambda r, c, f: actions.submit_plan(
        acting_user(r),
        c,
        f.cleaned_data["goals"],
        f.items(),
        expected_version=f.cleaned_data["version"],
        request=r,
    ),
    "approve_plan": lambda r, c, f: actions.approve_plan(
        acting_user(r),
        c,
        approve=f.cleaned_data["approve"],
        reason=f.cleaned_data["reason"],
        request=r,
    ),
    "service": lambda r, c, f: actions.record_service(
        acting_user(r),
        c,
        service=f.cleaned_data["service"],
        delivered_on=f.cleaned_data["delivered_on"],
        provider=f.cleaned_data["provider"],
        outcome=f.cleaned_data["outcome"],
        request=r,
    ),
    "consent": lambda r, c, f: actions.record_consent(
        acting_user(r),
        c,
        get_person_for(acting_user(r), f.cleaned_data["person"], request=r),
        items=f.cleaned_data["items"],
        share_with=list(f.cleaned_data["share_with"]),
        is_child=f.cleaned_data["is_child"],
        guardian_consent=f.cleaned_data["guardian_consent"],
        guardian_relation=f.cleaned_data["guardian_relation"],
        request=r,
    ),
    "withdraw_consent": _withdraw,
    "event": lambda r, c, f: actions.record_event(acting_user(r), c, **_event_fields(f), request=r),
    "task": lambda r, c, f: actions.create_task(
        acting_user(r),
        c,
        title=f.cleaned_data["title"],
        due_on=f.cleaned_data["due_on"],
        responsible_agency=f.cleaned_data["responsible_agency"],
        assigned_to=f.cleaned_data["assigned_to"],
        request=r,
    ),
    "assign": lambda r, c, f: actions.assign_worker(
        acting_user(r), c, f.cleaned_data["worker"], request=r
    ),
    "referral": lambda r, c, f: referral_actions.send_referral(
        acting_user(r),
        c,
        f.cleaned_data["to_agency"],
        reason=f.cleaned_data["reason"],
        sections=f.cleaned_data["sections"],
        service=f.cleaned_data["service"],
        override_reason=f.cleaned_data.get("override_reason", ""),
        receiver_acts=bool(f.cleaned_data.get("receiver_acts")),
        request=r,
    ),
    "closure": lambda r, c, f: actions.request_closure(
        acting_user(r),
        c,
        reason=f.cleaned_data["reason"],
        expected_version=f.cleaned_data["version"],
        request=r,
    ),
    "approve_closure": lambda r, c, f: actions.approve_closure(
        acting_user(r),
        c,
        approve=f.cleaned_data["approve"],
        reason=f.cleaned_data["reason"],
        request=r,
    ),
    "reopen": lambda r, c, f: actions.reopen(
        acting_user(r), c, reason=f.cleaned_data["reason"], request=r
    ),
}


INLINE_STEPS = {"withdraw_consent"}  # a button next to what it acts on
LAZY_STEPS = {"consent", "event", "task", "assign", "referral", "details", "closure", "reopen"}
# What a receiving agency asked to act records itself: its services and its own tasks.
OWN_PART_STEPS = {"service", "task"}


def _step_form_page(request: HttpRequest, case: Case, step: str) -> HttpResponse:
    """A secondary step's form on its own: an HTMX fragment opened from the case page, or a
    full page when scripts are off. Audited: the form shows case data (the consent form the
    victims' codes and masked names, to the identity section's viewers only)."""
    form = _forms_for(case, acting_user(request))[step]
    audit(
        "case.view_step",
        request=request,
        record=case,
        fields=sorted(form.fields),
        reason=f"step {step}",
    )
    context = {
        "case": case,
        "step": step,
        "form": form,
        "title": STEP_TITLES[step],
        "button": STEP_BUTTONS[step],
    }
    if is_htmx(request):
        return render(request, "cases/partials/step_form.html", context)
    return render(request, "cases/step_page.html", context)


def _refuse(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    """A refused step: the case page with a clear message, nothing changed (403)."""
    messages.error(request, message)
    case.refresh_from_db()
    return _render_case(request, case, status=403)


def _not_owner_message(case: Case, step: str) -> str:
    if step in ("closure", "approve_closure"):
        return _(
            "Only the agency that owns the case (%(agency)s) can request its closure. Your "
            "agency records its own part of the work."
        ) % {"agency": case.owner_agency.name}
    return _(
        "Only the agency that owns the case (%(agency)s) can change its case file and "
        "workflow. Your agency records its own part of the work."
    ) % {"agency": case.owner_agency.name}


def _save_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in (
        exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    ):
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, case_id: str, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    user = acting_user(request)
    # Out of scope looks missing (404); in scope but not this user's to do is refused with
    # a message saying why (403), and changes nothing.
    case = queries.get_case_for(user, case_id, request=request)
    if step == "referral":
        # Owner side or a receiver referring on; `send_referral` decides what may be sent.
        if _refer_side(user, case) is None:
            return _refuse(request, case, _("Your agency can only read what was shared with it."))
    elif not _owner_can_edit(user, case):
        if step not in OWN_PART_STEPS:
            return _refuse(request, case, _not_owner_message(case, step))
        if not can_access(user, case, Perm.EDIT_RECORDS):
            return _refuse(
                request,
                case,
                _(
                    "Your agency was not asked to act on this case: it can only read what "
                    "was shared."
                ),
            )
    if request.method == "GET":
        if step not in LAZY_STEPS:
            raise Http404
        return _step_form_page(request, case, step)
    case_forms = _forms_for(case, user, request.POST, step)
    form = case_forms[step]
    if form.is_valid():
        try:
            STEPS[step](request, case, form)
        except StaleRecordError:
            case.refresh_from_db()
            last = case.activities.select_related("actor").first()
            stale = {
                "by": last.actor if last else None,
                "at": last.at if last else None,
                "summary": timeline.lines([last])[0].text if last else "",
            }
            messages.error(
                request,
                _(
                    "Not saved: someone else changed this case while you "
                    "were editing. Their change is shown below; your entry "
                    "is kept in the form."
                ),
            )
            return _render_case(request, case, case_forms, stale=stale, status=409)
        except PermissionDenied as exc:
            return _refuse(request, case, str(exc) or _("You cannot do this step on this case."))
        except ValidationError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:detail", case_id=case.id)
    if step in INLINE_STEPS:  # no form of its own on the page: the errors as a message
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    case.refresh_from_db()
    return _render_case(request, case, case_forms, status=422)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, case_id: str, event_id: int) -> HttpResponse:
    """Change or remove one step of the chronology (the owner side)."""
    user = acting_user(request)
    case = queries.get_case_for(user, case_id, request=request)
    if not _owner_can_edit(user, case):
        return _refuse(request, case, _not_owner_message(case, "event"))
    event = queries.get_event_for(user, case, event_id, request=request)
    if request.method == "POST" and request.POST.get("remove") == "1":
        actions.remove_event(user, event, request=request)
        messages.success(request, _("Removed from the chronology."))
        return redirect("cases:detail", case_id=case.id)
    initial = {
        "event_type": event.event_type,
        "occurred_on": event.occurred_on,
        "until_on": event.until_on,
        "region": event.region_id,
        "country": event.country,
        "place": event.place,
    }
    form = forms.EventForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.change_event(user, event, **_event_fields(form), request=request)
            except ValidationError as exc:
                _save_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("cases:detail", case_id=case.id)
        status = 422
    else:
        audit(
            "case.view_step", request=request, record=case, fields=["events"], reason="step event"
        )
    return render(
        request,
        "cases/event_edit.html",
        {"case": case, "event": event, "form": form, "step": "event_edit"},
        status=status,
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def task_change(request: HttpRequest, case_id: str, task_id: int) -> HttpResponse:
    """Reassign a task or mark it done: the owner side any task, a receiver asked to act its
    agency's own."""
    user = acting_user(request)
    case = queries.get_case_for(user, case_id, request=request)
    task = queries.get_task_for(user, case, task_id, request=request)
    form = forms.TaskChangeForm(request.POST, assignees=_assignees({task.responsible_agency_id}))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _render_case(request, case, status=422)
    try:
        if form.cleaned_data["done"]:
            actions.complete_task(user, task, request=request)
        else:
            actions.reassign_task(user, task, form.cleaned_data["assigned_to"], request=request)
    except PermissionDenied as exc:
        return _refuse(request, case, str(exc) or _not_owner_message(case, "task"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        case.refresh_from_db()
        return _render_case(request, case, status=422)
    messages.success(request, _("Saved."))
    return redirect("cases:detail", case_id=case.id)


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


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def answer_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = acting_user(request)
    referral = incoming_referral_for(user, referral_id)
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
