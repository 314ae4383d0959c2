"""Knowledge tests of an event, and learning across events."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user
from simpul.core.forms import run_form_action
from simpul.prevention import actions, charts, permissions, queries, results
from simpul.prevention.forms import (
    AnswerSheetForm,
    QuestionPickForm,
)
from simpul.prevention.models import (
    OutreachEvent,
    Phase,
    PhoneTest,
)
from simpul.prevention.views.common import (
    require_manage,
    require_view,
    year_filter,
)


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
    current = list(queries.event_questions(event).values_list("question_id", flat=True))
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
    event_questions = queries.event_questions(event)
    return render(
        request,
        "prevention/test_sheet.html",
        {"event": event, "event_questions": event_questions},
    )


@require_manage
@require_http_methods(["GET", "POST"])
def event_answers(request: HttpRequest, event_id: str) -> HttpResponse:
    """Enter answers copied from the paper tests."""
    user = acting_user(request)
    event = queries.get_event_for(user, event_id, perms=permissions.WRITE, request=request)
    event_questions = list(queries.event_questions(event))
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


@require_view
@require_http_methods(["GET"])
def learning(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    events = queries.events_for(user)
    year, status = year_filter(request)
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
