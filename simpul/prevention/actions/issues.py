"""Hearing discussions: issues raised at an event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.prevention.actions.common import (
    require_event,
)
from simpul.prevention.models import (
    IssueTheme,
    OutreachEvent,
    RaisedIssue,
)
from simpul.prevention.text_checks import reject_identifiers


def add_issue(
    actor: User,
    event: OutreachEvent,
    theme: str,
    mentions: int,
    summary: str = "",
    *,
    request: HttpRequest | None = None,
) -> RaisedIssue:
    event = require_event(actor, event)
    errors: dict[str, list[str]] = {}
    if theme not in IssueTheme.values:
        errors["theme"] = [_("Choose a theme.")]
    if not 1 <= mentions <= 999:
        errors["mentions"] = [_("Between 1 and 999.")]
    try:
        reject_identifiers(summary)
    except ValidationError as exc:
        errors["summary"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        issue = RaisedIssue.objects.create(
            event=event, theme=theme, mentions=mentions, summary=summary.strip()
        )
        audit(
            "prevention.issue.create",
            actor=actor,
            request=request,
            record=event,
            fields=["theme", "mentions", *(["summary"] if summary.strip() else [])],
        )
    return issue


def remove_issue(
    actor: User, event: OutreachEvent, issue_id: int, *, request: HttpRequest | None = None
) -> None:
    event = require_event(actor, event)
    with transaction.atomic():
        deleted, _rows = RaisedIssue.objects.filter(event=event, pk=issue_id).delete()
        if deleted:
            audit("prevention.issue.delete", actor=actor, request=request, record=event)
