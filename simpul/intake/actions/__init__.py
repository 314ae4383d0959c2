"""Every write to intake: record, refer, submit publicly, add information, triage."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.queries import acts_for, require_acting_agency
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.codes import random_part, unique_code
from simpul.core.grants import Kind, grant_access
from simpul.identity.crypto import blind_index, seal_text
from simpul.identity.models import Person
from simpul.identity.validation import check_text_length
from simpul.intake.models import (
    Channel,
    Intake,
    IntakeNote,
    IntakePerson,
    Status,
)
from simpul.intake.queries import get_intake_for
from simpul.intake.routing import receiving_agency
from simpul.intake.sealing import contact_aad, narrative_aad, note_aad
from simpul.regions.models import Region


def _new_reference() -> str:
    return unique_code(Intake, "reference", lambda: f"ADU-{timezone.now():%y}-" + random_part(6))


def new_receipt_code() -> str:
    """What a public reporter keeps: 12 characters, about 59 bits, grouped for reading aloud."""
    raw = random_part(12)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_index(code: str) -> str:
    return blind_index("receipt", code)


@dataclass(frozen=True)
class IntakeDetails:
    channel: str
    narrative: str
    place_region: Region | None = None
    place_country: str = ""
    immediate_danger: bool = False
    child_involved: bool = False


def _create(
    details: IntakeDetails,
    *,
    owner_agency: Agency,
    actor: User | None,
    persons: Iterable[Person] = (),
    reporter: Person | None = None,
    reporter_anonymous: bool = False,
    **extra: object,
) -> Intake:
    if not details.narrative.strip():
        raise ValidationError({"narrative": [_("Describe what happened, even briefly.")]})
    if details.channel not in Channel.values:
        raise ValidationError({"channel": [_("Choose how the report arrived.")]})
    check_text_length("narrative", details.narrative.strip())
    intake = Intake(
        id=uuid.uuid4(),
        reference=_new_reference(),
        channel=details.channel,
        received_at=timezone.now(),
        owner_agency=owner_agency,
        scope_region=details.place_region,
        place_country=details.place_country.upper()[:2],
        immediate_danger=details.immediate_danger,
        child_involved=details.child_involved,
        reporter=reporter,
        reporter_anonymous=reporter_anonymous,
        created_by=actor,
        **extra,
    )
    intake.narrative_sealed = seal_text(details.narrative.strip(), narrative_aad(intake.id))
    intake.save()
    IntakePerson.objects.bulk_create(IntakePerson(intake=intake, person=p) for p in persons)
    return intake


def record_intake(
    actor: User,
    details: IntakeDetails,
    *,
    owner_agency: Agency,
    persons: Iterable[Person] = (),
    reporter: Person | None = None,
    reporter_anonymous: bool = False,
    reporter_contact: str = "",
    request: HttpRequest | None = None,
) -> Intake:
    """An operator records a report received at their own agency. `reporter_contact` is how
    to reach a caller who gave no name (or stays anonymous): kept sealed like a public
    reporter's contact."""
    if not acts_for(actor, owner_agency.id):
        raise PermissionDenied(_("You cannot record reports for this agency."))
    check_text_length("reporter_phone", reporter_contact.strip(), limit_of="contact")
    persons = list(persons)
    with transaction.atomic():
        intake = _create(
            details,
            owner_agency=owner_agency,
            actor=actor,
            persons=persons,
            reporter=reporter,
            reporter_anonymous=reporter_anonymous,
        )
        if reporter_contact.strip():
            intake.reporter_contact_sealed = seal_text(
                reporter_contact.strip(), contact_aad(intake.id)
            )
            intake.save(update_fields=["reporter_contact_sealed"])
        grant_access(Intake, intake.pk, user=actor, kind=Kind.CREATOR, granted_by=actor, once=True)
        audit(
            "intake.create",
            actor=actor,
            request=request,
            record=intake,
            fields=[
                "narrative",
                "channel",
                *(["persons"] if persons else []),
                *(["reporter"] if reporter else []),
                *(["contact"] if reporter_contact.strip() else []),
            ],
        )
    return intake


def refer_to_protection(
    actor: User,
    details: IntakeDetails,
    *,
    persons: Iterable[Person],
    source_type: str = "",
    source_id: str = "",
    to_agency: Agency | None = None,
    request: HttpRequest | None = None,
) -> Intake:
    """A village, border post, police unit or partner refers people to the UPTD PPA that serves
    the place. The receiving agency gets access to the persons; the referrer keeps access to
    the intake so it can follow what happened."""
    from_agency = require_acting_agency(actor, refusal=_("Your role cannot refer people."))
    target = to_agency or receiving_agency(details.place_region, near=from_agency)
    if target is None:
        raise ValidationError({"to_agency": [_("No UPTD PPA serves this area. Choose one.")]})
    persons = list(persons)
    with transaction.atomic():
        intake = _create(
            details,
            owner_agency=target,
            actor=actor,
            persons=persons,
            source_type=source_type,
            source_id=source_id,
            referred_by_agency=from_agency,
        )
        grant_access(
            Intake, intake.pk, agency=from_agency, kind=Kind.REFERRAL, granted_by=actor, once=True
        )
        for person in persons:
            grant_access(
                Person, person.pk, agency=target, kind=Kind.REFERRAL, granted_by=actor, once=True
            )
        audit(
            "intake.refer",
            actor=actor,
            request=request,
            record=intake,
            fields=["narrative", "persons"],
            reason=f"to agency {target.pk}",
        )
    return intake


def submit_public_report(
    details: IntakeDetails, *, contact: str = "", request: HttpRequest | None = None
) -> tuple[Intake, str]:
    """A report from the public web form: anonymous, routed by place. Returns the receipt."""
    target = receiving_agency(details.place_region)
    if target is None:
        raise ValidationError({"place_region": [_("Choose the area where it happened.")]})
    check_text_length("contact", contact.strip())
    code = new_receipt_code()
    details = IntakeDetails(**{**details.__dict__, "channel": Channel.PUBLIC_WEB})
    with transaction.atomic():
        intake = _create(
            details,
            owner_agency=target,
            actor=None,
            reporter_anonymous=True,
            receipt_index=receipt_index(code),
        )
        if contact.strip():
            intake.reporter_contact_sealed = seal_text(contact.strip(), contact_aad(intake.id))
            intake.save(update_fields=["reporter_contact_sealed"])
        audit(
            "intake.public_report",
            request=request,
            record=intake,
            fields=["narrative", *(["contact"] if contact.strip() else [])],
        )
    return intake, code


def add_reporter_information(
    code: str, text: str, *, request: HttpRequest | None = None
) -> Intake | None:
    """The public reporter adds to their report with the receipt. None if the code is unknown."""
    intake = Intake.objects.filter(receipt_index=receipt_index(code.strip().upper())).first()
    if intake is None or not text.strip():
        return None
    check_text_length("text", text.strip(), limit_of="note")
    with transaction.atomic():
        IntakeNote.objects.create(
            intake=intake,
            added_at=timezone.now(),
            from_reporter=True,
            text_sealed=seal_text(text.strip(), note_aad(intake.id)),
        )
        audit("intake.reporter_note", request=request, record=intake, fields=["note"])
    return intake


def link_person(
    actor: User, intake: Intake, person: Person, *, request: HttpRequest | None = None
) -> None:
    """Add a person concerned to a report (e.g. the person screened), audited."""
    get_intake_for(actor, intake.pk, perm=Perm.EDIT_RECORDS, request=request)
    with transaction.atomic():
        _link, created = IntakePerson.objects.get_or_create(intake=intake, person=person)
        if created:
            audit(
                "intake.link_person",
                actor=actor,
                request=request,
                record=intake,
                fields=["persons"],
                reason=f"person {person.code}",
            )


def record_case_opened(
    actor: User, intake: Intake, case: object, *, request: HttpRequest | None = None
) -> Intake:
    """A case was opened from this report (called by `cases.actions.open_case` inside its own
    transaction): the report leaves every worklist as "case opened", versioned and audited.

    Whatever the report's triage said, a report with a case is done; a later triage of it is
    refused (its status is no longer new). Idempotent: a second case from the same report
    changes nothing here."""
    with transaction.atomic():
        fresh = Intake.objects.select_for_update().get(pk=intake.pk)
        if fresh.status != Status.CASE_OPENED:
            fresh.status = Status.CASE_OPENED
            fresh.version += 1
            fresh.save(update_fields=["status", "version", "updated_at"])
            audit(
                "intake.case_opened",
                actor=actor,
                request=request,
                record=fresh,
                fields=["status"],
                reason=f"case {getattr(case, 'code', '') or getattr(case, 'pk', '')}",
            )
    intake.status = fresh.status
    intake.version = fresh.version
    return fresh


class IdempotencyConflict(Exception):
    """The same client id or Idempotency-Key was used before with a different request."""


def record_intake_once(
    actor: User,
    details: IntakeDetails,
    *,
    owner_agency: Agency,
    request_hash: str,
    client_id: uuid.UUID | None = None,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> tuple[Intake, bool]:
    """`record_intake`, made safe to retry: a repeated client id or Idempotency-Key returns the
    first intake (created=False); the same key with another body raises IdempotencyConflict.
    Concurrent duplicates lose the race on a unique constraint and get the winner's intake."""

    def existing() -> Intake | None:
        if client_id is not None:
            # Scoped to the sending agency: another agency's id is never replayed to it.
            found = Intake.objects.filter(owner_agency=owner_agency, client_id=client_id).first()
            if found is not None:
                return found
        if idempotency_key:
            return Intake.objects.filter(
                owner_agency=owner_agency, idempotency_key=idempotency_key
            ).first()
        return None

    def replay(found: Intake) -> tuple[Intake, bool]:
        if found.request_hash != request_hash:
            raise IdempotencyConflict
        return found, False

    found = existing()
    if found is not None:
        return replay(found)
    try:
        with transaction.atomic():
            intake = record_intake(actor, details, owner_agency=owner_agency, request=request)
            intake.client_id = client_id
            intake.idempotency_key = idempotency_key
            intake.request_hash = request_hash
            intake.save(update_fields=["client_id", "idempotency_key", "request_hash"])
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return replay(found)
    return intake, True


# Triage lives in its own module; its actions are part of this package's interface.
# Persons on a report (the hotline form, screening, the API): also part of the interface.
from simpul.intake.actions.persons import (  # noqa: E402
    Caller,
    HotlineOutcome,
    add_person,
    record_hotline_report,
)
from simpul.intake.actions.triage import (  # noqa: E402
    FOLLOW_UP_DECISIONS,
    ReferralRequest,
    complete_triaged,
    receiving_agencies,
    triage,
)

__all__ = [
    "FOLLOW_UP_DECISIONS",
    "Caller",
    "HotlineOutcome",
    "ReferralRequest",
    "add_person",
    "complete_triaged",
    "receiving_agencies",
    "record_hotline_report",
    "triage",
]
