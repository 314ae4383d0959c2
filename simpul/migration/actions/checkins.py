"""Writes of check-ins: record a contact with the migrant or family, and refer a problem
found at a check-in to protection intake in one action."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.identity.crypto import seal_text
from simpul.intake.actions import IntakeDetails, refer_to_protection
from simpul.intake.models import Channel as IntakeChannel
from simpul.intake.models import Intake
from simpul.migration.actions.departures import locked_departure
from simpul.migration.codes import (
    CheckInOutcome,
    Problem,
    Stage,
)
from simpul.migration.models import CheckIn, Departure
from simpul.migration.sealing import aad

# A contact this many days before a scheduled date still counts as that check-in.
EARLY_DAYS = 31


@dataclass
class CheckInInput:
    contacted_on: date
    outcome: str
    contact_with: str
    problems: list[str] = field(default_factory=list)
    note: str = ""


def record_check_in(
    actor: User,
    departure: Departure,
    data: CheckInInput,
    *,
    refer: bool = False,
    immediate_danger: bool = False,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Record a contact. It fills the earliest open scheduled check-in that is due (or due
    within a month), else it is kept as an unscheduled contact. With `refer`, a problem is
    sent to protection intake in the same step."""
    errors: dict[str, list[str]] = {}
    if data.outcome not in CheckInOutcome.values:
        errors["outcome"] = [_("Choose the outcome of the contact.")]
    if data.contacted_on > timezone.localdate():
        errors["contacted_on"] = [_("The contact date cannot be in the future.")]
    if set(data.problems) - set(Problem.values):
        errors["problems"] = [_("Unknown problem.")]
    if data.outcome == CheckInOutcome.PROBLEM and not (data.problems or data.note.strip()):
        errors["problems"] = [_("Say what the problem is.")]
    if refer and data.outcome != CheckInOutcome.PROBLEM:
        errors["refer"] = [_("Only a contact with a problem can be referred.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = locked_departure(actor, departure, None)
        if fresh.stage == Stage.CANCELLED:
            raise ValidationError({"outcome": [_("This departure did not happen.")]})
        slot = (
            CheckIn.objects.select_for_update()
            .filter(departure=fresh, outcome="", due_on__isnull=False)
            .order_by("due_on")
            .first()
        )
        if slot is None or (slot.due_on and (slot.due_on - data.contacted_on).days > EARLY_DAYS):
            slot = CheckIn(
                departure=fresh,
                person_id=fresh.person_id,
                owner_agency_id=fresh.owner_agency_id,
                scope_region_id=fresh.scope_region_id,
                created_by=actor,
            )
        slot.contacted_on = data.contacted_on
        slot.outcome = data.outcome
        slot.contact_with = data.contact_with
        slot.problems = sorted(set(data.problems))
        slot.recorded_by = actor
        slot.save()
        if data.note.strip():
            slot.note_sealed = seal_text(data.note.strip(), aad("checkin", "note_sealed", slot.id))
            slot.save(update_fields=["note_sealed"])
        audit(
            "checkin.record",
            actor=actor,
            request=request,
            record=slot,
            fields=["outcome", "contacted_on", *(["problems"] if data.problems else [])],
            reason=data.outcome,
        )
        if refer:
            _refer_check_in(actor, fresh, slot, data.note, immediate_danger, request)
    return slot


def refer_check_in(
    actor: User,
    checkin: CheckIn,
    *,
    note: str = "",
    immediate_danger: bool = False,
    request: HttpRequest | None = None,
) -> Intake:
    """Send a problem found at a check-in to protection intake, in one action."""
    with transaction.atomic():
        departure = locked_departure(actor, checkin.departure, None)
        fresh = CheckIn.objects.select_for_update().get(pk=checkin.pk, departure=departure)
        if fresh.outcome != CheckInOutcome.PROBLEM:
            raise ValidationError({"refer": [_("Only a contact with a problem can be referred.")]})
        return _refer_check_in(actor, departure, fresh, note, immediate_danger, request)


def _refer_check_in(
    actor: User,
    departure: Departure,
    checkin: CheckIn,
    note: str,
    immediate_danger: bool,
    request: HttpRequest | None,
) -> Intake:
    if checkin.referred_intake_id:
        raise ValidationError(
            {"refer": [_("This contact was already referred to protection services.")]}
        )
    problems = "; ".join(str(Problem(p).label) for p in checkin.problems)
    narrative = _(
        "Check-in on %(day)s for departure %(ref)s (%(country)s %(place)s): reached with a "
        "problem: %(problems)s."
    ) % {
        "day": checkin.contacted_on,
        "ref": departure.reference,
        "country": departure.destination_country,
        "place": departure.destination_place,
        "problems": problems or "-",
    }
    if note.strip():
        narrative += "\n" + note.strip()
    age = departure.age_at_departure
    intake = refer_to_protection(
        actor,
        IntakeDetails(
            channel=IntakeChannel.REFERRAL_VILLAGE,
            narrative=narrative,
            place_region=departure.scope_region,
            place_country=departure.destination_country,
            immediate_danger=immediate_danger,
            child_involved=age is not None and age < 18,
        ),
        persons=[departure.person],
        source_type="migration.checkin",
        source_id=str(checkin.id),
        request=request,
    )
    checkin.referred_intake = intake
    checkin.save(update_fields=["referred_intake", "updated_at"])
    return intake
