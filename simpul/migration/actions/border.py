"""Writes at the border: returns, returnee screening with referral, the screening log of the
integrated teams, and Imigrasi's passport refusals and departure deferrals."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.identity.crypto import seal_text
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, refer_to_protection
from simpul.intake.models import Channel as IntakeChannel
from simpul.intake.models import Intake
from simpul.migration.actions.common import nik_district, resolve_person
from simpul.migration.capabilities import Duty, acting_agency
from simpul.migration.codes import (
    POINT_BY_CODE,
    CheckedDocument,
    Country,
    Direction,
    ImmigrationDecisionKind,
    RedFlag,
    ReturnDocument,
    ReturnKind,
    ScreeningOutcome,
    TeamTask,
)
from simpul.migration.keys import return_key
from simpul.migration.models import Departure, ImmigrationDecision, ReturnEvent, Screening
from simpul.migration.queries import get_departure_for, get_return_for, get_screening_for
from simpul.migration.sealing import aad
from simpul.regions.models import Region


@dataclass
class ReturnInput:
    returned_on: date
    entry_point: str
    travel_document: str
    kind: str = ReturnKind.DEPORTATION
    from_country: str = Country.MY
    source_depot: str = ""
    consulate: str = ""
    receiving_team: str = ""
    shelter: str = ""
    onward_region: Region | None = None
    escort: str = ""


@dataclass
class ScreeningInput:
    outcome: str
    crossing_point: str = ""
    direction: str = Direction.ARRIVING
    screened_at: datetime | None = None
    destination_country: str = ""
    tasks: list[str] = field(default_factory=list)
    documents_checked: list[str] = field(default_factory=list)
    red_flags: list[str] = field(default_factory=list)
    note: str = ""
    immediate_danger: bool = False


@dataclass
class DecisionInput:
    kind: str
    decided_on: date
    office: str
    crossing_point: str = ""
    destination_country: str = ""
    reasons: list[str] = field(default_factory=list)
    note: str = ""


def _check_codes(
    errors: dict[str, list[str]], name: str, values: list[str], allowed: Iterable[str]
) -> None:
    if set(values) - set(allowed):
        errors[name] = [_("Unknown value in the list.")]


def _home_region(home: Region | None, identity: IdentityData) -> Region | None:
    return home or nik_district(identity.nik)


def _post_region(agency: Agency, point_code: str) -> Region | None:
    point = POINT_BY_CODE.get(point_code)
    code = point.region if point and point.region else agency.jurisdiction_id
    return Region.objects.filter(pk=code).first() if code else None


def validate_return(data: ReturnInput, identity: IdentityData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not identity.full_name.strip():
        errors["full_name"] = [_("Enter the returnee's name as on the list or document.")]
    if data.entry_point not in POINT_BY_CODE:
        errors["entry_point"] = [_("Choose the entry point.")]
    if data.travel_document not in ReturnDocument.values:
        errors["travel_document"] = [_("Choose the travel document.")]
    elif data.travel_document != ReturnDocument.NONE and not identity.passport.strip():
        errors["passport"] = [_("Enter the SPLP or passport number.")]
    if data.kind not in ReturnKind.values:
        errors["kind"] = [_("Choose the kind of return.")]
    if data.from_country not in Country.values:
        errors["from_country"] = [_("Choose a country.")]
    if data.returned_on > timezone.localdate():
        errors["returned_on"] = [_("The arrival date cannot be in the future.")]
    return errors


def record_return(
    actor: User,
    identity: IdentityData,
    data: ReturnInput,
    *,
    home_region: Region | None = None,
    departure: Departure | None = None,
    request: HttpRequest | None = None,
    duplicate_choice: str | None = None,
) -> ReturnEvent:
    """Record one return at the actor's post. The returnee is the departure's person when the
    actor can see that departure, else a person in the actor's scope with the same NIK or
    document number, else a new vault entry."""
    agency = acting_agency(actor, Duty.RETURNS)
    errors = validate_return(data, identity)
    if errors:
        raise ValidationError(errors)
    key = return_key(
        data.entry_point,
        data.returned_on,
        identity.passport,
        identity.full_name,
        identity.birth_date,
    )
    with transaction.atomic():
        if ReturnEvent.objects.filter(owner_agency=agency, natural_key=key).exists():
            raise ValidationError({"returned_on": [_("This return is already recorded.")]})
        region = _home_region(home_region, identity)
        person: Person
        if departure is not None:
            departure = get_departure_for(actor, departure.pk)
            person, region = departure.person, home_region or departure.scope_region
        else:
            person, _created, _warnings = resolve_person(
                actor,
                identity,
                owner_agency=agency,
                scope_region=region,
                request=request,
                duplicate_choice=duplicate_choice,
            )
        event = ReturnEvent.objects.create(
            person=person,
            owner_agency=agency,
            scope_region=region,
            created_by=actor,
            kind=data.kind,
            returned_on=data.returned_on,
            entry_point=data.entry_point,
            from_country=data.from_country,
            source_depot=data.source_depot.strip(),
            consulate=data.consulate.strip(),
            travel_document=data.travel_document,
            receiving_team=data.receiving_team.strip(),
            shelter=data.shelter.strip(),
            onward_region=data.onward_region,
            escort=data.escort.strip(),
            natural_key=key,
        )
        fields = [k for k, v in data.__dict__.items() if v]
        audit("return.create", actor=actor, request=request, record=event, fields=fields)
    return event


def _validate_screening(data: ScreeningInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.outcome not in ScreeningOutcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    if data.direction not in Direction.values:
        errors["direction"] = [_("Choose the direction.")]
    if data.crossing_point and data.crossing_point not in POINT_BY_CODE:
        errors["crossing_point"] = [_("Choose the post.")]
    if data.destination_country and data.destination_country not in Country.values:
        errors["destination_country"] = [_("Choose a country.")]
    _check_codes(errors, "tasks", data.tasks, TeamTask.values)
    _check_codes(errors, "documents_checked", data.documents_checked, CheckedDocument.values)
    _check_codes(errors, "red_flags", data.red_flags, RedFlag.values)
    if data.screened_at and data.screened_at > timezone.now():
        errors["screened_at"] = [_("The time cannot be in the future.")]
    if errors:
        raise ValidationError(errors)


def _refer_screening(
    actor: User,
    agency: Agency,
    screening: Screening,
    note: str,
    immediate_danger: bool,
    request: HttpRequest | None,
) -> Intake:
    if screening.referred_intake_id:
        raise ValidationError({"outcome": [_("Already referred to protection services.")]})
    point = POINT_BY_CODE.get(screening.crossing_point)
    flags = "; ".join(str(RedFlag(f).label) for f in screening.red_flags) or "-"
    narrative = _(
        "%(direction)s traveller screened at %(post)s on %(day)s. Red flags: %(flags)s."
    ) % {
        "direction": Direction(screening.direction).label,
        "post": point.name if point else screening.crossing_point,
        "day": timezone.localtime(screening.screened_at).date(),
        "flags": flags,
    }
    if note.strip():
        narrative += "\n" + note.strip()
    intake = refer_to_protection(
        actor,
        IntakeDetails(
            channel=IntakeChannel.REFERRAL_BORDER,
            narrative=narrative,
            place_region=_post_region(agency, screening.crossing_point),
            immediate_danger=immediate_danger,
            child_involved=RedFlag.MINOR in screening.red_flags,
        ),
        persons=[screening.person],
        source_type=(
            "migration.returnevent" if screening.return_event_id else "migration.screening"
        ),
        source_id=str(screening.return_event_id or screening.id),
        request=request,
    )
    screening.referred_intake = intake
    if screening.outcome != ScreeningOutcome.POLICE:
        screening.outcome = ScreeningOutcome.REFERRED
    screening.save(update_fields=["referred_intake", "outcome", "updated_at"])
    if screening.return_event_id:
        ReturnEvent.objects.filter(pk=screening.return_event_id).update(
            referred_intake=intake, updated_at=timezone.now()
        )
    return intake


def screen_return(
    actor: User,
    event: ReturnEvent,
    data: ScreeningInput,
    *,
    request: HttpRequest | None = None,
) -> Screening:
    """Screen a returnee; with outcome 'referred', the protection intake is created in the
    same step."""
    agency = acting_agency(actor, Duty.RETURNS)
    _validate_screening(data)
    with transaction.atomic():
        event = get_return_for(actor, event.pk, perm=Perm.EDIT_RECORDS)
        screening = Screening.objects.create(
            person_id=event.person_id,
            owner_agency=agency,
            scope_region_id=event.scope_region_id,
            created_by=actor,
            screened_by=actor,
            crossing_point=event.entry_point,
            screened_at=data.screened_at or timezone.now(),
            direction=Direction.ARRIVING,
            return_event=event,
            tasks=sorted(set(data.tasks)),
            documents_checked=sorted(set(data.documents_checked)),
            red_flags=sorted(set(data.red_flags)),
            outcome=data.outcome,
        )
        _seal_note(screening, data.note)
        audit(
            "screening.create",
            actor=actor,
            request=request,
            record=screening,
            fields=["red_flags", "outcome", "return_event"],
            reason=data.outcome,
        )
        if data.outcome == ScreeningOutcome.REFERRED:
            _refer_screening(actor, agency, screening, data.note, data.immediate_danger, request)
    return screening


def _seal_note(screening: Screening, note: str) -> None:
    if note.strip():
        screening.note_sealed = seal_text(note.strip(), aad("screening", "note", screening.id))
        screening.save(update_fields=["note_sealed"])


def record_screening(
    actor: User,
    identity: IdentityData,
    data: ScreeningInput,
    *,
    home_region: Region | None = None,
    request: HttpRequest | None = None,
    duplicate_choice: str | None = None,
) -> Screening:
    """Log a traveller screened by the integrated team (seed 002 tasks b-d); with outcome
    'referred', the suspected case becomes a protection intake in the same step."""
    agency = acting_agency(actor, Duty.SCREENING)
    _validate_screening(data)
    if data.crossing_point not in POINT_BY_CODE:
        raise ValidationError({"crossing_point": [_("Choose the post.")]})
    if not identity.full_name.strip():
        raise ValidationError({"full_name": [_("Enter the traveller's name.")]})
    region = _home_region(home_region, identity)
    with transaction.atomic():
        person, _created, _warnings = resolve_person(
            actor,
            identity,
            owner_agency=agency,
            scope_region=region,
            request=request,
            duplicate_choice=duplicate_choice,
        )
        screening = Screening.objects.create(
            id=uuid.uuid4(),
            person=person,
            owner_agency=agency,
            scope_region=region,
            created_by=actor,
            screened_by=actor,
            crossing_point=data.crossing_point,
            screened_at=data.screened_at or timezone.now(),
            direction=data.direction,
            destination_country=data.destination_country,
            tasks=sorted(set(data.tasks)),
            documents_checked=sorted(set(data.documents_checked)),
            red_flags=sorted(set(data.red_flags)),
            outcome=data.outcome,
        )
        _seal_note(screening, data.note)
        audit(
            "screening.create",
            actor=actor,
            request=request,
            record=screening,
            fields=["person", "red_flags", "outcome"],
            reason=data.outcome,
        )
        if data.outcome == ScreeningOutcome.REFERRED:
            _refer_screening(actor, agency, screening, data.note, data.immediate_danger, request)
    return screening


def refer_screening(
    actor: User,
    screening: Screening,
    *,
    note: str = "",
    immediate_danger: bool = False,
    request: HttpRequest | None = None,
) -> Intake:
    """A suspected case in the log becomes a protection intake, in one action."""
    agency = acting_agency(actor, Duty.RETURNS if screening.return_event_id else Duty.SCREENING)
    with transaction.atomic():
        visible = get_screening_for(actor, screening.pk, perm=Perm.EDIT_RECORDS)
        fresh = Screening.objects.select_for_update().get(pk=visible.pk)
        return _refer_screening(actor, agency, fresh, note, immediate_danger, request)


def record_immigration_decision(
    actor: User,
    identity: IdentityData,
    data: DecisionInput,
    *,
    home_region: Region | None = None,
    request: HttpRequest | None = None,
    duplicate_choice: str | None = None,
) -> ImmigrationDecision:
    """A passport refused or deferred, or a departure deferred, with its reasons."""
    agency = acting_agency(actor, Duty.IMMIGRATION)
    errors: dict[str, list[str]] = {}
    if data.kind not in ImmigrationDecisionKind.values:
        errors["kind"] = [_("Choose the decision.")]
    if data.decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if not data.office.strip():
        errors["office"] = [_("Name the immigration office or checkpoint.")]
    if not data.reasons:
        errors["reasons"] = [_("Give at least one reason.")]
    _check_codes(errors, "reasons", data.reasons, RedFlag.values)
    if data.crossing_point and data.crossing_point not in POINT_BY_CODE:
        errors["crossing_point"] = [_("Choose the checkpoint.")]
    if not identity.full_name.strip():
        errors["full_name"] = [_("Enter the applicant's or traveller's name.")]
    if errors:
        raise ValidationError(errors)
    region = _home_region(home_region, identity)
    with transaction.atomic():
        person, _created, _warnings = resolve_person(
            actor,
            identity,
            owner_agency=agency,
            scope_region=region,
            request=request,
            duplicate_choice=duplicate_choice,
        )
        decision = ImmigrationDecision.objects.create(
            id=uuid.uuid4(),
            person=person,
            owner_agency=agency,
            scope_region=region,
            created_by=actor,
            kind=data.kind,
            decided_on=data.decided_on,
            office=data.office.strip(),
            crossing_point=data.crossing_point,
            destination_country=data.destination_country,
            reasons=sorted(set(data.reasons)),
        )
        if data.note.strip():
            decision.note_sealed = seal_text(
                data.note.strip(), aad("immigrationdecision", "note", decision.id)
            )
            decision.save(update_fields=["note_sealed"])
        audit(
            "immigration_decision.create",
            actor=actor,
            request=request,
            record=decision,
            fields=["person", "kind", "reasons"],
            reason=data.kind,
        )
    return decision
