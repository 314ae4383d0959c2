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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.models import Agency
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import case_workers_of
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases import actions, forms, queries
from simpul.cases.models import Case, Stage
from simpul.core.errors import StaleRecordError
from simpul.core.scoping import can_access
from simpul.identity.queries import get_person_for
from simpul.referrals import actions as referral_actions
from simpul.referrals.models import Section
from simpul.referrals.queries import (
    coordination_table,
    incoming_for,
    incoming_referral_for,
    overdue_outgoing_for,
)
from simpul.screening.queries import get_result_for


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    """GET lists my cases (paged by `?page=`); a search is POSTed (CSRF-protected) and answered
    on the POST, so a victim's name or NIK never reaches a URL. A `?q=` in the URL is ignored."""
    user = acting_user(request)
    q = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    if q:
        cases = queries.search_cases(user, q)
        audit(
            "case.search", request=request, record_type="cases.case", count=len(cases), searched=q
        )
    else:
        page = Paginator(queries.my_cases(user), 25).get_page(request.GET.get("page"))
        cases = list(page.object_list)
        audit("case.list", request=request, record_type="cases.case", count=len(cases))
    principal = principal_for(user)
    context: dict[str, Any] = {
        "page": None if q else page,
        "cases": cases,
        "q": q,
        "tasks": list(queries.my_tasks(user)[:50]),
        "incoming": list(incoming_for(user)),
    }
    if principal.has_perm(Perm.APPROVE_CASES):
        context["team"] = queries.team_caseload(user)
        context["awaiting"] = list(queries.awaiting_approval(user)[:50])
        context["overdue_referrals"] = list(overdue_outgoing_for(user))
    partial = bool(request.headers.get("HX-Request"))
    return render(
        request, "cases/partials/case_rows.html" if partial else "cases/case_list.html", context
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


def _forms_for(case: Case, user: Any, data: Any = None, step: str = "") -> dict[str, Any]:
    bound = {step: data} if data is not None else {}
    initial_details = {f: getattr(case, f) for f in forms.DetailsForm.base_fields if f != "version"}

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

    agencies = _agencies()
    return _LazyForms(
        {
            "details": lambda: forms.DetailsForm(
                bound.get("details"), initial={**initial_details, "version": case.version}
            ),
            "assessment": lambda: forms.TextStepForm(
                bound.get("assessment"), initial={"version": case.version}
            ),
            "approve_assessment": lambda: forms.DecisionForm(bound.get("approve_assessment")),
            "plan": lambda: forms.PlanForm(
                bound.get("plan"), agencies=agencies, initial={"version": case.version}
            ),
            "approve_plan": lambda: forms.DecisionForm(bound.get("approve_plan")),
            "service": lambda: forms.ServiceForm(bound.get("service"), agencies=agencies),
            "consent": lambda: forms.ConsentForm(
                bound.get("consent"), victims=_victims_shown(user, case), agencies=agencies
            ),
            "referral": referral_form,
            "closure": lambda: forms.ClosureForm(
                bound.get("closure"), initial={"version": case.version}
            ),
            "approve_closure": lambda: forms.DecisionForm(bound.get("approve_closure")),
            "reopen": lambda: forms.ReopenForm(bound.get("reopen")),
        }
    )


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
    can_refer = owner_edit or _refer_side(user, case) is not None
    context = {
        "case": case,
        "forms": case_forms or _forms_for(case, user),
        "sections": sections,
        "victims": _victims_shown(user, case),
        "assessment": queries.sealed(case, "assessment") if "assessment" in sections else "",
        "plan_goals": queries.sealed(case, "plan_goals") if "plan" in sections else "",
        "plan_items": list(case.plan_items.select_related("responsible_agency"))
        if "plan" in sections
        else [],
        "services": list(case.services.select_related("provider")[:100])
        if "services" in sections
        else [],
        "consents": list(case.consents.prefetch_related("share_with")),
        "referrals": list(case.referrals.select_related("to_agency")),
        "timeline": list(case.activities.select_related("actor")[:100]),
        # The owner side edits the case file; a receiver asked to act records its own part
        # (services); a receiver may refer on what it was shown.
        "can_edit": owner_edit,
        "can_act": can_access(user, case, Perm.EDIT_RECORDS),
        "can_refer": can_refer,
        "can_approve": any(
            g.agency_id == case.owner_agency_id for g in principal.grants_with(Perm.APPROVE_CASES)
        ),
        "can_override": principal.has_perm(Perm.CONSENT_OVERRIDE),
        "stale": stale,
        "Stage": Stage,
        "open_step": next(
            (
                k
                for k in LAZY_STEPS
                if k in (case_forms or {}) and getattr((case_forms or {})[k], "is_bound", False)
            ),
            "",
        ),
        "lazy_steps": [
            (k, STEP_TITLES[k], STEP_BUTTONS[k])
            for k in (
                ["consent", "referral", "details", "closure"]
                if owner_edit
                else (["referral"] if can_refer else [])
            )
        ],
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


STEP_TITLES = {
    "consent": gettext_lazy("Consent"),
    "referral": gettext_lazy("Refer to another agency"),
    "details": gettext_lazy("Case details (HTCDS and SIMFONI)"),
    "closure": gettext_lazy("Close the case"),
    "reopen": gettext_lazy("Reopen the case"),
}
STEP_BUTTONS = {
    "consent": gettext_lazy("Save consent"),
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
        acting_user(r), c, approve=f.cleaned_data["approve"], request=r
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
        acting_user(r), c, approve=f.cleaned_data["approve"], request=r
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
        acting_user(r), c, approve=f.cleaned_data["approve"], request=r
    ),
    "reopen": lambda r, c, f: actions.reopen(
        acting_user(r), c, reason=f.cleaned_data["reason"], request=r
    ),
}


LAZY_STEPS = {"consent", "referral", "details", "closure", "reopen"}
OWN_PART_STEPS = {"service"}  # what a receiving agency asked to act records itself


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
    if request.headers.get("HX-Request"):
        return render(request, "cases/partials/step_form.html", context)
    return render(request, "cases/step_page.html", context)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, case_id: str, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    user = acting_user(request)
    if step == "referral":
        # Owner side or a receiver referring on; `send_referral` decides what may be sent.
        case = queries.get_case_for(user, case_id, request=request)
        if _refer_side(user, case) is None:
            raise Http404
    else:
        # Only the service step is open to a receiver asked to act (its own part); the
        # owner's case file is edited by the owner side only.
        case = queries.get_case_for(
            user,
            case_id,
            perm=Perm.EDIT_RECORDS,
            include_referrals=step in OWN_PART_STEPS,
            request=request,
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
                "summary": last.summary if last else "",
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
        except ValidationError as exc:
            for field, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:detail", case_id=case.id)
    case.refresh_from_db()
    return _render_case(request, case, case_forms, status=422)


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
