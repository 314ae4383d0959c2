"""Checks every prevention action shares: who may manage for which agency, where."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.prevention import permissions
from simpul.prevention.models import (
    OutreachEvent,
)
from simpul.prevention.queries import get_event_for
from simpul.regions.models import Region

DEFAULT_TEST_LENGTH = 10
MAX_TEST_LENGTH = 20
MAX_PHONE_PARTICIPANTS = 500


def require_manage(actor: User, agency: Agency) -> None:
    grants = principal_for(actor).grants_with(permissions.MANAGE)
    if not any(g.agency_id == agency.id for g in grants):
        raise PermissionDenied(_("You cannot record prevention work for this agency."))


def check_village(agency: Agency, village: Region | None, field_name: str = "village") -> Region:
    if village is None or village.level != Region.Level.VILLAGE:
        raise ValidationError({field_name: [_("Choose a village or kelurahan.")]})
    area = agency.jurisdiction_id
    if area and not (village.code == area or village.code.startswith(area + ".")):
        raise ValidationError({field_name: [_("This village is outside your agency's area.")]})
    return village


def require_event(actor: User, event: OutreachEvent) -> OutreachEvent:
    """The actor may manage the event: through the owning agency or the village's area."""
    return get_event_for(actor, event.pk, perms=permissions.WRITE)


def pick_choices(values: Iterable[str], allowed: Sequence[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v in allowed]
