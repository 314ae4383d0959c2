"""Writes of the departure registry: register, update documents, confirm or cancel the
departure. Check-ins are in `checkins.py`."""

import json
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import seal_text
from simpul.identity.data import IdentityData
from simpul.migration.actions.common import (
    age_on,
    new_reference,
    nik_birth_date,
    parse_iso_date,
    resolve_person,
)
from simpul.migration.capabilities import Duty, acting_agency
from simpul.migration.codes import (
    DEFAULT_CHECKIN_MONTHS,
    DOCUMENT_BY_CODE,
    Country,
    Stage,
    requirements_on,
)
from simpul.migration.models import CheckIn, Departure, DepartureDocument
from simpul.migration.queries import get_departure_for
from simpul.migration.rules import DepartureFacts, assess
from simpul.migration.schedule import MAX_MONTHS, due_dates
from simpul.migration.sealing import aad
from simpul.regions.models import Region


@dataclass
class DepartureInput:
    destination_country: str
    channel: str
    route: str
    travel_document: str
    planned_on: date
    destination_place: str = ""
    job: str = "unknown"
    job_detail: str = ""
    employer: str = ""
    placement_company: str = ""
    placement_licence: str = ""
    recruiter: str = "unknown"
    crossing_point: str = ""
    travel_purpose: str = "work"
    already_left: bool = False
    departed_on: date | None = None
    fees_or_debt: bool = False
    passport_held_by_recruiter: bool = False
    name_mismatch: bool = False
    # Birth date printed on the passport, when it is at hand: compared, never stored.
    passport_birth_date: date | None = None
    family_contact_name: str = ""
    family_contact_relationship: str = ""
    family_contact_phone: str = ""
    checkin_months: list[int] = field(default_factory=lambda: list(DEFAULT_CHECKIN_MONTHS))
    # code -> (present, acknowledged by the village head)
    documents: dict[str, tuple[bool, bool]] = field(default_factory=dict)


def _validate(data: DepartureInput, home_village: Region | None) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if home_village is None or home_village.level != Region.Level.VILLAGE:
        errors["home_village"] = [_("Choose the migrant's home village.")]
    if data.destination_country not in Country.values:
        errors["destination_country"] = [_("Choose the destination country.")]
    if data.already_left and data.departed_on and data.departed_on > today:
        errors["departed_on"] = [_("A departure that already happened cannot be in the future.")]
    if not data.checkin_months or any(m < 1 or m > MAX_MONTHS for m in data.checkin_months):
        errors["checkin_months"] = [_("Give check-in months between 1 and 60.")]
    unknown = set(data.documents) - set(DOCUMENT_BY_CODE)
    if unknown:
        errors["documents"] = [_("Unknown document in the checklist.")]
    if errors:
        raise ValidationError(errors)


def _facts(departure: Departure, docs: dict[str, tuple[bool, bool]]) -> DepartureFacts:
    return DepartureFacts(
        planned_on=departure.planned_on,
        departed=departure.stage == Stage.AWAY,
        age_at_departure=departure.age_at_departure,
        documents_present=frozenset(code for code, (present, _ack) in docs.items() if present),
        consent_acknowledged=docs.get("family_consent", (False, False))[1],
        channel=departure.channel,
        placement_licence=departure.placement_licence,
        recruiter=departure.recruiter,
        route=departure.route,
        travel_document=departure.travel_document,
        travel_purpose=departure.travel_purpose,
        fees_or_debt=departure.fees_or_debt,
        passport_held_by_recruiter=departure.passport_held_by_recruiter,
        name_mismatch=departure.name_mismatch,
        age_mismatch=departure.age_mismatch,
    )


def _documents_of(departure: Departure) -> dict[str, tuple[bool, bool]]:
    return {d.code: (d.present, d.acknowledged) for d in departure.documents.all()}


def _reassess(departure: Departure, docs: dict[str, tuple[bool, bool]]) -> None:
    result = assess(_facts(departure, docs))
    departure.procedural_status = result.status
    departure.status_reasons = result.reasons_as_data()
    departure.risk_flags = list(result.flags)


def _age_mismatch(identity: IdentityData, passport_birth: date | None) -> bool:
    """Two full birth dates from different sources (KTP as entered, the NIK's digits, the
    passport) that disagree: the forged-age pattern of seed 002."""
    dates = {d for d in (parse_iso_date(identity.birth_date), nik_birth_date(identity.nik)) if d}
    if passport_birth:
        dates.add(passport_birth)
    return len(dates) > 1


def _schedule(departure: Departure, actor: User) -> None:
    """(Re)create the open scheduled check-ins from the departure date; recorded ones stay."""
    CheckIn.objects.filter(departure=departure, outcome="", due_on__isnull=False).delete()
    taken = set(
        CheckIn.objects.filter(departure=departure, due_on__isnull=False).values_list(
            "due_on", flat=True
        )
    )
    CheckIn.objects.bulk_create(
        CheckIn(
            departure=departure,
            person_id=departure.person_id,
            due_on=due,
            owner_agency_id=departure.owner_agency_id,
            scope_region_id=departure.scope_region_id,
            created_by=actor,
        )
        for due in due_dates(departure.left_on, departure.checkin_months)
        if due not in taken
    )


def register_departure(
    actor: User,
    identity: IdentityData,
    data: DepartureInput,
    *,
    home_village: Region | None,
    request: HttpRequest | None = None,
    duplicate_choice: str | None = None,
) -> tuple[Departure, list[str]]:
    """Register a departure (a planned one, or one the family reports after the fact).

    The migrant is looked up by NIK in the actor's scope and put in the vault if new. The
    procedural status, its reasons and the risk flags are derived by `rules.assess`.
    """
    agency = acting_agency(actor, Duty.DEPARTURES)
    if not identity.nik.strip():
        raise ValidationError({"nik": [_("Enter the migrant's NIK.")]})
    _validate(data, home_village)
    with transaction.atomic():
        person, _created, warnings = resolve_person(
            actor,
            identity,
            owner_agency=agency,
            scope_region=home_village,
            request=request,
            duplicate_choice=duplicate_choice,
        )
        birth = parse_iso_date(identity.birth_date) or nik_birth_date(identity.nik)
        left_on = (data.departed_on or data.planned_on) if data.already_left else data.planned_on
        departure = Departure(
            id=uuid.uuid4(),
            person=person,
            reference=new_reference(Departure, "BRK"),
            owner_agency=agency,
            scope_region=home_village,
            created_by=actor,
            stage=Stage.AWAY if data.already_left else Stage.PLANNED,
            reported_by_family=data.already_left,
            destination_country=data.destination_country,
            destination_place=data.destination_place.strip(),
            job=data.job,
            job_detail=data.job_detail.strip(),
            channel=data.channel,
            placement_company=data.placement_company.strip(),
            placement_licence=data.placement_licence.strip(),
            recruiter=data.recruiter,
            route=data.route,
            crossing_point=data.crossing_point,
            travel_document=data.travel_document,
            travel_purpose=data.travel_purpose,
            planned_on=data.planned_on,
            departed_on=left_on if data.already_left else None,
            age_at_departure=age_on(birth, left_on),
            fees_or_debt=data.fees_or_debt,
            passport_held_by_recruiter=data.passport_held_by_recruiter,
            name_mismatch=data.name_mismatch,
            age_mismatch=_age_mismatch(identity, data.passport_birth_date),
            checkin_months=sorted(set(data.checkin_months)),
        )
        departure.employer_sealed = seal_text(
            data.employer.strip(), aad("departure", "employer_sealed", departure.id)
        )
        contact = {
            "name": data.family_contact_name.strip(),
            "relationship": data.family_contact_relationship.strip(),
            "phone": data.family_contact_phone.strip(),
        }
        if any(contact.values()):
            departure.family_contact_sealed = seal_text(
                json.dumps(contact, ensure_ascii=False),
                aad("departure", "family_contact_sealed", departure.id),
            )
        docs = _checklist(data.documents, data.planned_on)
        _reassess(departure, docs)
        departure.save()
        DepartureDocument.objects.bulk_create(
            DepartureDocument(departure=departure, code=code, present=p, acknowledged=a)
            for code, (p, a) in docs.items()
        )
        _schedule(departure, actor)
        audit(
            "departure.create",
            actor=actor,
            request=request,
            record=departure,
            fields=_filled_fields(data),
            reason=departure.procedural_status,
        )
    return departure, warnings


def _checklist(
    documents: dict[str, tuple[bool, bool]], planned_on: date
) -> dict[str, tuple[bool, bool]]:
    docs: dict[str, tuple[bool, bool]] = {}
    for req in requirements_on(planned_on):
        present, acknowledged = documents.get(req.code, (False, False))
        docs[req.code] = (present, bool(acknowledged and req.needs_village_acknowledgement))
    return docs


def _filled_fields(data: DepartureInput) -> list[str]:
    names = [k for k, v in data.__dict__.items() if v not in ("", None, False, [], {})]
    return [n for n in names if n != "passport_birth_date"] + ["person"]


def locked_departure(actor: User, departure: Departure, expected_version: int | None) -> Departure:
    get_departure_for(actor, departure.pk, perm=Perm.EDIT_RECORDS)
    acting_agency(actor, Duty.DEPARTURES)
    fresh = Departure.objects.select_for_update().get(pk=departure.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleRecordError(fresh.version)
    return fresh


def update_documents(
    actor: User,
    departure: Departure,
    documents: dict[str, tuple[bool, bool]],
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Departure:
    """Tick documents as they arrive; the status and reasons are derived again."""
    if set(documents) - set(DOCUMENT_BY_CODE):
        raise ValidationError({"documents": [_("Unknown document in the checklist.")]})
    with transaction.atomic():
        fresh = locked_departure(actor, departure, expected_version)
        docs = _checklist(documents, fresh.planned_on)
        for code, (present, acknowledged) in docs.items():
            DepartureDocument.objects.update_or_create(
                departure=fresh,
                code=code,
                defaults={"present": present, "acknowledged": acknowledged},
            )
        _reassess(fresh, docs)
        fresh.version += 1
        fresh.save()
        audit(
            "departure.documents",
            actor=actor,
            request=request,
            record=fresh,
            fields=["documents"],
            reason=fresh.procedural_status,
        )
    return fresh


def confirm_departure(
    actor: User,
    departure: Departure,
    departed_on: date,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Departure:
    """The migrant has left: the check-in schedule restarts from the real date, and missing
    documents now make the departure non-procedural."""
    if departed_on > timezone.localdate():
        raise ValidationError({"departed_on": [_("The departure date cannot be in the future.")]})
    with transaction.atomic():
        fresh = locked_departure(actor, departure, expected_version)
        if fresh.stage != Stage.PLANNED:
            raise ValidationError({"stage": [_("Only a planned departure can be confirmed.")]})
        fresh.stage = Stage.AWAY
        fresh.departed_on = departed_on
        _reassess(fresh, _documents_of(fresh))
        fresh.version += 1
        fresh.save()
        _schedule(fresh, actor)
        audit(
            "departure.confirm",
            actor=actor,
            request=request,
            record=fresh,
            fields=["stage", "departed_on"],
        )
    return fresh


def cancel_departure(
    actor: User,
    departure: Departure,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Departure:
    with transaction.atomic():
        fresh = locked_departure(actor, departure, expected_version)
        if fresh.stage != Stage.PLANNED:
            raise ValidationError({"stage": [_("Only a planned departure can be cancelled.")]})
        fresh.stage = Stage.CANCELLED
        fresh.version += 1
        fresh.save()
        CheckIn.objects.filter(departure=fresh, outcome="").delete()
        audit("departure.cancel", actor=actor, request=request, record=fresh, fields=["stage"])
    return fresh
