"""Intake pages: the public report and follow-up, the operators' queue, the hotline form with
an autosaved draft, and triage."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, public, require_perm
from simpul.accounts.models import Agency
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.core.ratelimit import allow_client
from simpul.core.scoping import can_access
from simpul.identity import actions as identity_actions
from simpul.identity.crypto import open_text, seal_text
from simpul.identity.data import IdentityData
from simpul.identity.duplicates import find_candidates
from simpul.identity.queries import get_person_for
from simpul.intake import actions, queries
from simpul.intake.forms import FollowUpForm, OperatorIntakeForm, PublicReportForm, TriageForm
from simpul.intake.models import Intake

DRAFT_KEY = "simpul_intake_draft"


def _form_errors(form: PublicReportForm | OperatorIntakeForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@public
@require_http_methods(["GET", "POST"])
def public_report(request: HttpRequest) -> HttpResponse:
    form = PublicReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.looks_automated():
            form.add_error(None, _("Your report could not be sent. Please try again."))
        elif not allow_client(
            "public_report",
            request,
            limit=settings.PUBLIC_REPORTS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, _("Too many reports from this connection. Call SAPA 129."))
        else:
            d = form.cleaned_data
            details = actions.IntakeDetails(
                channel="public_web",
                narrative=d["narrative"],
                place_region=d["place_region"],
                place_country=d["place_country"],
                immediate_danger=d["immediate_danger"],
                child_involved=d["child_involved"],
            )
            try:
                intake, receipt = actions.submit_public_report(
                    details, contact=d["contact"], request=request
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return render(
                    request,
                    "intake/public_receipt.html",
                    {"receipt": receipt, "reference": intake.reference},
                )
    return render(request, "intake/public_report.html", {"form": form}, status=200)


@public
@require_http_methods(["GET", "POST"])
def public_follow_up(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        if not allow_client("follow_up", request, limit=10, window_seconds=3600):
            form.add_error(None, _("Too many attempts from this connection. Call SAPA 129."))
        elif actions.add_reporter_information(
            form.cleaned_data["receipt"], form.cleaned_data["text"], request=request
        ):
            done = True
            form = FollowUpForm()
        else:
            form.add_error("receipt", _("We could not find a report with this receipt code."))
    return render(request, "intake/public_follow_up.html", {"form": form, "done": done})


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    items = list(queries.triage_queue(user)[:200])
    audit("intake.queue", request=request, record_type="intake.intake", count=len(items))
    template = (
        "intake/partials/queue_rows.html"
        if request.headers.get("HX-Request")
        else ("intake/queue.html")
    )
    return render(request, template, {"items": items})


def _own_agency(request: HttpRequest) -> Agency:
    grants = principal_for(acting_user(request)).grants_with(Perm.EDIT_RECORDS)
    return Agency.objects.get(pk=grants[0].agency_id)


def _draft_aad(request: HttpRequest) -> str:
    return f"session.intake_draft:{acting_user(request).pk}"


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def save_draft(request: HttpRequest) -> HttpResponse:
    """Autosave of the hotline form: kept sealed in the operator's session, never in clear."""
    fields = {k: v for k, v in request.POST.items() if k in OperatorIntakeForm.base_fields}
    import json

    request.session[DRAFT_KEY] = seal_text(json.dumps(fields), _draft_aad(request))
    return render(request, "intake/partials/draft_saved.html")


def _load_draft(request: HttpRequest) -> dict[str, str]:
    import json

    token = request.session.get(DRAFT_KEY, "")
    return json.loads(open_text(token, _draft_aad(request))) if token else {}


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def operator_intake(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if request.method == "POST":
        form = OperatorIntakeForm(request.POST)
    else:
        draft = _load_draft(request)
        form = OperatorIntakeForm(draft) if draft else OperatorIntakeForm()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        details = actions.IntakeDetails(
            channel=d["channel"],
            narrative=d["narrative"],
            place_region=d["place_region"],
            place_country=d["place_country"],
            immediate_danger=d["immediate_danger"],
            child_involved=d["child_involved"],
        )
        agency = _own_agency(request)
        concerned = IdentityData(
            full_name=d["concerned_name"],
            nik=d["concerned_nik"],
            phone=d["concerned_phone"],
            birth_date=d["concerned_birth_date"],
        )
        choice = request.POST.get("duplicate_choice", "")
        candidates = (
            []
            if choice or not concerned.full_name
            else find_candidates(
                user, concerned, d["place_region"].code if d["place_region"] else None
            )
        )
        if not candidates:
            try:
                intake = _record_hotline(request, details, agency, concerned, choice, d)
            except ValidationError as exc:
                _person_errors(form, exc)
            except identity_actions.KnownIdentifier:
                # Recorded meanwhile (another tab, a colleague, a double submit): the
                # operator decides, as when the person was known before the form was sent.
                candidates = find_candidates(
                    user, concerned, d["place_region"].code if d["place_region"] else None
                )
            else:
                request.session.pop(DRAFT_KEY, None)
                messages.success(request, _("Report %(ref)s recorded.") % {"ref": intake.reference})
                return redirect("intake:detail", intake_id=intake.id)
        return render(
            request, "intake/operator_form.html", {"form": form, "candidates": candidates}
        )
    return render(request, "intake/operator_form.html", {"form": form})


def _record_hotline(
    request: HttpRequest,
    details: actions.IntakeDetails,
    agency: Agency,
    concerned: IdentityData,
    choice: str,
    cleaned: dict,
) -> Intake:
    """Record the report with its person concerned and caller, all or nothing.

    The persons are validated, tokenised and sealed first; the transaction holds only the
    writes. A new person concerned is only created if no person with the same NIK was
    recorded in the operator's scope meanwhile (KnownIdentifier), unless the operator
    confirmed a new record."""
    user = acting_user(request)
    existing = None
    new_concerned = None
    if concerned.full_name and choice and choice != "new":
        existing = get_person_for(user, choice, request=request)
    elif concerned.full_name:
        new_concerned = identity_actions.prepare_person(
            user, concerned, owner_agency=agency, scope_region=cleaned["place_region"]
        )
    new_reporter = None
    if cleaned["reporter_name"].strip() and not cleaned["reporter_anonymous"]:
        new_reporter = identity_actions.prepare_person(
            user,
            IdentityData(full_name=cleaned["reporter_name"], phone=cleaned["reporter_phone"]),
            owner_agency=agency,
            scope_region=None,
        )
    with transaction.atomic():
        persons = []
        if existing is not None:
            audit("person.duplicate_decision", request=request, record=existing, reason="linked")
            persons = [existing]
        elif new_concerned is not None:
            person = identity_actions.save_person(
                user, new_concerned, unless_nik_known=choice != "new", request=request
            )
            if choice == "new":
                audit(
                    "person.duplicate_decision",
                    request=request,
                    record=person,
                    reason="confirmed_new",
                )
            persons = [person]
        reporter = (
            identity_actions.save_person(user, new_reporter, request=request)
            if new_reporter is not None
            else None
        )
        return actions.record_intake(
            user,
            details,
            owner_agency=agency,
            persons=persons,
            reporter=reporter,
            reporter_anonymous=cleaned["reporter_anonymous"],
            request=request,
        )


def _person_errors(form: OperatorIntakeForm, exc: ValidationError) -> None:
    """Vault field errors land on the matching 'concerned_' field of the hotline form."""
    for field, errors in exc.message_dict.items():
        target = f"concerned_{field}" if f"concerned_{field}" in form.fields else field
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, intake_id: str) -> HttpResponse:
    user = acting_user(request)
    intake = queries.get_intake_for(user, intake_id, request=request)
    can_edit = can_access(user, intake, Perm.EDIT_RECORDS)
    form = TriageForm(
        request.POST or None,
        initial={
            "immediate_danger": intake.immediate_danger,
            "child_involved": intake.child_involved,
            "version": intake.version,
        },
    )
    status = 200
    if request.method == "POST" and can_edit and form.is_valid():
        try:
            actions.triage(
                user,
                intake,
                form.cleaned_data["decision"],
                immediate_danger=form.cleaned_data["immediate_danger"],
                child_involved=form.cleaned_data["child_involved"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleRecordError:
            intake = queries.get_intake_for(user, intake_id)
            messages.error(
                request,
                _(
                    "Not recorded: someone else triaged this report, or opened a case from it, "
                    "while you were deciding. Their decision is shown below."
                ),
            )
            status = 409
        else:
            messages.success(request, _("Triage recorded."))
            return redirect("intake:detail", intake_id=intake.id)
    audit("intake.view", request=request, record=intake, fields=["narrative", "notes"])
    context = {
        "intake": intake,
        "narrative": queries.narrative_of(intake),
        "notes": queries.notes_of(intake),
        "persons": [ip.person for ip in intake.persons.select_related("person")],
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "intake/detail.html", context, status=status)
