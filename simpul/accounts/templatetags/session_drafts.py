"""`{% session_draft %}`: the form draft kept for this page when the user's last session ran
out, as JSON for session-drafts.js (given once, then deleted; only ever to the same user)."""

import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

from simpul.accounts.actions import take_session_draft
from simpul.accounts.models import User
from simpul.accounts.queries import DRAFTS_WAITING

register = template.Library()


@register.simple_tag(takes_context=True)
def session_draft(context: Any) -> str:
    request = context.get("request")
    if request is None or request.method != "GET":
        return ""
    user = getattr(request, "user", None)
    # The flag is set at sign-in when drafts wait, so pages without one never query.
    if not isinstance(user, User) or not request.session.get(DRAFTS_WAITING):
        return ""
    draft = take_session_draft(request, user, request.path)
    if draft is None:
        return ""
    draft["message"] = _(
        "You were signed out while filling in this form. What you had typed is back: check it "
        "and save."
    )
    return json.dumps(draft, ensure_ascii=False)
