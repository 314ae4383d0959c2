"""Every read of screening results, scoped by `simpul.core.scoping`."""

import uuid

from django.http import HttpRequest

from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.core.scoping import get_in_scope, visible_to
from simpul.screening.models import ScreeningResult


def get_result_for(
    user: User,
    result_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> ScreeningResult:
    """The result, if in the user's scope. Missing and forbidden look the same (404)."""
    scoped = visible_to(user, ScreeningResult, perm).select_related(
        "person", "intake", "ruleset", "decided_by"
    )
    return get_in_scope(user, scoped, result_id, action="screening.access", request=request)
