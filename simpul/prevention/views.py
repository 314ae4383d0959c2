"""Prevention pages. Thin: forms in, actions and queries do the work."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user, public, require_any_perm
from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.core.forms import add_errors, run_form_action
from simpul.core.ratelimit import allow, allow_client
from simpul.prevention import actions, charts, job_offer, permissions, queries, results, risk
from simpul.prevention.forms import (
    AnswerSheetForm,
    EventForm,
    IndicatorValuesForm,
    IssueForm,
    JobOfferForm,
    PhoneTestForm,
    QuestionPickForm,
    TrainingForm,
    VolunteerForm,
    VolunteerReportForm,
)
from simpul.prevention.models import (
    AgeBand,
    EventQuestion,
    OutreachEvent,
    Participant,
    ParticipantCount,
    Phase,
    PhoneTest,
    RaisedIssue,
    RiskIndicator,
    Sex,
    VillageIndicator,
    Volunteer,
    VolunteerReport,
)
from simpul.regions.models import Region

# The SAPA 129 channels (domain.md §2), shown on the public pages.
HOTLINES = [
    ("129", "tel:129"),
    ("021-129", "tel:021129"),
    ("WhatsApp 08111-129-129", "https://wa.me/628111129129"),
]
PUBLIC_REPORT_PATH = "/intake/report/"
# The public phone test: answers per connection in 10 minutes (a class on one carrier address
# fits), per test in an hour; the cookie that binds a participant code to the phone that used it.
PHONE_TESTS_PER_ADDRESS = 60
PHONE_TESTS_PER_EVENT = 600
PHONE_CLAIM_COOKIE = "simpul_test_phone"
PHONE_CLAIM_SALT = "prevention.phone-claim"


require_view = require_any_perm(*permissions.READ)
require_manage = require_any_perm(*permissions.WRITE)


def _can_manage(user: User) -> bool:
    return principal_for(user).has_perm(permissions.MANAGE)


def _within(user: User) -> str | None:
    """The one jurisdiction to limit region pickers to, when the user has exactly one."""
    codes = queries.jurisdiction_codes(user, permissions.WRITE)
    return codes[0] if len(codes) == 1 else None


def _managing_agencies_or_403(user: User) -> list:
    agencies = queries.managing_agencies(user)
    if not agencies:
        raise PermissionDenied
    return agencies


MIN_YEAR, MAX_YEAR = 1900, 2100


def _year_filter(request: HttpRequest) -> tuple[str, int]:
    """The `?year=` filter as a plausible four-digit year, or "" and status 400 with a message
    for anything else (a 20-digit year overflowed the database's integer: issue 21, 9)."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return "", 200
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return raw, 200
    messages.error(
        request,
        _("Choose a year between %(first)d and %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR},
    )
    return "", 400


# --- overview --------------------------------------------------------------------------------


@require_view
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    today = timezone.localdate()
    since = today - dt.timedelta(days=risk.OUTREACH_WINDOW_DAYS)
    events = queries.events_for(user)
    recent = events.filter(held_on__gte=since)
    people = ParticipantCount.objects.filter(event__in=recent).aggregate(n=Sum("count"))["n"]
    learning = results.learning_summary(recent)
    context = {
        "events_12m": recent.count(),
        "people_12m": people or 0,
        "villages_12m": recent.values("village_id").distinct().count(),
        "tested_participants": learning.n_participants,
        "weakest_topic": learning.topics[0] if learning.topics else None,
        "volunteers": queries.volunteers_for(user).filter(active=True).count(),
        "volunteer_reports_12m": VolunteerReport.objects.filter(
            volunteer__in=queries.volunteers_for(user), received_on__gte=since
        ).count(),
        "areas": queries.jurisdiction_codes(user),
        "can_manage": _can_manage(user),
        "recent_events": recent.select_related("village")[:5],
    }
    return render(request, "prevention/home.html", context)


# --- events ----------------------------------------------------------------------------------


@require_view
@require_http_methods(["GET"])
def event_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    events = (
        queries.events_for(user)
        .select_related("village", "owner_agency")
        .annotate(
            # Subqueries, so the two counts do not multiply each other through the joins.
            people=Subquery(
                ParticipantCount.objects.filter(event=OuterRef("pk"))
                .order_by()
                .values("event")
                .annotate(n=Sum("count"))
                .values("n")[:1]
            ),
            tested=Subquery(
                Participant.objects.filter(event=OuterRef("pk"))
                .order_by()
                .values("event")
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
        )
    )
    year, status = _year_filter(request)
    if year:
        events = events.filter(held_on__year=int(year))
    years = sorted(
        {d.year for d in queries.events_for(user).dates("held_on", "year")}, reverse=True
    )
    return render(
        request,
        "prevention/event_list.html",
        {
            "events": events[:300],
            "years": years,
            "year": year,
            "can_manage": _can_manage(user),
        },
        status=status,
    )


def _to_event(event: OutreachEvent) -> HttpResponse:
    return redirect("prevention:event_detail", event_id=event.id)


@require_manage
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = _managing_agencies_or_403(user)
    form = EventForm(request.POST or None, agencies=agencies, within=_within(user))
    if done := run_form_action(
        request,
        form,
        lambda d: actions.create_event(
            user, form.event_data(), owner_agency=form.owner_agency(), request=request
        ),
        success=_("Event recorded."),
        redirect_to=_to_event,
    ):
        return done
    return render(request, "prevention/event_form.html", {"form": form, "event": None})


@require_view
@require_http_methods(["GET"])
def event_detail(request: HttpRequest, event_id: str) -> HttpResponse:
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, request=request)
    counts = {(c.sex, c.age_band): c.count for c in event.counts.all()}
    count_rows = [
        (
            label,
            [counts.get((sex, band), 0) for band in AgeBand.values],
            sum(counts.get((sex, band), 0) for band in AgeBand.values),
        )
        for sex, label in Sex.choices
    ]
    band_totals = [sum(counts.get((sex, band), 0) for sex in Sex.values) for band in AgeBand.values]
    test = results.event_results(event)
    return render(
        request,
        "prevention/event_detail.html",
        {
            "event": event,
            "count_rows": count_rows,
            "band_labels": [label for _v, label in AgeBand.choices],
            "band_totals": band_totals,
            "total": sum(counts.values()),
            "co_organisers": event.co_organisers.all(),
            "test": test,
            "issues": event.issues.all(),
            "can_manage": _can_manage(user),
        },
    )


@require_manage
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: str) -> HttpResponse:
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, perms=permissions.WRITE, request=request)
    agencies = [event.owner_agency]
    form = EventForm(
        request.POST or None,
        initial=EventForm.initial_for(event),
        agencies=agencies,
        within=_within(user),
    )
    if done := run_form_action(
        request,
        form,
        lambda d: actions.update_event(
            user, event, form.event_data(), expected_version=d.get("version") or 0, request=request
        ),
        success=_("Event updated."),
        redirect_to=_to_event(event),
    ):
        return done
    return render(request, "prevention/event_form.html", {"form": form, "event": event})


# --- knowledge tests -------------------------------------------------------------------------


def _phone_url(request: HttpRequest, event: OutreachEvent) -> str:
    if not event.phone_token:
        return ""
    return request.build_absolute_uri(
        reverse("prevention:phone_test", kwargs={"token": event.phone_token})
    )


@require_manage
@require_http_methods(["GET", "POST"])
def event_test(request: HttpRequest, event_id: str) -> HttpResponse:
    """Choose the test's questions, and open or close it for participants' phones."""
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, perms=permissions.WRITE, request=request)
    current = list(
        EventQuestion.objects.filter(event=event)
        .order_by("position")
        .values_list("question_id", flat=True)
    )
    initial = current or [q.pk for q in actions.default_questions(event.topics)]
    form = QuestionPickForm(request.POST or None, initial={"questions": initial})
    locked = actions.has_attempts(event)
    if done := run_form_action(
        request,
        form,
        lambda d: actions.set_test_questions(
            user, event, sorted(d["questions"], key=lambda q: (q.topic, q.code)), request=request
        ),
        success=_("Test questions saved."),
        redirect_to=redirect("prevention:event_test", event_id=event.id),
    ):
        return done
    phone_url = _phone_url(request, event)
    qr = (
        segno.make(phone_url, error="m").svg_inline(scale=4, title=_("Link to the test"))
        if phone_url and event.phone_phase != PhoneTest.CLOSED
        else ""
    )
    return render(
        request,
        "prevention/event_test.html",
        {
            "event": event,
            "form": form,
            "locked": locked,
            "has_questions": bool(current),
            "phone_url": phone_url,
            "phone_states": PhoneTest,
            "qr": qr,
        },
    )


@require_manage
@require_POST
def event_phone(request: HttpRequest, event_id: str) -> HttpResponse:
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, perms=permissions.WRITE, request=request)
    try:
        actions.set_phone_test(user, event, request.POST.get("state", ""), request=request)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect("prevention:event_test", event_id=event.id)


@require_view
@require_http_methods(["GET"])
def event_test_sheet(request: HttpRequest, event_id: str) -> HttpResponse:
    """The printable paper test."""
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, request=request)
    event_questions = EventQuestion.objects.filter(event=event).select_related("question")
    return render(
        request,
        "prevention/test_sheet.html",
        {"event": event, "event_questions": event_questions.order_by("position")},
    )


@require_manage
@require_http_methods(["GET", "POST"])
def event_answers(request: HttpRequest, event_id: str) -> HttpResponse:
    """Enter answers copied from the paper tests."""
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, perms=permissions.WRITE, request=request)
    event_questions = list(
        EventQuestion.objects.filter(event=event).select_related("question").order_by("position")
    )
    if not event_questions:
        messages.error(request, _("Choose the test's questions first."))
        return redirect("prevention:event_test", event_id=event.id)
    initial_phase = request.GET.get("phase", Phase.PRE)
    form = AnswerSheetForm(
        request.POST or None,
        initial={"phase": initial_phase if initial_phase in Phase.values else Phase.PRE},
    )

    def score(d: dict[str, Any]) -> int:
        option_counts = [len(eq.question.options) for eq in event_questions]
        entries = actions.parse_answer_sheet(d["lines"], option_counts)
        return actions.record_paper_answers(
            user, event, d["phase"], entries, replace=d["replace"], request=request
        )

    if done := run_form_action(
        request,
        form,
        score,
        success=lambda stored: (
            _("%(n)d %(phase)s answer sheets scored and saved.")
            % {"n": stored, "phase": Phase(form.cleaned_data["phase"]).label}
        ),
        redirect_to=redirect("prevention:event_answers", event_id=event.id),
    ):
        return done
    recorded = results.event_results(event)
    return render(
        request,
        "prevention/event_answers.html",
        {
            "event": event,
            "form": form,
            "event_questions": event_questions,
            "recorded": recorded,
        },
    )


@require_view
@require_http_methods(["GET"])
def event_results(request: HttpRequest, event_id: str) -> HttpResponse:
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, request=request)
    test = results.event_results(event)
    return render(
        request,
        "prevention/event_results.html",
        {
            "event": event,
            "test": test,
            "wilcoxon_text": charts.wilcoxon_label(test.wilcoxon),
            "score_chart": charts.score_slope_chart(test) if test.pairs else "",
            "question_chart": charts.question_bar_chart(test.questions) if test.pairs else "",
            "question_rows": [(q, charts.mcnemar_label(q.mcnemar)) for q in test.questions],
        },
    )


# --- hearing discussions ---------------------------------------------------------------------


@require_manage
@require_http_methods(["GET", "POST"])
def event_issues(request: HttpRequest, event_id: str) -> HttpResponse:
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, perms=permissions.WRITE, request=request)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        issue_id = request.POST.get("remove", "")
        if issue_id.isdigit():
            actions.remove_issue(user, event, int(issue_id), request=request)
        return redirect("prevention:event_issues", event_id=event.id)
    if done := run_form_action(
        request,
        form,
        lambda d: actions.add_issue(
            user, event, d["theme"], d["mentions"], d["summary"], request=request
        ),
        success=_("Issue recorded."),
        redirect_to=redirect("prevention:event_issues", event_id=event.id),
    ):
        return done
    return render(
        request,
        "prevention/event_issues.html",
        {"event": event, "form": form, "issues": RaisedIssue.objects.filter(event=event)},
    )


@require_view
@require_http_methods(["GET"])
def issue_trends(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    labels, trends = results.issue_trends(queries.events_for(user), timezone.localdate())
    peak = max((max(t.by_quarter) for t in trends), default=0)
    return render(
        request,
        "prevention/issue_trends.html",
        {"quarters": labels, "trends": trends, "peak": peak},
    )


# --- across events ---------------------------------------------------------------------------


@require_view
@require_http_methods(["GET"])
def learning(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    events = queries.events_for(user)
    year, status = _year_filter(request)
    if year:
        events = events.filter(held_on__year=int(year))
    summary = results.learning_summary(events)
    years = sorted(
        {d.year for d in queries.events_for(user).dates("held_on", "year")}, reverse=True
    )
    return render(
        request,
        "prevention/learning.html",
        {"learning": summary, "years": years, "year": year},
        status=status,
    )


# --- coverage and risk -----------------------------------------------------------------------


def _coverage_villages(area: Region) -> list[Region]:
    villages = queries.villages_for_area(area)
    if area.level in (Region.Level.PROVINCE, Region.Level.REGENCY):
        # Wide areas list only villages with something to show.
        with_data = Q(code__in=VillageIndicator.objects.values("region_id")) | Q(
            code__in=OutreachEvent.objects.values("village_id")
        )
        villages = villages.filter(with_data)
    return list(villages.select_related("parent").order_by("code")[:3000])


@require_view
@require_http_methods(["GET"])
def coverage(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    areas = queries.area_choices(user)
    codes = queries.jurisdiction_codes(user)
    wanted = request.GET.get("area", "") or (codes[0] if codes else "")
    area = next((a for a in areas if a.code == wanted), None)
    if area is None and wanted and areas:
        raise Http404
    rows: list[risk.VillageRisk] = []
    if area is not None:
        villages = _coverage_villages(area)
        rows = risk.score_villages(villages, today=timezone.localdate())
        for row in rows:
            row.district = row.region.parent
        rows = risk.ranked(rows)
    only_unreached = request.GET.get("only") == "unreached"
    shown = [r for r in rows if r.unreached] if only_unreached else rows
    return render(
        request,
        "prevention/coverage.html",
        {
            "areas": areas,
            "area": area,
            "rows": shown,
            "summary": risk.summary(rows),
            "only_unreached": only_unreached,
            "grid": charts.risk_grid(shown) if shown else "",
            "indicators": risk.scored_indicators(),
            "high_from": risk.HIGH_FROM,
            "medium_from": risk.MEDIUM_FROM,
        },
    )


@require_view
@require_http_methods(["GET", "POST"])
def indicators(request: HttpRequest) -> HttpResponse:
    """The indicators of the score (read-only here) and importing village values."""
    user = acting_user(request)
    can_manage = _can_manage(user)
    agencies = queries.managing_agencies(user) if can_manage else []
    form = IndicatorValuesForm(request.POST or None, agencies=agencies) if agencies else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if done := run_form_action(
            request,
            form,
            lambda d: actions.import_indicator_values(
                user,
                actions.parse_indicator_rows(d["rows"]),
                owner_agency=form.owner_agency(),
                request=request,
            ),
            success=lambda stored: _("%(n)d values saved.") % {"n": stored},
            redirect_to=redirect("prevention:indicators"),
        ):
            return done
    all_indicators = RiskIndicator.objects.all()
    total_weight = sum(
        i.weight
        for i in all_indicators
        if i.active and i.source_kind != RiskIndicator.Source.REFERENCE
    )
    indicator_rows = [
        {
            "indicator": i,
            "label": risk.indicator_label(i),
            "description": risk.indicator_description(i),
            "unit": risk.indicator_unit(i),
            "share": 100 * i.weight / total_weight
            if total_weight and i.active and i.source_kind != RiskIndicator.Source.REFERENCE
            else None,
        }
        for i in all_indicators
    ]
    in_area = Q(pk__in=[])
    for code in queries.jurisdiction_codes(user):
        in_area |= Region.subtree_filter("region__code", code)
    values_count = VillageIndicator.objects.filter(in_area).count()
    return render(
        request,
        "prevention/indicators.html",
        {
            "rows": indicator_rows,
            "form": form,
            "values_count": values_count,
            "high_from": risk.HIGH_FROM,
            "medium_from": risk.MEDIUM_FROM,
            "min_completeness": int(100 * risk.MIN_COMPLETENESS),
        },
    )


# --- volunteers ------------------------------------------------------------------------------


@require_view
@require_http_methods(["GET"])
def volunteer_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    volunteers = (
        queries.volunteers_for(user)
        .select_related("village")
        .annotate(
            n_trainings=Count("trainings", distinct=True),
            n_reports=Count("reports", distinct=True),
        )
    )
    by_village = (
        volunteers.filter(active=True)
        .order_by()
        .values("village__code", "village__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("village__code")
    )
    return render(
        request,
        "prevention/volunteer_list.html",
        {
            "volunteers": volunteers[:500],
            "by_village": by_village,
            "trainings": queries.trainings_for(user).prefetch_related("volunteers")[:50],
            "can_manage": _can_manage(user),
        },
    )


def _to_volunteer(volunteer: Volunteer) -> HttpResponse:
    return redirect("prevention:volunteer_detail", volunteer_id=volunteer.id)


@require_manage
@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = _managing_agencies_or_403(user)
    form = VolunteerForm(request.POST or None, agencies=agencies, within=_within(user))
    if done := run_form_action(
        request,
        form,
        lambda d: actions.create_volunteer(
            user, form.volunteer_data(), owner_agency=form.owner_agency(), request=request
        ),
        success=lambda volunteer: _("Volunteer %(code)s recorded.") % {"code": volunteer.code},
        redirect_to=_to_volunteer,
    ):
        return done
    return render(request, "prevention/volunteer_form.html", {"form": form})


@require_view
@require_http_methods(["GET"])
def volunteer_detail(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    user = acting_user(request)
    volunteer = queries.get_volunteer_for(user, volunteer_id, request=request)
    return render(
        request,
        "prevention/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "trainings": volunteer.trainings.all(),
            "reports": volunteer.reports.select_related("village"),
            "can_manage": _can_manage(user),
        },
    )


@require_manage
@require_POST
def volunteer_contact(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    user = acting_user(request)
    volunteer = queries.get_volunteer_for(
        user, volunteer_id, perms=permissions.WRITE, request=request
    )
    if "active" in request.POST:
        actions.set_volunteer_active(
            user, volunteer, request.POST["active"] == "1", request=request
        )
        return redirect("prevention:volunteer_detail", volunteer_id=volunteer.id)
    contact = actions.volunteer_contact(user, volunteer, request=request)
    return render(
        request,
        "prevention/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "contact": contact,
            "trainings": volunteer.trainings.all(),
            "reports": volunteer.reports.select_related("village"),
            "can_manage": True,
        },
    )


@require_manage
@require_http_methods(["GET", "POST"])
def volunteer_report(request: HttpRequest, volunteer_id: str) -> HttpResponse:
    user = acting_user(request)
    volunteer = queries.get_volunteer_for(
        user, volunteer_id, perms=permissions.WRITE, request=request
    )
    form = VolunteerReportForm(request.POST or None, initial={"village": volunteer.village_id})
    if done := run_form_action(
        request,
        form,
        lambda d: actions.record_volunteer_report(
            user,
            volunteer,
            received_on=d["received_on"],
            kind=d["kind"],
            village=d["village"],
            intake_reference=d["intake_reference"],
            request=request,
        ),
        success=_("Report recorded."),
        redirect_to=_to_volunteer(volunteer),
    ):
        return done
    return render(
        request, "prevention/volunteer_report.html", {"form": form, "volunteer": volunteer}
    )


@require_manage
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = _managing_agencies_or_403(user)
    form = TrainingForm(
        request.POST or None,
        agencies=agencies,
        volunteers=queries.volunteers_for(user, permissions.WRITE)
        .filter(active=True)
        .select_related("village"),
    )
    if done := run_form_action(
        request,
        form,
        lambda d: actions.record_training(
            user,
            form.training_data(),
            list(d["volunteers"]),
            owner_agency=form.owner_agency(),
            request=request,
        ),
        success=_("Training recorded."),
        redirect_to=redirect("prevention:volunteer_list"),
    ):
        return done
    return render(request, "prevention/training_form.html", {"form": form})


# --- public pages ----------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def job_offer_check(request: HttpRequest) -> HttpResponse:
    """ "Cek tawaran kerja": answers are evaluated in memory and never stored or logged."""
    rule_set = job_offer.rules()
    form = JobOfferForm(request.POST or None, rule_set=rule_set)
    result = None
    if request.method == "POST" and form.is_valid():
        result = job_offer.evaluate(rule_set, form.answers())
        form = JobOfferForm(None, rule_set=rule_set, initial=form.answers())
    flags = (
        [
            {
                "code": f.code,
                "severity": f.severity,
                "title": job_offer.localised(f.title),
                "why": job_offer.localised(f.why),
                "what_to_do": job_offer.localised(f.what_to_do),
                "basis": f.basis,
            }
            for f in result.flags
        ]
        if result
        else []
    )
    return render(
        request,
        "prevention/public/job_offer.html",
        {
            "form": form,
            "result": result,
            "flags": flags,
            "hotlines": HOTLINES,
            "report_path": PUBLIC_REPORT_PATH,
            "rules_version": rule_set.version,
        },
    )


@public
@require_http_methods(["GET", "POST"])
def phone_test(request: HttpRequest, token: str) -> HttpResponse:
    """A participant fills in the open pre- or post-test on their own phone."""
    event = actions.event_for_phone(token)
    if event is None:
        raise Http404
    event_questions = list(
        EventQuestion.objects.filter(event=event).select_related("question").order_by("position")
    )
    form = PhoneTestForm(request.POST or None, event_questions=event_questions)
    done = False
    status = 200
    claim: str = (
        request.get_signed_cookie(PHONE_CLAIM_COOKIE, default="", salt=PHONE_CLAIM_SALT) or ""
    )
    if request.method == "POST" and not (
        allow_client("prevention_phone", request, limit=PHONE_TESTS_PER_ADDRESS, window_seconds=600)
        and allow("prevention_phone_event", token, limit=PHONE_TESTS_PER_EVENT, window_seconds=3600)
    ):
        form.is_valid()
        form.add_error(None, _("Too many answers from this connection. Ask the facilitator."))
        status = 429
    elif request.method == "POST" and form.is_valid():
        claim = claim or secrets.token_urlsafe(32)
        try:
            actions.submit_phone_answers(
                token, form.cleaned_data["code"], form.choices(), claim=claim, request=request
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            done = True
    response = render(
        request,
        "prevention/public/phone_test.html",
        {
            "event": event,
            "form": form,
            "done": done,
            "phase_label": Phase(event.phone_phase).label,
        },
        status=status,
    )
    if done:
        # The phone's claim on its codes: the post-test from the same phone is accepted, the
        # same code from anyone else is not.
        response.set_signed_cookie(
            PHONE_CLAIM_COOKIE,
            claim,
            salt=PHONE_CLAIM_SALT,
            max_age=180 * 24 * 3600,
            path="/prevention/t/",
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response
