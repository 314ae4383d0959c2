"""A stay's life: planned (from a referral or directly), checked in, absent and back, checked
out with an exit reason, or cancelled. One open stay per person is the database's rule."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.cases.models import Case, CaseVictim
from simpul.identity.models import Person
from simpul.identity.queries import persons_for
from simpul.linkage import actions as linkage_actions
from simpul.referrals.models import Referral
from simpul.shelters import queries
from simpul.shelters.actions.common import locked_stay, move, require_shelter_staff
from simpul.shelters.codes import (
    OPEN_STATUSES,
    RESIDENT_STATUSES,
    ConsentBasis,
    ExitReason,
    ShelterStatus,
    StayStatus,
    default_stay_days,
)
from simpul.shelters.models import Shelter, Stay, StayEvent


def _already_open() -> ValidationError:
    return ValidationError(
        {"person": _("This person already has an open stay; end it before planning another.")}
    )


def plan_stay(
    actor: User,
    shelter: Shelter,
    person: Person,
    *,
    case: Case | None = None,
    referral: Referral | None = None,
    planned_on: date | None = None,
    requested: bool = False,
    request: HttpRequest | None = None,
) -> Stay:
    """A planned stay (or only requested) for `person` at `shelter`. Refused when the person
    already has an open stay: checked here for a clear message, and by the database's partial
    unique index when two plans race."""
    require_shelter_staff(actor, shelter)
    # Planned directly, the person must be one the officer sees (e.g. recorded at the door);
    # from an accepted referral, the person is the referred case's victim.
    if referral is None and not persons_for(actor).filter(pk=person.pk).exists():
        raise PermissionDenied
    if shelter.status != ShelterStatus.OPEN:
        raise ValidationError({"shelter": _("The shelter is closed.")})
    status = StayStatus.REQUESTED if requested else StayStatus.PLANNED
    with transaction.atomic():
        if not requested and Stay.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
            raise _already_open()
        try:
            with transaction.atomic():
                stay = Stay.objects.create(
                    owner_agency_id=shelter.operator_agency_id,
                    scope_region_id=shelter.region_id,
                    created_by=actor,
                    shelter=shelter,
                    person=person,
                    case=case,
                    referral=referral,
                    status=status,
                    planned_on=planned_on or timezone.localdate(),
                )
        except IntegrityError:
            raise _already_open() from None
        StayEvent.objects.create(stay=stay, at=timezone.now(), by=actor, to_status=status)
        audit(
            "stay.plan",
            actor=actor,
            request=request,
            record=stay,
            fields=["shelter", "person", "status", *(["referral"] if referral else [])],
        )
    return stay


def plan_stay_from_referral(
    actor: User,
    referral: Referral,
    shelter: Shelter,
    *,
    planned_on: date | None = None,
    request: HttpRequest | None = None,
) -> list[Stay]:
    """An accepted referral for temporary shelter becomes a planned stay for each victim of its
    case. The referral is read, never written; the stay keeps a link to it."""
    waiting = queries.admissions_waiting(actor).filter(pk=referral.pk).exists()
    if not waiting:
        raise ValidationError(_("This referral is not waiting for an admission."))
    if shelter.operator_agency_id != referral.to_agency_id:
        raise PermissionDenied
    persons = [
        v.person
        for v in CaseVictim.objects.filter(case_id=referral.case_id).select_related("person")
    ]
    if not persons:
        raise ValidationError(_("The referred case has no victim recorded."))
    with transaction.atomic():
        return [
            plan_stay(
                actor,
                shelter,
                person,
                case=referral.case,
                referral=referral,
                planned_on=planned_on,
                request=request,
            )
            for person in persons
        ]


def confirm_request(
    actor: User, stay: Stay, *, version: int | None = None, request: HttpRequest | None = None
) -> Stay:
    """A requested stay becomes planned (the one-open-stay rule applies from here)."""
    require_shelter_staff(actor, stay.shelter)
    with transaction.atomic():
        fresh = locked_stay(stay, version)
        try:
            with transaction.atomic():
                move(fresh, StayStatus.PLANNED, actor, [])
        except IntegrityError:
            raise _already_open() from None
        audit("stay.plan", actor=actor, request=request, record=fresh, fields=["status"])
    return fresh


def record_stay_consent(
    actor: User,
    stay: Stay,
    *,
    basis: str,
    given_at: date | None = None,
    request: HttpRequest | None = None,
) -> Stay:
    """Who agreed to the stay (the person, a guardian, a court order), when; recorded by."""
    require_shelter_staff(actor, stay.shelter)
    if basis not in ConsentBasis.values:
        raise ValidationError({"basis": _("Say who gave the consent.")})
    with transaction.atomic():
        fresh = locked_stay(stay, None)
        fresh.consent_basis = basis
        fresh.consent_given_at = timezone.now()
        fresh.consent_recorded_by = actor
        fresh.version += 1
        fresh.save(
            update_fields=[
                "consent_basis",
                "consent_given_at",
                "consent_recorded_by",
                "version",
                "updated_at",
            ]
        )
        audit("stay.consent", actor=actor, request=request, record=fresh, fields=["consent_basis"])
    return fresh


def check_in(
    actor: User,
    stay: Stay,
    *,
    overflow_reason: str = "",
    consent_basis: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Stay:
    """Admit a planned resident. The shelter row is locked first (`select_for_update` on
    PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock), so two
    officers admitting to the last bed at once are served one after the other and the second
    finds the shelter full: refused unless an overflow reason is given."""
    require_shelter_staff(actor, stay.shelter)
    overflow_reason = " ".join(overflow_reason.split())
    with transaction.atomic():
        shelter = Shelter.objects.select_for_update().get(pk=stay.shelter_id)
        fresh = locked_stay(stay, version)
        if shelter.status != ShelterStatus.OPEN:
            raise ValidationError(_("The shelter is closed."))
        if consent_basis:
            if consent_basis not in ConsentBasis.values:
                raise ValidationError({"consent_basis": _("Say who gave the consent.")})
            fresh.consent_basis = consent_basis
            fresh.consent_given_at = timezone.now()
            fresh.consent_recorded_by = actor
        if not fresh.consent_basis:
            raise ValidationError(
                {"consent_basis": _("Record the consent to the stay before checking in.")}
            )
        if fresh.status != StayStatus.PLANNED:
            raise ValidationError(_("Only a planned stay can be checked in."))
        beds = queries.beds_now(shelter)
        if beds.available <= 0 and not overflow_reason:
            raise ValidationError(
                {
                    "overflow_reason": _(
                        "The shelter is full (%(occupied)d of %(usable)d beds taken). Give "
                        "the reason for admitting beyond capacity, or choose another shelter."
                    )
                    % {"occupied": beds.occupied, "usable": beds.usable}
                }
            )
        now = timezone.now()
        fresh.checked_in_at = now
        fresh.stay_until = timezone.localdate() + timedelta(days=default_stay_days(shelter.kind))
        fresh.overflow_reason = overflow_reason if beds.available <= 0 else ""
        move(
            fresh,
            StayStatus.CHECKED_IN,
            actor,
            [
                "checked_in_at",
                "stay_until",
                "overflow_reason",
                "consent_basis",
                "consent_given_at",
                "consent_recorded_by",
            ],
        )
        audit(
            "stay.check_in",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status", "checked_in_at", *(["overflow_reason"] if overflow_reason else [])],
        )
        # Within a minute of the save: does the resident match an open missing report?
        linkage_actions.check_new_shelter_admission(fresh.person_id)
    return fresh


def _simple_move(
    actor: User, stay: Stay, to: str, version: int | None, request: HttpRequest | None
) -> Stay:
    require_shelter_staff(actor, stay.shelter)
    with transaction.atomic():
        fresh = locked_stay(stay, version)
        if to == StayStatus.CHECKED_IN and fresh.status != StayStatus.ABSENT:
            raise ValidationError(_("Only a temporarily absent resident can come back."))
        move(fresh, to, actor, [])
        audit(
            "stay.absent" if to == StayStatus.ABSENT else "stay.back",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status"],
        )
    return fresh


def mark_absent(
    actor: User, stay: Stay, *, version: int | None = None, request: HttpRequest | None = None
) -> Stay:
    """Temporarily away (hospital visit, court, family): the bed stays theirs."""
    return _simple_move(actor, stay, StayStatus.ABSENT, version, request)


def mark_back(
    actor: User, stay: Stay, *, version: int | None = None, request: HttpRequest | None = None
) -> Stay:
    return _simple_move(actor, stay, StayStatus.CHECKED_IN, version, request)


def check_out(
    actor: User,
    stay: Stay,
    *,
    exit_reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Stay:
    """The resident leaves, with the exit reason. Documents still in custody are not returned
    by this: they stay flagged on the board until returned. ("Returned home" is where the
    handover of issue 15 item 4 will attach.)"""
    require_shelter_staff(actor, stay.shelter)
    if exit_reason not in ExitReason.values:
        raise ValidationError({"exit_reason": _("Choose why the resident left.")})
    with transaction.atomic():
        fresh = locked_stay(stay, version)
        if fresh.status not in RESIDENT_STATUSES:
            raise ValidationError(_("Only a resident who is checked in can be checked out."))
        fresh.checked_out_at = timezone.now()
        fresh.exit_reason = exit_reason
        move(fresh, StayStatus.CHECKED_OUT, actor, ["checked_out_at", "exit_reason"])
        audit(
            "stay.check_out",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status", "checked_out_at", "exit_reason"],
        )
    return fresh


def cancel_stay(
    actor: User,
    stay: Stay,
    *,
    reason: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Stay:
    require_shelter_staff(actor, stay.shelter)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why the stay is cancelled.")})
    with transaction.atomic():
        fresh = locked_stay(stay, version)
        fresh.cancel_reason = reason[:200]
        move(fresh, StayStatus.CANCELLED, actor, ["cancel_reason"])
        audit("stay.cancel", actor=actor, request=request, record=fresh, fields=["cancel_reason"])
    return fresh
