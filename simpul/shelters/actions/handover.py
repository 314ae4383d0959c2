"""The handover of an accompanied return (berita acara serah terima): drafted by the shelter's
staff (from a check-out with "returned home", or from the stay page), sent to the agency of the
origin regency, received and acknowledged there, or cancelled until received. Sending hands the
custody documents over and gives the receiving agency scoped access; the scheduled job
escalates a handover not acknowledged in time to both agencies' supervisors."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.audit.log import record as audit
from simpul.cases.models import Case, CaseVictim
from simpul.core.codes import random_part, unique_code
from simpul.core.errors import StaleRecordError
from simpul.core.grants import Kind, grant_access, widen_referral_grant
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.migration.models import ReturnEvent
from simpul.migration.queries import returns_of_person
from simpul.referrals.models import Section
from simpul.shelters.actions.common import require_shelter_staff
from simpul.shelters.codes import (
    HANDOVER_STAY_STATUSES,
    HANDOVER_TRANSITIONS,
    HANDOVER_WAITING,
    RECEIVING_AGENCY_TYPES,
    DocumentType,
    HandoverStatus,
)
from simpul.shelters.models import (
    CustodyDocument,
    Handover,
    HandoverDocument,
    HandoverEvent,
    HandoverPerson,
    Stay,
)
from simpul.shelters.queries.handover import may_acknowledge
from simpul.shelters.sealing import aad

# What the receiving agency sees of the case: the victims' identity, the plan and the
# services (what reintegration needs), read-only.
CASE_SECTIONS = (Section.IDENTITY, Section.PLAN, Section.SERVICES)


@dataclass
class HandoverInput:
    to_agency: Agency | None
    handover_on: date | None
    place: str
    escort_users: list[User] = field(default_factory=list)
    escorts: str = ""  # others escorting, free text (sealed)
    person_ids: list[uuid.UUID] = field(default_factory=list)  # besides the stay's person
    custody_ids: list[int] = field(default_factory=list)
    other_documents: list[str] = field(default_factory=list)  # DocumentType codes
    other_documents_note: str = ""  # free text (sealed)
    return_event: ReturnEvent | None = None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _validate(actor: User, stay: Stay, data: HandoverInput) -> tuple[list[Person], list[int]]:
    """The persons handed over (the stay's person first) and the custody documents; every
    refusal keyed by field."""
    errors: dict[str, str] = {}
    agency = data.to_agency
    if agency is None or not agency.is_active or agency.agency_type not in RECEIVING_AGENCY_TYPES:
        errors["to_agency"] = _("Choose the UPTD PPA or Dinas Sosial of the origin regency.")
    elif agency.pk == stay.shelter.operator_agency_id:
        errors["to_agency"] = _("The receiving agency must be another agency.")
    if data.handover_on is None:
        errors["handover_on"] = _("Give the date of the handover.")
    if not _clean(data.place):
        errors["place"] = _("Say where the persons are handed over.")
    if not data.escort_users and not _clean(data.escorts):
        errors["escorts"] = _("Name at least one escorting officer.")
    members = set(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=stay.owner_agency_id,
            memberships__is_active=True,
        ).values_list("pk", flat=True)
    )
    if any(u.pk not in members for u in data.escort_users):
        errors["escort_users"] = _("Escorting officers are members of the handing-over agency.")
    persons = [stay.person]
    extra = {p for p in data.person_ids if p != stay.person_id}
    if extra:
        victims = (
            CaseVictim.objects.filter(case_id=stay.case_id, person_id__in=extra)
            .select_related("person")
            .order_by("id")
            if stay.case_id
            else CaseVictim.objects.none()
        )
        found = [v.person for v in victims]
        if len(found) != len(extra):
            errors["person_ids"] = _("Only victims of the same case can be handed over together.")
        persons += found
    held = set(
        stay.documents.filter(returned_at__isnull=True, pk__in=data.custody_ids).values_list(
            "pk", flat=True
        )
    )
    if set(data.custody_ids) - held:
        errors["custody_ids"] = _("Only documents still held for this stay can be handed over.")
    if any(d not in DocumentType.values for d in data.other_documents):
        errors["other_documents"] = _("Choose the documents from the list.")
    if data.return_event is not None and (
        data.return_event.person_id != stay.person_id
        or not returns_of_person(stay.person_id).filter(pk=data.return_event.pk).exists()
    ):
        errors["return_event"] = _("The return must be this person's.")
    if errors:
        raise ValidationError(errors)
    return persons, sorted(held)


def create_handover(
    actor: User, stay: Stay, data: HandoverInput, *, request: HttpRequest | None = None
) -> Handover:
    """A draft handover of the stay's person (and others of the same case), from the shelter's
    operating agency. One handover per stay unless the earlier one was cancelled."""
    require_shelter_staff(actor, stay.shelter)
    if stay.status not in HANDOVER_STAY_STATUSES:
        raise ValidationError(_("Only a stay that began can be handed over."))
    persons, custody = _validate(actor, stay, data)
    assert data.to_agency is not None and data.handover_on is not None
    with transaction.atomic():
        if (
            Handover.objects.select_for_update()
            .filter(stay=stay)
            .exclude(status=HandoverStatus.CANCELLED)
            .exists()
        ):
            raise ValidationError(_("This stay already has a handover."))
        handover = Handover.objects.create(
            owner_agency_id=stay.owner_agency_id,
            scope_region_id=data.to_agency.jurisdiction_id,
            created_by=actor,
            code=unique_code(Handover, "code", lambda: f"BA-{timezone.now():%y}-" + random_part(6)),
            stay=stay,
            case_id=stay.case_id,
            return_event=data.return_event,
            to_agency=data.to_agency,
            handover_on=data.handover_on,
            place=_clean(data.place)[:200],
        )
        handover.escorts_sealed = seal_text(
            _clean(data.escorts), aad("handover", "escorts", handover.pk)
        )
        handover.other_documents_sealed = seal_text(
            _clean(data.other_documents_note), aad("handover", "other_documents", handover.pk)
        )
        handover.save(update_fields=["escorts_sealed", "other_documents_sealed"])
        handover.escort_users.set(data.escort_users)
        HandoverPerson.objects.bulk_create(
            [HandoverPerson(handover=handover, person=p) for p in persons]
        )
        types = dict(
            CustodyDocument.objects.filter(pk__in=custody).values_list("pk", "document_type")
        )
        HandoverDocument.objects.bulk_create(
            [
                HandoverDocument(handover=handover, custody_id=c, document_type=types[c])
                for c in custody
            ]
            + [HandoverDocument(handover=handover, document_type=d) for d in data.other_documents]
        )
        HandoverEvent.objects.create(
            handover=handover, at=timezone.now(), by=actor, to_status=HandoverStatus.DRAFT
        )
        fields = ["to_agency", "handover_on", "place", "persons", "escorts"]
        audit(
            "handover.create",
            actor=actor,
            request=request,
            record=handover,
            fields=fields
            + (["documents"] if custody or data.other_documents else [])
            + (["return_event"] if data.return_event else []),
        )
    return handover


def _locked(handover: Handover, version: int | None) -> Handover:
    fresh = Handover.objects.select_for_update(of=("self",)).get(pk=handover.pk)
    if version is not None and fresh.version != version:
        raise StaleRecordError(fresh.version)
    return fresh


def _move(handover: Handover, to: str, actor: User, at: datetime, fields: list[str]) -> None:
    if to not in HANDOVER_TRANSITIONS[handover.status]:
        raise ValidationError(
            _("A handover that is %(state)s cannot change to %(to)s.")
            % {
                "state": handover.get_status_display(),
                "to": str(HandoverStatus(to).label),
            }
        )
    before = handover.status
    handover.status = to
    handover.version += 1
    handover.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    HandoverEvent.objects.create(
        handover=handover, at=at, by=actor, from_status=before, to_status=to
    )


def _grant_receiver(handover: Handover, *, by: User, user: User | None = None) -> None:
    """What the receiving agency (or, on acknowledging, its member who did it) needs: the
    stay, the persons handed over (identity, read-only) and the case (identity, plan and
    services, read-only)."""
    grantee: dict[str, object] = (
        {"user": user} if user is not None else {"agency": handover.to_agency}
    )
    if handover.stay_id:
        grant_access(
            Stay,
            handover.stay_id,
            kind=Kind.REFERRAL,
            granted_by=by,
            once=True,
            unrevoked=True,
            **grantee,  # type: ignore[arg-type]
        )
    for person_id in handover.persons.values_list("person_id", flat=True):
        widen_referral_grant(
            Person,
            person_id,
            can_edit=False,
            sections=[Section.IDENTITY],
            granted_by=by,
            **grantee,  # type: ignore[arg-type]
        )
    if handover.case_id:
        widen_referral_grant(
            Case,
            handover.case_id,
            can_edit=False,
            sections=CASE_SECTIONS,
            granted_by=by,
            **grantee,  # type: ignore[arg-type]
        )


def send_handover(
    actor: User,
    handover: Handover,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Handover:
    """Sent to the receiving agency: the custody documents listed are marked handed over
    (returned), and the receiving agency gets scoped access to the stay, persons and case."""
    if handover.stay is None:
        raise PermissionDenied
    require_shelter_staff(actor, handover.stay.shelter)
    with transaction.atomic():
        fresh = _locked(handover, version)
        now = timezone.now()
        custody = list(
            fresh.documents.filter(custody__isnull=False).values_list("custody_id", flat=True)
        )
        if CustodyDocument.objects.filter(pk__in=custody, returned_at__isnull=False).exists():
            raise ValidationError(
                _("A document listed was returned in the meantime; draft the handover again.")
            )
        _move(fresh, HandoverStatus.SENT, actor, now, ["sent_at", "sent_by"])
        fresh.sent_at, fresh.sent_by = now, actor
        fresh.save(update_fields=["sent_at", "sent_by"])
        CustodyDocument.objects.filter(pk__in=custody).update(returned_at=now, returned_by=actor)
        _grant_receiver(fresh, by=actor)
        audit(
            "handover.send",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status", "sent_at", *(["documents"] if custody else [])],
            reason=f"to agency {fresh.to_agency_id}",
        )
    return fresh


def _receiver_check(actor: User, handover: Handover) -> None:
    # A case worker, supervisor or shelter officer of the receiving agency.
    if not may_acknowledge(actor, handover):
        raise PermissionDenied


def receive_handover(
    actor: User,
    handover: Handover,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Handover:
    """The receiving agency confirms the persons arrived."""
    _receiver_check(actor, handover)
    with transaction.atomic():
        fresh = _locked(handover, version)
        now = timezone.now()
        _move(fresh, HandoverStatus.RECEIVED, actor, now, [])
        fresh.received_at, fresh.received_by = now, actor
        fresh.save(update_fields=["received_at", "received_by"])
        audit("handover.receive", actor=actor, request=request, record=fresh, fields=["status"])
    return fresh


def acknowledge_handover(
    actor: User,
    handover: Handover,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Handover:
    """A member of the receiving agency acknowledges the handover in Simpul (a sent one is
    received first, both steps in the history). The acknowledging member gets the same access
    as the agency, whatever their role's scope."""
    _receiver_check(actor, handover)
    with transaction.atomic():
        fresh = _locked(handover, version)
        now = timezone.now()
        if fresh.status == HandoverStatus.SENT:
            _move(fresh, HandoverStatus.RECEIVED, actor, now, [])
            fresh.received_at, fresh.received_by = now, actor
        _move(fresh, HandoverStatus.ACKNOWLEDGED, actor, now, [])
        fresh.acknowledged_at, fresh.acknowledged_by = now, actor
        fresh.save(
            update_fields=["received_at", "received_by", "acknowledged_at", "acknowledged_by"]
        )
        _grant_receiver(fresh, by=actor, user=actor)
        audit("handover.acknowledge", actor=actor, request=request, record=fresh, fields=["status"])
    return fresh


def cancel_handover(
    actor: User,
    handover: Handover,
    *,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Handover:
    """Cancelled by the handing-over agency before the persons were received; documents this
    handover marked as handed over are held again."""
    if handover.stay is None:
        raise PermissionDenied
    require_shelter_staff(actor, handover.stay.shelter)
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the handover is cancelled.")})
    with transaction.atomic():
        fresh = _locked(handover, version)
        was_sent = fresh.status == HandoverStatus.SENT
        fresh.cancel_reason = reason[:200]
        _move(fresh, HandoverStatus.CANCELLED, actor, timezone.now(), ["cancel_reason"])
        if was_sent:
            CustodyDocument.objects.filter(
                pk__in=fresh.documents.filter(custody__isnull=False).values("custody_id"),
                returned_at=fresh.sent_at,
            ).update(returned_at=None, returned_by=None)
        audit(
            "handover.cancel", actor=actor, request=request, record=fresh, fields=["cancel_reason"]
        )
    return fresh


def escalate_unacknowledged(now: datetime | None = None) -> int:
    """Handovers sent more than `HANDOVER_ACK_DAYS` ago and not acknowledged are marked
    escalated, once: both agencies' supervisors then see them on their home page (the same
    mechanism as overdue referrals). Safe to run often."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HANDOVER_ACK_DAYS)
    with transaction.atomic():
        count = Handover.objects.filter(
            status__in=HANDOVER_WAITING, sent_at__lt=cutoff, escalated_at__isnull=True
        ).update(escalated_at=now)
        if count:
            audit("handover.escalate", record_type="shelters.handover", count=count)
    return count
