"""Decisions during a stay: extensions (who, until when, why) and movement restrictions with
their legal basis and review date."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.shelters.actions.common import locked_stay, require_shelter_staff
from simpul.shelters.codes import OPEN_STATUSES, RESIDENT_STATUSES, RestrictionKind
from simpul.shelters.models import MovementRestriction, Stay, StayExtension


def extend_stay(
    actor: User,
    stay: Stay,
    *,
    until: date,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> StayExtension:
    require_shelter_staff(actor, stay.shelter)
    reason = " ".join(reason.split())
    with transaction.atomic():
        fresh = locked_stay(stay, version)
        errors: dict[str, str] = {}
        if fresh.status not in RESIDENT_STATUSES:
            raise ValidationError(_("Only a resident's stay can be extended."))
        if fresh.stay_until is not None and until <= fresh.stay_until:
            errors["until"] = _("An extension must end after the current end of the stay.")
        if len(reason) < 5:
            errors["reason"] = _("Say why the stay is extended.")
        if errors:
            raise ValidationError(errors)
        extension = StayExtension.objects.create(
            stay=fresh,
            decided_by=actor,
            decided_at=timezone.now(),
            previous_until=fresh.stay_until,
            until=until,
            reason=reason[:300],
        )
        fresh.stay_until = until
        fresh.version += 1
        fresh.save(update_fields=["stay_until", "version", "updated_at"])
        audit("stay.extend", actor=actor, request=request, record=fresh, fields=["stay_until"])
    return extension


def restrict_movement(
    actor: User,
    stay: Stay,
    *,
    kind: str,
    legal_basis: str,
    review_on: date,
    request: HttpRequest | None = None,
) -> MovementRestriction:
    require_shelter_staff(actor, stay.shelter)
    legal_basis = " ".join(legal_basis.split())
    errors: dict[str, str] = {}
    if kind not in RestrictionKind.values:
        errors["kind"] = _("Choose the restriction.")
    if len(legal_basis) < 5:
        errors["legal_basis"] = _("Name the legal basis of the restriction.")
    if review_on <= timezone.localdate():
        errors["review_on"] = _("The review date must be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = locked_stay(stay, None)
        if fresh.status not in OPEN_STATUSES:
            raise ValidationError(_("Restrictions apply only to an open stay."))
        restriction = MovementRestriction.objects.create(
            stay=fresh,
            kind=kind,
            legal_basis=legal_basis[:200],
            decided_by=actor,
            decided_at=timezone.now(),
            review_on=review_on,
        )
        audit(
            "stay.restrict",
            actor=actor,
            request=request,
            record=fresh,
            fields=["kind", "legal_basis", "review_on"],
        )
    return restriction


def lift_restriction(
    actor: User, restriction: MovementRestriction, *, request: HttpRequest | None = None
) -> MovementRestriction:
    require_shelter_staff(actor, restriction.stay.shelter)
    with transaction.atomic():
        fresh = MovementRestriction.objects.select_for_update().get(pk=restriction.pk)
        if fresh.lifted_at is not None:
            raise ValidationError(_("This restriction was already lifted."))
        fresh.lifted_at, fresh.lifted_by = timezone.now(), actor
        fresh.save(update_fields=["lifted_at", "lifted_by"])
        audit(
            "stay.restriction_lifted",
            actor=actor,
            request=request,
            record=restriction.stay,
            fields=["lifted_at"],
        )
    return fresh
