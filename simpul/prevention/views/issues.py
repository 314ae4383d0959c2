"""Hearing discussions: issues raised at events and their trends."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.access import acting_user
from simpul.core.forms import run_form_action
from simpul.prevention import actions, permissions, queries, results
from simpul.prevention.forms import (
    IssueForm,
)
from simpul.prevention.views.common import (
    require_manage,
    require_view,
)


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
        {"event": event, "form": form, "issues": queries.issues_of(event)},
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
