"""Every read of screening results, scoped by `simpul.core.scoping`."""

import uuid

from django.http import Http404, HttpRequest

from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.scoping import visible_to
from simpul.screening.models import ScreeningResult


def get_result_for(
    user: User,
    result_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> ScreeningResult:
    """The result, if in the user's scope. Missing and forbidden look the same (404)."""
    try:
        return (
            visible_to(user, ScreeningResult, perm)
            .select_related("person", "intake", "ruleset", "decided_by")
            .get(pk=result_id)
        )
    except (ScreeningResult.DoesNotExist, ValueError):
        if ScreeningResult.objects.filter(pk=result_id).exists():
            audit(
                "screening.access",
                actor=user,
                request=request,
                record_type="screening.screeningresult",
                record_id=str(result_id),
                outcome=Outcome.DENIED,
            )
        raise Http404 from None
