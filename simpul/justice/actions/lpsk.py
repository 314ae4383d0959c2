"""LPSK protection of a victim in a proceeding: the application (which starts the 7-day decision
clock through an `lpsk_applied` event in the proceeding's log), the decision, changes of the
protection and its termination. Recorded by the proceeding's investigator or prosecutor."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.identity.models import Person
from simpul.justice.actions.proceedings import EventInput, _append
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import (
    LpskApplicant,
    LpskChangeKind,
    LpskDecision,
    LpskProtection,
    LpskStatus,
)
from simpul.justice.models import LpskApplication, LpskChange, Proceeding
from simpul.justice.queries import case_victims


@dataclass
class LpskInput:
    applied_on: date
    applicant: str
    protections: list[str] = field(default_factory=list)


def _require_side(actor: User, proceeding: Proceeding) -> None:
    if actor.pk not in (proceeding.investigator_id, proceeding.prosecutor_id):
        raise PermissionDenied


def _check_date(errors: dict[str, str], name: str, on: date | None, after: date) -> None:
    if on is None:
        errors[name] = _("Enter the date.")
    elif on > timezone.localdate():
        errors[name] = _("The date cannot be in the future.")
    elif on < after:
        errors[name] = _("The date cannot be before the application.")


def apply_lpsk(
    actor: User,
    proceeding: Proceeding,
    victim: Person,
    data: LpskInput,
    *,
    request: HttpRequest | None = None,
) -> LpskApplication:
    _require_side(actor, proceeding)
    errors: dict[str, str] = {}
    if victim.pk not in {p.pk for p in case_victims(proceeding)}:
        errors["victim"] = _("Choose a victim of this case.")
    if data.applicant not in LpskApplicant.values:
        errors["applicant"] = _("Choose who applied.")
    if not data.protections:
        errors["protections"] = _("Choose at least one protection asked for.")
    elif any(p not in LpskProtection.values for p in data.protections):
        errors["protections"] = _("Choose protections from the list.")
    _check_date(errors, "applied_on", data.applied_on, proceeding.reported_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        try:
            _append(actor, locked, EventInput(E.LPSK_APPLIED, data.applied_on), request=request)
        except ValidationError as exc:
            raise ValidationError({"applied_on": exc.messages}) from exc
        application = LpskApplication.objects.create(
            proceeding=locked,
            victim=victim,
            applied_on=data.applied_on,
            applicant=data.applicant,
            protections=sorted(set(data.protections)),
            created_by=actor,
        )
        audit(
            "lpsk.apply",
            actor=actor,
            request=request,
            record=locked,
            fields=["victim", "applied_on", "applicant", "protections"],
        )
    proceeding.refresh_from_db()
    return application


def decide_lpsk(
    actor: User,
    application: LpskApplication,
    *,
    decision: str,
    decided_on: date,
    decision_number: str = "",
    granted: list[str] | None = None,
    until: date | None = None,
    request: HttpRequest | None = None,
) -> LpskApplication:
    """The LPSK leadership's decision (Peraturan LPSK 8/2020 Ps 3): accepted (with the
    protections granted), rejected or a recommendation. Stops the 7-day clock."""
    proceeding = application.proceeding
    _require_side(actor, proceeding)
    errors: dict[str, str] = {}
    granted = sorted(set(granted or []))
    if application.decision:
        errors["decision"] = _("This application is already decided.")
    elif decision not in LpskDecision.values:
        errors["decision"] = _("Choose the decision.")
    if decision == LpskDecision.ACCEPTED and not granted:
        errors["granted"] = _("Choose the protections granted.")
    elif any(p not in LpskProtection.values for p in granted):
        errors["granted"] = _("Choose protections from the list.")
    _check_date(errors, "decided_on", decided_on, application.applied_on)
    if until and decided_on and until < decided_on:
        errors["until"] = _("The protection cannot end before the decision.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        row = LpskApplication.objects.select_for_update().get(pk=application.pk)
        try:
            _append(
                actor,
                locked,
                EventInput(E.LPSK_DECIDED, decided_on, document_number=decision_number),
                request=request,
            )
        except ValidationError as exc:
            raise ValidationError({"decided_on": exc.messages}) from exc
        row.decision = decision
        row.status = LpskStatus(decision)
        row.decided_on = decided_on
        row.decision_number = decision_number.strip()
        row.granted = granted if decision == LpskDecision.ACCEPTED else []
        row.protected_until = until if decision == LpskDecision.ACCEPTED else None
        row.version += 1
        row.save()
        audit(
            "lpsk.decide",
            actor=actor,
            request=request,
            record=locked,
            fields=["decision", "decided_on"] + (["granted"] if granted else []),
        )
    return row


def change_lpsk(
    actor: User,
    application: LpskApplication,
    *,
    kind: str,
    occurred_on: date,
    protections: list[str] | None = None,
    until: date | None = None,
    decision_number: str = "",
    request: HttpRequest | None = None,
) -> LpskChange:
    """Extend (a new end date), add or reduce protections, or end the protection."""
    _require_side(actor, application.proceeding)
    items = sorted(set(protections or []))
    errors: dict[str, str] = {}
    if application.status != LpskStatus.ACCEPTED:
        errors["kind"] = _("Only an accepted protection can be changed or ended.")
    elif kind not in LpskChangeKind.values:
        errors["kind"] = _("Choose the change.")
    elif kind == LpskChangeKind.EXTEND and until is None:
        errors["until"] = _("Give the new end date.")
    elif (
        kind == LpskChangeKind.EXTEND
        and application.protected_until
        and until
        and (until <= application.protected_until)
    ):
        errors["until"] = _("An extension ends after the current end date.")
    elif kind in (LpskChangeKind.ADD, LpskChangeKind.REDUCE) and not items:
        errors["protections"] = _("Choose the protections added or taken away.")
    elif any(p not in LpskProtection.values for p in items):
        errors["protections"] = _("Choose protections from the list.")
    elif kind == LpskChangeKind.ADD and set(items) & set(application.granted):
        errors["protections"] = _("These protections are already granted.")
    elif kind == LpskChangeKind.REDUCE and not set(items) <= set(application.granted):
        errors["protections"] = _("Only granted protections can be taken away.")
    _check_date(
        errors, "occurred_on", occurred_on, application.decided_on or application.applied_on
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = LpskApplication.objects.select_for_update().get(pk=application.pk)
        change = LpskChange.objects.create(
            application=row,
            kind=kind,
            occurred_on=occurred_on,
            protections=items,
            until=until if kind == LpskChangeKind.EXTEND else None,
            decision_number=decision_number.strip(),
            recorded_by=actor,
        )
        if kind == LpskChangeKind.EXTEND:
            row.protected_until = until
        elif kind == LpskChangeKind.ADD:
            row.granted = sorted(set(row.granted) | set(items))
        elif kind == LpskChangeKind.REDUCE:
            row.granted = sorted(set(row.granted) - set(items))
        else:
            row.status = LpskStatus.TERMINATED
            row.ended_on = occurred_on
        row.version += 1
        row.save()
        audit(
            "lpsk.change",
            actor=actor,
            request=request,
            record=row.proceeding,
            fields=["kind", "occurred_on"] + (["protections"] if items else []),
        )
    return change
