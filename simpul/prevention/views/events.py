"""The prevention overview and outreach events."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.access import acting_user
from simpul.core.forms import run_form_action
from simpul.prevention import actions, permissions, queries, results, risk
from simpul.prevention.forms import (
    EventForm,
)
from simpul.prevention.models import (
    AgeBand,
    OutreachEvent,
    Sex,
)
from simpul.prevention.views.common import (
    can_manage,
    managing_agencies_or_403,
    require_manage,
    require_view,
    within,
    year_filter,
)


@require_view
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    today = timezone.localdate()
    since = today - dt.timedelta(days=risk.OUTREACH_WINDOW_DAYS)
    events = queries.events_for(user)
    recent = events.filter(held_on__gte=since)
    people = queries.participants_total(recent)
    learning = results.learning_summary(recent)
    context = {
        "events_12m": recent.count(),
        "people_12m": people,
        "villages_12m": recent.values("village_id").distinct().count(),
        "tested_participants": learning.n_participants,
        "weakest_topic": learning.topics[0] if learning.topics else None,
        "volunteers": queries.volunteers_for(user).filter(active=True).count(),
        "volunteer_reports_12m": queries.volunteer_reports_for(user)
        .filter(received_on__gte=since)
        .count(),
        "areas": queries.jurisdiction_codes(user),
        "can_manage": can_manage(user),
        "recent_events": recent.select_related("village")[:5],
    }
    return render(request, "prevention/home.html", context)


@require_view
@require_http_methods(["GET"])
def event_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    events = queries.events_with_counts(user)
    year, status = year_filter(request)
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
            "can_manage": can_manage(user),
        },
        status=status,
    )


def _to_event(event: OutreachEvent) -> HttpResponse:
    return redirect("prevention:event_detail", event_id=event.id)


@require_manage
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    agencies = managing_agencies_or_403(user)
    form = EventForm(request.POST or None, agencies=agencies, within=within(user))
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
            "can_manage": can_manage(user),
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
        within=within(user),
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
