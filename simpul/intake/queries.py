"""Every read of intakes, scoped by `simpul.core.scoping`."""

import uuid

from django.db.models import QuerySet
from django.http import HttpRequest

from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.core.scoping import get_in_scope, visible_to
from simpul.identity.crypto import open_text
from simpul.intake.actions import narrative_aad, note_aad
from simpul.intake.models import Intake, Status


def intakes_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Intake]:
    return visible_to(user, Intake, perm)


def triage_queue(user: User) -> QuerySet[Intake]:
    """Untriaged intakes, immediate danger first, then the oldest."""
    return (
        intakes_for(user)
        .filter(status=Status.NEW)
        .select_related("scope_region", "owner_agency")
        .order_by("-immediate_danger", "-child_involved", "received_at")
    )


def get_intake_for(
    user: User,
    intake_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Intake:
    scoped = intakes_for(user, perm).select_related("scope_region")
    return get_in_scope(user, scoped, intake_id, action="intake.access", request=request)


def narrative_of(intake: Intake) -> str:
    return open_text(intake.narrative_sealed, narrative_aad(intake.id))


def notes_of(intake: Intake) -> list[tuple[object, str]]:
    return [(n, open_text(n.text_sealed, note_aad(intake.id))) for n in intake.notes.all()]
