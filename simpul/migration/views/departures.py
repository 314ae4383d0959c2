"""Departure registry pages: register, open, update documents, confirm or cancel, record
check-ins, refer a problem, and show the sealed contacts to those who state why."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.forms import run_form_action
from simpul.identity.forms import RevealForm
from simpul.justice import queries as justice_queries
from simpul.migration import actions, queries
from simpul.migration.capabilities import DUTIES, Duty, acting_agency, may
from simpul.migration.codes import Channel, CheckInOutcome, Stage
from simpul.migration.forms import (
    CheckInForm,
    ConfirmDepartureForm,
    DepartureForm,
    DocumentsForm,
    ReferForm,
    VersionForm,
)
from simpul.migration.models import CheckIn, Departure
from simpul.migration.views.common import (
    duplicate_choice,
    duties,
    keep_candidates,
    menu,
    refer_from_form,
)

GROUPS = [
    (
        "person",
        ["full_name", "nik", "birth_date", "sex", "phone", "address", "home_village"],
    ),
    (
        "journey",
        [
            "already_left",
            "planned_on",
            "departed_on",
            "destination_country",
            "destination_place",
            "job",
            "job_detail",
            "employer",
        ],
    ),
    (
        "channel",
        [
            "channel",
            "placement_company",
            "placement_licence",
            "recruiter",
            "route",
            "crossing_point",
            "travel_document",
            "travel_purpose",
        ],
    ),
    (
        "checks",
        [
            "passport_birth_date",
            "name_mismatch",
            "fees_or_debt",
            "passport_held_by_recruiter",
        ],
    ),
    (
        "family",
        [
            "family_contact_name",
            "family_contact_relationship",
            "family_contact_phone",
            "checkin_months",
        ],
    ),
]


def _group_titles() -> dict[str, str]:
    return {
        "person": _("The migrant"),
        "journey": _("Where to and when"),
        "channel": _("How: channel, route and documents of travel"),
        "checks": _("Checks against the known modus"),
        "family": _("Family contact and check-ins"),
    }


def _to_departure(departure: Departure) -> HttpResponse:
    return redirect("migration:departure_detail", departure_id=departure.id)


@require_perm(Perm.EDIT_RECORDS, agency_types=DUTIES[Duty.DEPARTURES])
@require_http_methods(["GET", "POST"])
def departure_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agency = acting_agency(user, Duty.DEPARTURES)
    form = DepartureForm(request.POST or None, within=agency.jurisdiction_id)

    def register(d: dict[str, Any]) -> Departure:
        departure, warnings = actions.register_departure(
            user,
            form.identity(),
            form.departure_input(),
            home_village=d["home_village"],
            request=request,
            duplicate_choice=duplicate_choice(request),
        )
        for warning in warnings:
            messages.warning(request, warning)
        return departure

    if done := run_form_action(
        request,
        form,
        keep_candidates(request, form, register),
        success=lambda departure: _("Departure %(ref)s registered.") % {"ref": departure.reference},
        redirect_to=_to_departure,
    ):
        return done
    titles = _group_titles()
    groups = [(titles[key], [form[n] for n in names]) for key, names in GROUPS]
    return render(
        request,
        "migration/departure_form.html",
        {"form": form, "groups": groups, "menu": menu(user, "migration:register")},
    )


def _detail_context(request: HttpRequest, departure: Departure) -> dict[str, object]:
    user = acting_user(request)
    principal = principal_for(user)
    can_edit = principal.has_perm(Perm.EDIT_RECORDS) and may(user, Duty.DEPARTURES)
    docs = {d.code: d for d in departure.documents.all()}
    initial: dict[str, object] = {"version": departure.version}
    for code, doc in docs.items():
        initial[f"doc_{code}"] = doc.present
        initial[f"ack_{code}"] = doc.acknowledged
    checkins = sorted(
        queries.checkins_for(user).filter(departure=departure).select_related("referred_intake"),
        key=lambda c: (c.due_on or c.contacted_on or departure.left_on, c.created_at),
    )
    return {
        "d": departure,
        # The placement-company register (justice): unknown, suspended or revoked is flagged.
        "company_check": justice_queries.placement_company_check(
            departure.placement_company,
            departure.placement_licence,
            placement_channel=departure.channel == Channel.P3MI,
        ),
        "documents": departure.documents.all(),
        "checkins": checkins,
        "returns": queries.returns_of_departure(user, departure),
        "missing": queries.missing_for(user).filter(person_id=departure.person_id),
        "can_edit": can_edit,
        "can_reveal": principal.has_perm(Perm.REVEAL_IDENTITY),
        "documents_form": DocumentsForm(initial=initial),
        "confirm_form": ConfirmDepartureForm(initial={"version": departure.version}),
        "version_form": VersionForm(initial={"version": departure.version}),
        "checkin_form": CheckInForm(),
        "refer_form": ReferForm(),
        "reveal_form": RevealForm(),
        "stage": Stage,
        "problem": CheckInOutcome.PROBLEM,
        "menu": menu(user, "migration:register"),
        "duties": duties(user),
    }


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET"])
def departure_detail(request: HttpRequest, departure_id: str) -> HttpResponse:
    user = acting_user(request)
    departure = queries.get_departure_for(user, departure_id, request=request)
    audit("departure.view", request=request, record=departure)
    return render(request, "migration/departure_detail.html", _detail_context(request, departure))


def _rerender(request: HttpRequest, departure: Departure, **forms: object) -> HttpResponse:
    context = _detail_context(request, departure)
    context.update(forms)
    return render(request, "migration/departure_detail.html", context, status=422)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def departure_documents(request: HttpRequest, departure_id: str) -> HttpResponse:
    user = acting_user(request)
    departure = queries.get_departure_for(
        user, departure_id, perm=Perm.EDIT_RECORDS, request=request
    )
    form = DocumentsForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.update_documents(
            user, departure, form.documents(), expected_version=d["version"], request=request
        ),
        success=_("Documents updated."),
        redirect_to=_to_departure(departure),
    )
    return done or _rerender(request, departure, documents_form=form)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def departure_confirm(request: HttpRequest, departure_id: str) -> HttpResponse:
    user = acting_user(request)
    departure = queries.get_departure_for(
        user, departure_id, perm=Perm.EDIT_RECORDS, request=request
    )
    form = ConfirmDepartureForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.confirm_departure(
            user, departure, d["departed_on"], expected_version=d["version"], request=request
        ),
        success=_("Departure confirmed; check-ins rescheduled."),
        redirect_to=_to_departure(departure),
    )
    return done or _rerender(request, departure, confirm_form=form)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def departure_cancel(request: HttpRequest, departure_id: str) -> HttpResponse:
    user = acting_user(request)
    departure = queries.get_departure_for(
        user, departure_id, perm=Perm.EDIT_RECORDS, request=request
    )
    form = VersionForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.cancel_departure(
            user, departure, expected_version=d["version"], request=request
        ),
        success=_("Marked as not having left."),
        redirect_to=_to_departure(departure),
    )
    return done or _rerender(request, departure, version_form=form)


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def checkin_create(request: HttpRequest, departure_id: str) -> HttpResponse:
    user = acting_user(request)
    departure = queries.get_departure_for(
        user, departure_id, perm=Perm.EDIT_RECORDS, request=request
    )
    form = CheckInForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: actions.record_check_in(
            user,
            departure,
            form.checkin_input(),
            refer=d["refer"],
            immediate_danger=d["immediate_danger"],
            request=request,
        ),
        success=_checked_in,
        redirect_to=_to_departure(departure),
    )
    return done or _rerender(request, departure, checkin_form=form)


def _checked_in(checkin: CheckIn) -> str:
    if checkin.referred_intake_id:
        return _("Check-in recorded and referred to protection services as %(ref)s.") % {
            "ref": checkin.referred_intake.reference  # type: ignore[union-attr]
        }
    return _("Check-in recorded.")


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def checkin_refer(request: HttpRequest, checkin_id: str) -> HttpResponse:
    user = acting_user(request)
    checkin = queries.get_checkin_for(user, checkin_id, perm=Perm.EDIT_RECORDS, request=request)
    refer_from_form(request, actions.refer_check_in, checkin, request.POST)
    return redirect("migration:departure_detail", departure_id=checkin.departure_id)


@require_perm(Perm.REVEAL_IDENTITY)
@require_POST
def departure_contacts(request: HttpRequest, departure_id: str) -> HttpResponse:
    """Employer and family contact, decrypted for a user who states why (audited)."""
    user = acting_user(request)
    departure = queries.get_departure_for(user, departure_id, request=request)
    form = RevealForm(request.POST)
    if not two_factor_verified(request.user):
        audit("departure.reveal", request=request, record=departure, outcome=Outcome.DENIED)
        return render(request, "web/forbidden.html", status=403)
    if not form.is_valid():
        return render(
            request,
            "migration/partials/contacts_form.html",
            {"d": departure, "reveal_form": form},
            status=422,
        )
    employer, contact = queries.departure_contacts(departure)
    audit(
        "departure.reveal",
        request=request,
        record=departure,
        fields=["employer", "family_contact"],
        reason=" ".join(form.cleaned_data["reason"].split()),
    )
    return render(
        request,
        "migration/partials/contacts.html",
        {"d": departure, "employer": employer, "contact": contact},
    )
