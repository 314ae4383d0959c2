"""Intake pages: the public report and follow-up, the operators' queue, the hotline form with
an autosaved draft, and triage."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, public, require_perm
from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import case_workers_of
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases.queries import cases_for
from simpul.core.errors import StaleRecordError
from simpul.core.http import is_htmx
from simpul.core.ratelimit import allow_client
from simpul.core.scoping import can_access
from simpul.identity.crypto import open_text, seal_text
from simpul.intake import actions, queries
from simpul.intake.forms import (
    FollowUpForm,
    OperatorIntakeForm,
    PublicReportForm,
    ReporterRevealForm,
    ReportFilterForm,
    TriageForm,
)
from simpul.intake.models import Intake, Status, TriageDecision
from simpul.referrals.models import Section

DRAFT_KEY = "simpul_intake_draft"
PAGE_SIZE = 25


def _form_errors(
    form: PublicReportForm | OperatorIntakeForm | TriageForm, exc: ValidationError
) -> None:
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in items:
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
    triaged = list(queries.triaged_not_done(user)[:200])
    audit(
        "intake.queue",
        request=request,
        record_type="intake.intake",
        count=len(items) + len(triaged),
    )
    template = "intake/partials/queue_rows.html" if is_htmx(request) else ("intake/queue.html")
    return render(
        request,
        template,
        {"items": items, "triaged": triaged, "triages": queries.triages(user)},
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    """Every report in scope, whatever its status: filtered, searched by reference, paged."""
    user = acting_user(request)
    form = ReportFilterForm(request.GET or None)
    filters = queries.ReportFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = queries.ReportFilters(
            status=d["status"],
            channel=d["channel"],
            urgency=d["urgency"],
            received_from=d["received_from"],
            received_to=d["received_to"],
            region=d["region"].code if d["region"] else "",
            reference=d["reference"],
            person=d["person"],
        )
    page = Paginator(queries.reports(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    audit(
        "intake.list",
        request=request,
        record_type="intake.intake",
        count=len(page.object_list),
        searched=filters.reference,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/report_list.html",
        {"form": form, "page": page, "items": page.object_list, "query": query.urlencode()},
        status=422 if form.is_bound and not form.is_valid() else 200,
    )


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
        try:
            outcome = actions.record_hotline_report(
                user,
                form.details(),
                concerned=form.concerned(),
                caller=form.caller(),
                choice=request.POST.get("duplicate_choice", ""),
                request=request,
            )
        except ValidationError as exc:
            _person_errors(form, exc)
            outcome = actions.HotlineOutcome(None)
        if outcome.intake is not None:
            request.session.pop(DRAFT_KEY, None)
            ref = outcome.intake.reference
            messages.success(request, _("Report %(ref)s recorded.") % {"ref": ref})
            return redirect("intake:detail", intake_id=outcome.intake.id)
        # Possible duplicates, or a refusal: the form again with everything typed.
        return render(
            request,
            "intake/operator_form.html",
            {"form": form, "candidates": outcome.candidates},
        )
    return render(request, "intake/operator_form.html", {"form": form})


def _person_errors(form: OperatorIntakeForm, exc: ValidationError) -> None:
    """Vault field errors land on the matching 'concerned_' field of the hotline form."""
    for field, errors in exc.message_dict.items():
        target = f"concerned_{field}" if f"concerned_{field}" in form.fields else field
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


def _triage_form(
    request: HttpRequest, intake: Intake, *, follow_up: bool, bind: bool
) -> TriageForm:
    user = acting_user(request)
    workers = User.objects.filter(
        pk__in=[w.pk for w in case_workers_of(intake.owner_agency_id)]
    ).order_by("username")
    return TriageForm(
        request.POST if bind else None,
        agencies=actions.receiving_agencies(exclude=[intake.owner_agency_id]),
        workers=workers,
        sections=Section.choices,
        follow_up=follow_up,
        may_override=principal_for(user).has_perm(Perm.CONSENT_OVERRIDE),
        initial={
            "immediate_danger": intake.immediate_danger,
            "child_involved": intake.child_involved,
            "version": intake.version,
        },
    )


def _decide(request: HttpRequest, intake: Intake, form: TriageForm, follow_up: bool) -> Intake:
    d = form.cleaned_data
    referral = None
    if d["decision"] == TriageDecision.REFER:
        referral = actions.ReferralRequest(
            to_agency=d["to_agency"],
            sections=tuple(d["sections"]),
            consent_given=d["consent_given"],
            guardian_consent=d["guardian_consent"],
            guardian_relation=d["guardian_relation"],
            override_reason=d.get("override_reason", ""),
        )
    common = {
        "note": d["note"],
        "reason": d["reason"],
        "referral": referral,
        "assigned_to": d["assigned_to"],
        "expected_version": d["version"],
        "request": request,
    }
    user = acting_user(request)
    if follow_up:
        return actions.complete_triaged(user, intake, d["decision"], **common)
    return actions.triage(
        user,
        intake,
        d["decision"],
        immediate_danger=d["immediate_danger"],
        child_involved=d["child_involved"],
        **common,
    )


def _field_groups(form: TriageForm) -> dict[str, list]:
    """The triage form in parts: the decision, what opening a case needs, what a referral
    needs, and the note; each shown under its own heading."""

    def pick(*names: str) -> list:
        return [form[n] for n in names if n in form.fields]

    return {
        "main": pick("decision", "immediate_danger", "child_involved", "reason"),
        "case": pick("assigned_to"),
        "refer": pick(
            "to_agency",
            "sections",
            "consent_given",
            "guardian_consent",
            "guardian_relation",
            "override_reason",
        ),
        "note": pick("note", "version"),
    }


def _done_message(intake: Intake) -> str:
    if intake.status == Status.CASE_OPENED:
        if intake.triage_decision == TriageDecision.REFER:
            return _("Case opened and referred.")
        return _("Case opened.")
    if intake.status == Status.CLOSED:
        return _("Report closed with your reason.")
    if intake.triage_decision == TriageDecision.OPEN_CASE:
        return _(
            "Nobody is recorded on this report yet: screen the person concerned first. "
            "The report stays on your worklist until the case is opened."
        )
    return _("Triage recorded. The report stays on your worklist until it is done.")


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, intake_id: str) -> HttpResponse:
    user = acting_user(request)
    intake = queries.get_intake_for(user, intake_id, request=request)
    can_edit = can_access(user, intake, Perm.EDIT_RECORDS)
    can_triage = can_edit and intake.owner_agency_id in queries.triage_agency_ids(user)
    # The form names the step it was shown for: a triage form posted after someone else
    # triaged the report is stale (409), never taken as the next step.
    if request.method == "POST":
        follow_up = request.POST.get("step", "triage") == "follow_up"
    else:
        follow_up = intake.status == Status.TRIAGED
    form = _triage_form(request, intake, follow_up=follow_up, bind=request.method == "POST")
    status = 200
    if request.method == "POST" and not can_triage:
        raise PermissionDenied
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        else:
            try:
                done = _decide(request, intake, form, follow_up)
            except StaleRecordError:
                intake = queries.get_intake_for(user, intake_id)
                messages.error(
                    request,
                    _(
                        "Not recorded: someone else triaged this report, or opened a case "
                        "from it, while you were deciding. Their decision is shown below."
                    ),
                )
                status = 409
                follow_up = intake.status == Status.TRIAGED
                form = _triage_form(request, intake, follow_up=follow_up, bind=False)
            except ValidationError as exc:
                _form_errors(form, exc)
                status = 422
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You cannot do this."))
                status = 403
            else:
                messages.success(request, _done_message(done))
                return redirect("intake:detail", intake_id=intake.id)
    audit("intake.view", request=request, record=intake, fields=["narrative", "notes"])
    context = {
        "intake": intake,
        "narrative": queries.narrative_of(intake),
        "close_reason": queries.close_reason_of(intake),
        "notes": queries.notes_of(intake),
        "persons": [ip.person for ip in intake.persons.select_related("person")],
        "cases": list(cases_for(user).filter(intake=intake).order_by("opened_at")),
        "form": form,
        "groups": _field_groups(form),
        "can_edit": can_edit,
        "reporter": queries.reporter_of(intake),
        "reveal_form": ReporterRevealForm(),
        "can_reveal": can_edit and principal_for(user).has_perm(Perm.REVEAL_IDENTITY),
        "can_triage": can_triage and intake.status in (Status.NEW, Status.TRIAGED),
        "follow_up": follow_up,
    }
    return render(request, "intake/detail.html", context, status=status)


@require_perm(Perm.REVEAL_IDENTITY)
@require_POST
def reporter_reveal(request: HttpRequest, intake_id: str) -> HttpResponse:
    """The caller's name and phone, or the reporter's contact, with a reason; audited. Every
    refusal (out of scope, no reason) is audited as a denied reveal."""
    user = acting_user(request)
    try:
        intake = queries.get_intake_for(user, intake_id, perm=Perm.EDIT_RECORDS, request=request)
    except Http404:
        queries.refused_reporter_reveal(user, intake_id, "out_of_scope", request)
        raise
    form = ReporterRevealForm(request.POST)
    revealed = None
    if not form.is_valid():
        queries.refused_reporter_reveal(user, intake.pk, "no_reason", request)
    else:
        try:
            revealed = queries.reveal_reporter(
                user, intake, form.cleaned_data["reason"], request=request
            )
        except ValueError as exc:
            form.add_error("reason", str(exc))
    context = {
        "intake": intake,
        "reporter": queries.reporter_of(intake),
        "reveal_form": form,
        "revealed": revealed,
        "can_reveal": True,
    }
    return render(
        request,
        "intake/partials/reporter.html" if is_htmx(request) else "intake/reporter_page.html",
        context,
        status=200 if revealed is not None else 422,
    )
