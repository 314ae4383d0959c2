"""Writes of the victim's status page: issuing and revoking a secret, and recording a read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.cases.models import Case
from simpul.cases.queries import owner_side
from simpul.core.codes import random_part
from simpul.victim_status.models import StatusSecret
from simpul.victim_status.queries import secret_index

SECRET_LENGTH = 12  # about 59 bits, read aloud in three groups


def new_secret() -> str:
    raw = random_part(SECRET_LENGTH)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def issue_secret(
    actor: User, case: Case, person_id: str, *, request: HttpRequest | None = None
) -> tuple[StatusSecret, str]:
    """A new secret for one victim of the case (the old one, if any, stops working). Returns
    the row and the plain secret, which is never stored and shown only this once."""
    if not owner_side(actor, case):
        raise PermissionDenied(_("Only the agency that owns the case issues status secrets."))
    if not case.victims.filter(person_id=person_id).exists():
        raise ValidationError({"person": _("Choose a victim of this case.")})
    plain = new_secret()
    now = timezone.now()
    with transaction.atomic():
        revoked = StatusSecret.objects.filter(
            case=case, person_id=person_id, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=actor)
        try:
            with transaction.atomic():
                secret = StatusSecret.objects.create(
                    case=case,
                    person_id=person_id,
                    secret_index=secret_index(plain),
                    issued_at=now,
                    issued_by=actor,
                )
        except IntegrityError as exc:  # another worker issued one for this victim just now
            raise ValidationError(_("A secret was issued at the same moment; try again.")) from exc
        audit(
            "victim_status.issue",
            actor=actor,
            request=request,
            record=secret,
            fields=["secret_index", *(["revoked_at"] if revoked else [])],
        )
    return secret, plain


def revoke_secret(
    actor: User, case: Case, person_id: str, *, request: HttpRequest | None = None
) -> int:
    if not owner_side(actor, case):
        raise PermissionDenied(_("Only the agency that owns the case issues status secrets."))
    with transaction.atomic():
        live = list(
            StatusSecret.objects.select_for_update().filter(
                case=case, person_id=person_id, revoked_at__isnull=True
            )
        )
        for secret in live:
            secret.revoked_at = timezone.now()
            secret.revoked_by = actor
            secret.save(update_fields=["revoked_at", "revoked_by"])
            audit(
                "victim_status.revoke",
                actor=actor,
                request=request,
                record=secret,
                fields=["revoked_at"],
            )
    return len(live)


def record_read(secret: StatusSecret, *, request: HttpRequest | None = None) -> None:
    """The page was opened with this secret: counted on the row and audited against the case
    (the victim or guardian is not a user, so the entry has no actor)."""
    with transaction.atomic():
        StatusSecret.objects.filter(pk=secret.pk).update(
            reads=F("reads") + 1, last_read_at=timezone.now()
        )
        audit(
            "victim_status.read",
            request=request,
            record=secret.case,
            agency_id=secret.case.owner_agency_id,
            fields=["stage", "plan_items", "stay"],
        )


def record_refusal(case_code: str, *, request: HttpRequest | None = None) -> None:
    """A wrong code or secret: audited (the code as typed is a search, stored sealed)."""
    audit(
        "victim_status.read",
        request=request,
        record_type="cases.case",
        outcome=Outcome.DENIED,
        searched=case_code,
    )
