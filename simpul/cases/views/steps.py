"""Each step of a case posts to `case_step`, which hands the form to the matching action; a
step that is not the user's to do is refused with a message and changes nothing. The
chronology and tasks have their own small pages."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases import actions, forms, queries, timeline
from simpul.cases.models import Case
from simpul.cases.views.page import (
    INLINE_STEPS,
    LAZY_STEPS,
    OWN_PART_STEPS,
    STEP_BUTTONS,
    STEP_TITLES,
    _assignees,
    _forms_for,
    _owner_can_edit,
    _refer_side,
    _render_case,
)
from simpul.core.errors import StaleRecordError
from simpul.core.http import is_htmx
from simpul.identity.queries import get_person_for
from simpul.referrals import actions as referral_actions


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
        if not queries.acts_by_referral(user, case):
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
