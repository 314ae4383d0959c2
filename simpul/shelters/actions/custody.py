"""The custody register: identity documents held for safekeeping, only with the person's
consent, until returned. The number is kept as a keyed hash only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.identity.crypto import blind_index
from simpul.shelters.actions.common import locked_stay, require_shelter_staff
from simpul.shelters.codes import RESIDENT_STATUSES, DocumentType
from simpul.shelters.models import CustodyDocument, Stay


def receive_document(
    actor: User,
    stay: Stay,
    *,
    document_type: str,
    number: str = "",
    consent: bool,
    request: HttpRequest | None = None,
) -> CustodyDocument:
    require_shelter_staff(actor, stay.shelter)
    errors: dict[str, str] = {}
    if document_type not in DocumentType.values:
        errors["document_type"] = _("Choose the document.")
    if not consent:
        errors["consent"] = _(
            "A document is held only when the person agrees; otherwise it stays with them."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = locked_stay(stay, None)
        if fresh.status not in RESIDENT_STATUSES:
            raise ValidationError(_("Documents are received only from a resident."))
        document = CustodyDocument.objects.create(
            stay=fresh,
            document_type=document_type,
            number_index=blind_index("custody", number) if number.strip() else "",
            received_at=timezone.now(),
            received_by=actor,
            consent=True,
        )
        audit(
            "stay.document_received",
            actor=actor,
            request=request,
            record=fresh,
            fields=["document_type", "consent", *(["number"] if number.strip() else [])],
        )
    return document


def return_document(
    actor: User, document: CustodyDocument, *, request: HttpRequest | None = None
) -> CustodyDocument:
    """Handed back to the person (also after check-out, which clears the board's flag)."""
    require_shelter_staff(actor, document.stay.shelter)
    with transaction.atomic():
        fresh = CustodyDocument.objects.select_for_update().get(pk=document.pk)
        if fresh.returned_at is not None:
            raise ValidationError(_("This document was already returned."))
        fresh.returned_at, fresh.returned_by = timezone.now(), actor
        fresh.save(update_fields=["returned_at", "returned_by"])
        audit(
            "stay.document_returned",
            actor=actor,
            request=request,
            record=document.stay,
            fields=["returned_at"],
        )
    return fresh
