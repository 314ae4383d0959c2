"""Every read of screening results, scoped by `simpul.core.scoping`."""

import uuid

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.core.scoping import get_in_scope, visible_to
from simpul.core.work import WaitingWork
from simpul.screening.models import ScreeningOutcome, ScreeningResult


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


# Roles that screen people and record (or follow up) the trafficking status decision.
SCREENING_ROLES = frozenset(
    {Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.CASE_SUPERVISOR, Role.BORDER_OFFICER}
)
FLAGGED = (ScreeningOutcome.LIKELY, ScreeningOutcome.POSSIBLE)


class Decision(models.TextChoices):
    """The list filter on the trafficking status decision."""

    UNDECIDED = "undecided", _("Flagged, no status decision yet")
    DECIDED = "decided", _("Status decided")


def screens(user: User) -> bool:
    principal = principal_for(user)
    return any(g.role in SCREENING_ROLES and Perm.EDIT_RECORDS in g.perms for g in principal.grants)


def results_for(user: User, *, result: str = "", decision: str = "") -> QuerySet[ScreeningResult]:
    """The screening results in the user's scope, newest first, filtered."""
    rows = visible_to(user, ScreeningResult, Perm.VIEW_RECORDS).select_related(
        "person", "intake", "decided_by"
    )
    if result in ScreeningOutcome.values:
        rows = rows.filter(result=result)
    if decision == Decision.UNDECIDED:
        rows = rows.filter(result__in=FLAGGED, trafficking_status="")
    elif decision == Decision.DECIDED:
        rows = rows.exclude(trafficking_status="")
    return rows.order_by("-interviewed_at", "-pk")


def waiting_work(user: User) -> list[WaitingWork]:
    """For the roles that screen: flagged results still waiting for a status decision."""
    if not screens(user):
        return []
    count = (
        visible_to(user, ScreeningResult, Perm.EDIT_RECORDS)
        .filter(result__in=FLAGGED, trafficking_status="")
        .count()
    )
    return [
        WaitingWork(
            key="screening.undecided",
            label=_("Screenings waiting for a status decision"),
            count=count,
            url=f"{reverse('screening:list')}?decision={Decision.UNDECIDED}",
        )
    ]
