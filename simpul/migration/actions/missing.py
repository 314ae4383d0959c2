"""Writes of missing-migrant reports: report, add information, resolve, reopen. Every step
adds a history row; the report itself keeps only its current state."""

import uuid
from dataclasses import dataclass
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
from simpul.core.grants import Kind, grant_access
from simpul.core.scoping import visible_to
from simpul.identity.crypto import seal_text
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.migration.actions.common import new_reference, resolve_person
from simpul.migration.capabilities import Duty, acting_agency
from simpul.migration.codes import (
    Country,
    MissingEventKind,
    MissingStatus,
    Reporter,
    Resolution,
)
from simpul.migration.models import Departure, MissingReport, MissingReportEvent
from simpul.migration.queries import get_departure_for, get_missing_for
from simpul.migration.sealing import aad
from simpul.regions.models import Region


@dataclass
class MissingInput:
    reported_on: date
    reported_by: str
    last_contact_on: date | None = None
    last_known_country: str = ""
    last_known_place: str = ""
    last_known_employer: str = ""
    circumstances: str = ""


def _validate(data: MissingInput) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if data.reported_by not in Reporter.values:
        errors["reported_by"] = [_("Say who reports the person missing.")]
    if data.reported_on > today:
        errors["reported_on"] = [_("The report date cannot be in the future.")]
    if data.last_contact_on and data.last_contact_on > data.reported_on:
        errors["last_contact_on"] = [_("The last contact cannot be after the report date.")]
    if data.last_known_country and data.last_known_country not in Country.values:
        errors["last_known_country"] = [_("Choose a country.")]
    if errors:
        raise ValidationError(errors)


def _event(
    report: MissingReport,
    actor: User,
    kind: str,
    *,
    note: str = "",
    fields: list[str] | None = None,
    resolution: str = "",
) -> MissingReportEvent:
    event = MissingReportEvent.objects.create(
        report=report,
        at=timezone.now(),
        by=actor,
        kind=kind,
        resolution=resolution,
        fields=fields or [],
    )
    if note.strip():
        event.note_sealed = seal_text(note.strip(), aad("missingreportevent", "note", event.id))
        event.save(update_fields=["note_sealed"])
    return event


def report_missing(
    actor: User,
    data: MissingInput,
    *,
    departure: Departure | None = None,
    identity: IdentityData | None = None,
    home_village: Region | None = None,
    request: HttpRequest | None = None,
    duplicate_choice: str | None = None,
) -> MissingReport:
    """A family or village reports a person missing: from a registered departure (the same
    vault person), or for someone who left unregistered (looked up by NIK, else added)."""
    agency = acting_agency(actor, Duty.MISSING)
    _validate(data)
    with transaction.atomic():
        person: Person
        if departure is not None:
            departure = get_departure_for(actor, departure.pk, perm=Perm.EDIT_RECORDS)
            person, home_village = departure.person, departure.scope_region
        elif identity is not None:
            if home_village is None:
                raise ValidationError({"home_village": [_("Choose the person's home village.")]})
            person, _created, _warnings = resolve_person(
                actor,
                identity,
                owner_agency=agency,
                scope_region=home_village,
                request=request,
                duplicate_choice=duplicate_choice,
            )
        else:
            raise ValidationError({"person": [_("Say who is missing.")]})
        open_report = visible_to(actor, MissingReport).filter(
            person=person, status=MissingStatus.OPEN
        )
        if open_report.exists():
            raise ValidationError(
                {"person": [_("A report for this person is already open: add to it instead.")]}
            )
        report = MissingReport(
            id=uuid.uuid4(),
            person=person,
            departure=departure,
            reference=new_reference(MissingReport, "HLG"),
            owner_agency=agency,
            scope_region=home_village,
            created_by=actor,
            reported_on=data.reported_on,
            reported_by=data.reported_by,
            last_contact_on=data.last_contact_on,
            last_known_country=data.last_known_country,
            last_known_place=data.last_known_place.strip(),
        )
        report.last_known_employer_sealed = seal_text(
            data.last_known_employer.strip(),
            aad("missingreport", "last_known_employer_sealed", report.id),
        )
        report.circumstances_sealed = seal_text(
            data.circumstances.strip(), aad("missingreport", "circumstances_sealed", report.id)
        )
        report.save()
        # Whoever files the report keeps sight of it, whatever their role's scope (a case
        # worker sees only what is assigned or granted to them).
        grant_access(MissingReport, report.id, user=actor, kind=Kind.CREATOR, granted_by=actor)
        fields = [k for k, v in data.__dict__.items() if v]
        _event(report, actor, MissingEventKind.OPENED, fields=fields)
        audit("missing.create", actor=actor, request=request, record=report, fields=fields)
    return report


def _locked(actor: User, report: MissingReport, expected_version: int) -> MissingReport:
    get_missing_for(actor, report.pk, perm=Perm.EDIT_RECORDS)
    fresh = MissingReport.objects.select_for_update().get(pk=report.pk)
    if fresh.version != expected_version:
        raise StaleRecordError(fresh.version)
    return fresh


def add_missing_information(
    actor: User,
    report: MissingReport,
    *,
    note: str,
    last_known_place: str = "",
    last_contact_on: date | None = None,
    expected_version: int,
    request: HttpRequest | None = None,
) -> MissingReport:
    if not note.strip() and not last_known_place.strip() and last_contact_on is None:
        raise ValidationError({"note": [_("Add what is new.")]})
    with transaction.atomic():
        fresh = _locked(actor, report, expected_version)
        fields = []
        if last_known_place.strip():
            fresh.last_known_place = last_known_place.strip()
            fields.append("last_known_place")
        if last_contact_on is not None:
            fresh.last_contact_on = last_contact_on
            fields.append("last_contact_on")
        fresh.version += 1
        fresh.save()
        _event(fresh, actor, MissingEventKind.UPDATE, note=note, fields=fields)
        audit(
            "missing.update",
            actor=actor,
            request=request,
            record=fresh,
            fields=[*fields, *(["note"] if note.strip() else [])],
        )
    return fresh


def resolve_missing(
    actor: User,
    report: MissingReport,
    *,
    resolution: str,
    resolved_on: date,
    note: str = "",
    expected_version: int,
    request: HttpRequest | None = None,
) -> MissingReport:
    errors: dict[str, list[str]] = {}
    if resolution not in Resolution.values:
        errors["resolution"] = [_("Choose how the report was resolved.")]
    if resolved_on > timezone.localdate():
        errors["resolved_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(actor, report, expected_version)
        if fresh.status != MissingStatus.OPEN:
            raise ValidationError({"resolution": [_("This report is already resolved.")]})
        fresh.status = MissingStatus.RESOLVED
        fresh.resolution = resolution
        fresh.resolved_on = resolved_on
        fresh.version += 1
        fresh.save()
        _event(
            fresh,
            actor,
            MissingEventKind.RESOLVED,
            note=note,
            resolution=resolution,
            fields=["status", "resolution"],
        )
        audit(
            "missing.resolve",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status", "resolution"],
            reason=resolution,
        )
    return fresh


def reopen_missing(
    actor: User,
    report: MissingReport,
    *,
    note: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> MissingReport:
    if not note.strip():
        raise ValidationError({"note": [_("Say why the report is reopened.")]})
    with transaction.atomic():
        fresh = _locked(actor, report, expected_version)
        if fresh.status != MissingStatus.RESOLVED:
            raise ValidationError({"note": [_("This report is still open.")]})
        fresh.status = MissingStatus.OPEN
        fresh.resolution = ""
        fresh.resolved_on = None
        fresh.version += 1
        fresh.save()
        _event(fresh, actor, MissingEventKind.REOPENED, note=note, fields=["status"])
        audit("missing.reopen", actor=actor, request=request, record=fresh, fields=["status"])
    return fresh
