"""What the stay actions share: who may write a stay, the version check, the history row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.core.errors import StaleRecordError
from simpul.shelters import queries
from simpul.shelters.codes import TRANSITIONS
from simpul.shelters.models import Shelter, Stay, StayEvent


def require_shelter_staff(actor: User, shelter: Shelter) -> None:
    """Stays are written by the operating agency's staff who edit records."""
    if shelter.operator_agency_id not in queries.member_agencies(actor, Perm.EDIT_RECORDS):
        raise PermissionDenied


def locked_stay(stay: Stay, version: int | None) -> Stay:
    fresh = Stay.objects.select_for_update(of=("self",)).select_related("shelter").get(pk=stay.pk)
    if version is not None and fresh.version != version:
        raise StaleRecordError(fresh.version)
    return fresh


def move(stay: Stay, to: str, actor: User, fields: list[str]) -> None:
    """Change the stay's status (refused unless allowed from its state), bump its version,
    save `fields` and add the history row."""
    if to not in TRANSITIONS[stay.status]:
        raise ValidationError(
            _("A stay that is %(state)s cannot change to %(to)s.")
            % {
                "state": stay.get_status_display(),
                "to": str(dict(Stay._meta.get_field("status").flatchoices)[to]),
            }
        )
    before = stay.status
    stay.status = to
    stay.version += 1
    stay.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    StayEvent.objects.create(
        stay=stay, at=timezone.now(), by=actor, from_status=before, to_status=to
    )
