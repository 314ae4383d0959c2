"""The shelter officer's pages: the board, the stay list, one stay and every step of it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.forms import run_form_action
from simpul.shelters import actions, queries
from simpul.shelters.codes import (
    HANDOVER_STAY_STATUSES,
    OPEN_STATUSES,
    RESIDENT_STATUSES,
    ExitReason,
    HandoverStatus,
    StayStatus,
)
from simpul.shelters.forms import (
    CancelForm,
    CheckInForm,
    CheckOutForm,
    DocumentForm,
    ExtensionForm,
    PlanFromReferralForm,
    RestrictionForm,
    VersionForm,
)
from simpul.shelters.models import Stay
from simpul.shelters.queries import handover as handover_queries
from simpul.shelters.views.common import menu, page_of


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Who is here since when, what is due, documents held, admissions waiting."""
    user = acting_user(request)
    here = queries.stay_list(user, queries.StayFilters(status="here"))
    due = queries.stay_list(user, queries.StayFilters(status="here", due=True))
    page, query = page_of(request, here)
    audit("shelter.board", request=request, record_type="shelters.stay", count=len(page))
    return render(
        request,
        "shelters/board.html",
        {
            "page": page,
            "query": query,
            "due": due[:50],
            "due_count": due.count(),
            "restrictions": queries.restrictions_due(user)[:50],
            "held": queries.held_after_checkout(user)[:50],
            "held_count": queries.held_after_checkout(user).count(),
            "admissions": queries.admissions_waiting(user).select_related("case")[:50],
            "plan_form": PlanFromReferralForm(shelters=queries.operated_shelters(user)),
            "shelters": queries.operated_shelters(user).order_by("name"),
            "menu": menu(user, "shelters:board"),
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def plan_from_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = acting_user(request)
    referral = queries.get_admission_for(user, referral_id, request)
    form = PlanFromReferralForm(request.POST, shelters=queries.operated_shelters(user))
    done = run_form_action(
        request,
        form,
        lambda d: actions.plan_stay_from_referral(
            user, referral, d["shelter"], planned_on=d["planned_on"], request=request
        ),
        success=_("Stay planned."),
        redirect_to=lambda stays: redirect("shelters:stay_detail", stay_id=stays[0].pk),
    )
    if done:
        return done
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("shelters:board")


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def stay_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filters = queries.StayFilters.from_query(request.GET)
    page, query = page_of(request, queries.stay_list(user, filters))
    audit("stay.list", request=request, record_type="shelters.stay", count=len(page))
    return render(
        request,
        "shelters/stay_list.html",
        {
            "page": page,
            "query": query,
            "f": filters,
            "statuses": [
                ("here", _("Here now")),
                ("open", _("Open")),
                ("all", _("All")),
                *StayStatus.choices,
            ],
            "shelters": queries.shelters_for(user)
            .filter(pk__in=queries.stays_for(user).values("shelter_id"))
            .order_by("name"),
            "menu": menu(user, "shelters:stay_list"),
        },
    )


def _stay_context(request: HttpRequest, stay: Stay, **forms_: object) -> dict[str, Any]:
    user = acting_user(request)
    initial = {"version": stay.version}
    handovers = list(handover_queries.handovers_of_stay(user, stay))
    context: dict[str, Any] = {
        "stay": stay,
        "can_edit": queries.stays_for(user, Perm.EDIT_RECORDS).filter(pk=stay.pk).exists()
        and stay.shelter.operator_agency_id in queries.member_agencies(user, Perm.EDIT_RECORDS),
        "beds": queries.beds_now(stay.shelter),
        "events": stay.events.select_related("by").all(),
        "extensions": stay.extensions.select_related("decided_by").all(),
        "restrictions": stay.restrictions.select_related("decided_by").all(),
        "documents": stay.documents.select_related("received_by").all(),
        "held": queries.documents_held(stay).count(),
        "handovers": handovers,
        "may_hand_over": stay.status in HANDOVER_STAY_STATUSES
        and not any(h.status != HandoverStatus.CANCELLED for h in handovers),
        "resident": stay.status in RESIDENT_STATUSES,
        "open": stay.status in OPEN_STATUSES,
        "S": StayStatus,
        "checkin_form": CheckInForm(initial=initial),
        "checkout_form": CheckOutForm(initial=initial),
        "cancel_form": CancelForm(initial=initial),
        "extension_form": ExtensionForm(initial=initial),
        "restriction_form": RestrictionForm(),
        "document_form": DocumentForm(),
        "version_form": VersionForm(initial=initial),
        "menu": menu(user, "shelters:stay_list"),
    }
    context.update(forms_)
    return context


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def stay_detail(request: HttpRequest, stay_id: str) -> HttpResponse:
    user = acting_user(request)
    stay = queries.get_stay_for(user, stay_id, request=request)
    audit("stay.view", request=request, record=stay)
    return render(request, "shelters/stay_detail.html", _stay_context(request, stay))


def _stay_step(
    request: HttpRequest,
    stay_id: str,
    form_class: type[forms.Form],
    form_name: str,
    run: Callable[[Any, Stay, dict[str, Any]], Any],
    success: str,
    then: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    user = acting_user(request)
    stay = queries.get_stay_for(user, stay_id, perm=Perm.EDIT_RECORDS, request=request)
    form = form_class(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: run(user, stay, d),
        success=success,
        redirect_to=then or redirect("shelters:stay_detail", stay_id=stay.pk),
    )
    if done:
        return done
    stale = any("changed this record" in str(e) for e in form.non_field_errors())
    stay.refresh_from_db()
    return render(
        request,
        "shelters/stay_detail.html",
        _stay_context(request, stay, **{form_name: form}),
        status=409 if stale else 422,
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def stay_check_in(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        CheckInForm,
        "checkin_form",
        lambda user, stay, d: actions.check_in(
            user,
            stay,
            overflow_reason=d["overflow_reason"],
            consent_basis=d["consent_basis"],
            version=d["version"],
            request=request,
        ),
        _("Resident checked in."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def stay_absent(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        VersionForm,
        "version_form",
        lambda user, stay, d: (
            actions.mark_back if stay.status == StayStatus.ABSENT else actions.mark_absent
        )(user, stay, version=d["version"], request=request),
        _("Presence recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def stay_check_out(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        CheckOutForm,
        "checkout_form",
        lambda user, stay, d: actions.check_out(
            user, stay, exit_reason=d["exit_reason"], version=d["version"], request=request
        ),
        _("Resident checked out."),
        # Returned home: the handover (berita acara serah terima) is drafted next.
        then=lambda stay: redirect(
            "shelters:handover_create"
            if stay.exit_reason == ExitReason.RETURNED_HOME
            else "shelters:stay_detail",
            stay_id=stay.pk,
        ),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def stay_cancel(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        CancelForm,
        "cancel_form",
        lambda user, stay, d: actions.cancel_stay(
            user, stay, reason=d["reason"], version=d["version"], request=request
        ),
        _("Stay cancelled."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def stay_extend(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        ExtensionForm,
        "extension_form",
        lambda user, stay, d: actions.extend_stay(
            user, stay, until=d["until"], reason=d["reason"], version=d["version"], request=request
        ),
        _("Extension recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def stay_restrict(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        RestrictionForm,
        "restriction_form",
        lambda user, stay, d: actions.restrict_movement(
            user,
            stay,
            kind=d["kind"],
            legal_basis=d["legal_basis"],
            review_on=d["review_on"],
            request=request,
        ),
        _("Restriction recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def restriction_lift(request: HttpRequest, stay_id: str, restriction_id: int) -> HttpResponse:
    def run(user: Any, stay: Stay, d: dict[str, Any]) -> Any:
        return actions.lift_restriction(
            user, stay.restrictions.get(pk=restriction_id), request=request
        )

    return _stay_step(request, stay_id, VersionForm, "version_form", run, _("Restriction lifted."))


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def document_receive(request: HttpRequest, stay_id: str) -> HttpResponse:
    return _stay_step(
        request,
        stay_id,
        DocumentForm,
        "document_form",
        lambda user, stay, d: actions.receive_document(
            user,
            stay,
            document_type=d["document_type"],
            number=d["number"],
            consent=d["consent"],
            request=request,
        ),
        _("Document taken into safekeeping."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def document_return(request: HttpRequest, stay_id: str, document_id: int) -> HttpResponse:
    def run(user: Any, stay: Stay, d: dict[str, Any]) -> Any:
        return actions.return_document(user, stay.documents.get(pk=document_id), request=request)

    return _stay_step(request, stay_id, VersionForm, "version_form", run, _("Document returned."))
