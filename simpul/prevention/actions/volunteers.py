"""Volunteers: records with sealed contacts, trainings and their reports."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.audit.log import record as audit
from simpul.core.codes import random_part, unique_code
from simpul.identity.crypto import open_text, seal_text
from simpul.identity.data import mask_name
from simpul.lib.phone import normalise_phone
from simpul.prevention import permissions
from simpul.prevention.actions.common import (
    check_village,
    pick_choices,
    require_manage,
)
from simpul.prevention.models import (
    Topic,
    Volunteer,
    VolunteerNetwork,
    VolunteerReport,
    VolunteerReportKind,
    VolunteerTraining,
)
from simpul.prevention.queries import get_volunteer_for, volunteers_for
from simpul.prevention.text_checks import reject_identifiers
from simpul.regions.models import Region


@dataclass(frozen=True)
class VolunteerData:
    name: str
    phone: str
    network: str
    village: Region | None
    since: dt.date | None = None


def contact_aad(volunteer_id: uuid.UUID) -> str:
    return f"prevention.volunteer.contact_sealed:{volunteer_id}"


def _new_volunteer_code() -> str:
    return unique_code(Volunteer, "code", lambda: "V-" + random_part(6))


def create_volunteer(
    actor: User,
    data: VolunteerData,
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> Volunteer:
    require_manage(actor, owner_agency)
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if len(name) < 2:
        errors["name"] = [_("Enter the volunteer's name.")]
    phone = ""
    if data.phone.strip():
        phone = normalise_phone(data.phone) or ""
        if not phone:
            errors["phone"] = [_("Enter a phone number, e.g. 0812 3456 7890.")]
    if data.network not in VolunteerNetwork.values:
        errors["network"] = [_("Choose a network.")]
    try:
        check_village(owner_agency, data.village)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        volunteer = Volunteer(
            id=uuid.uuid4(),
            code=_new_volunteer_code(),
            owner_agency=owner_agency,
            scope_region=data.village,
            village=data.village,
            network=data.network,
            since=data.since,
            masked_name=mask_name(name),
            created_by=actor,
        )
        volunteer.contact_sealed = seal_text(
            json.dumps({"name": name, "phone": phone}), contact_aad(volunteer.id)
        )
        volunteer.save()
        audit(
            "prevention.volunteer.create",
            actor=actor,
            request=request,
            record=volunteer,
            fields=["name", "network", "village", *(["phone"] if phone else [])],
        )
    return volunteer


def volunteer_contact(
    actor: User, volunteer: Volunteer, *, request: HttpRequest | None = None
) -> dict[str, Any]:
    """The volunteer's name and phone, for someone who manages prevention in their area."""
    volunteer = get_volunteer_for(actor, volunteer.pk, perms=permissions.WRITE)
    contact = json.loads(open_text(volunteer.contact_sealed, contact_aad(volunteer.id)))
    audit(
        "prevention.volunteer.contact",
        actor=actor,
        request=request,
        record=volunteer,
        fields=["name", "phone"],
    )
    return dict(contact)


def set_volunteer_active(
    actor: User, volunteer: Volunteer, active: bool, *, request: HttpRequest | None = None
) -> Volunteer:
    volunteer = get_volunteer_for(actor, volunteer.pk, perms=permissions.WRITE)
    with transaction.atomic():
        volunteer.active = active
        volunteer.version += 1
        volunteer.save(update_fields=["active", "version", "updated_at"])
        audit(
            "prevention.volunteer.update",
            actor=actor,
            request=request,
            record=volunteer,
            fields=["active"],
        )
    return volunteer


@dataclass(frozen=True)
class TrainingData:
    title: str
    held_on: dt.date
    hours: float
    topics: list[str]
    organiser: str = ""


def record_training(
    actor: User,
    data: TrainingData,
    volunteers: Sequence[Volunteer],
    *,
    owner_agency: Agency,
    request: HttpRequest | None = None,
) -> VolunteerTraining:
    require_manage(actor, owner_agency)
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the training a title.")]
    if data.held_on > timezone.localdate():
        errors["held_on"] = [_("Record a training once it has been held.")]
    if not 0 < data.hours <= 200:
        errors["hours"] = [_("Between 0.5 and 200 hours.")]
    reachable = set(volunteers_for(actor, permissions.WRITE).values_list("id", flat=True))
    chosen = [v for v in volunteers if v.id in reachable]
    if not chosen:
        errors["volunteers"] = [_("Choose the volunteers who took part.")]
    for name in ("title", "organiser"):
        try:
            reject_identifiers(getattr(data, name))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        training = VolunteerTraining.objects.create(
            owner_agency=owner_agency,
            held_on=data.held_on,
            title=data.title.strip(),
            topics=pick_choices(data.topics, Topic.values),
            hours=round(data.hours, 1),
            organiser=data.organiser.strip(),
            created_by=actor,
        )
        training.volunteers.set(chosen)
        audit(
            "prevention.training.create",
            actor=actor,
            request=request,
            record_type="prevention.volunteertraining",
            record_id=str(training.pk),
            fields=["title", "held_on", "volunteers"],
            count=len(chosen),
        )
    return training


def record_volunteer_report(
    actor: User,
    volunteer: Volunteer,
    *,
    received_on: dt.date,
    kind: str,
    village: Region | None,
    intake_reference: str = "",
    request: HttpRequest | None = None,
) -> VolunteerReport:
    volunteer = get_volunteer_for(actor, volunteer.pk, perms=permissions.WRITE)
    errors: dict[str, list[str]] = {}
    if kind not in VolunteerReportKind.values:
        errors["kind"] = [_("Choose the kind of report.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date cannot be in the future.")]
    reference = intake_reference.strip().upper()
    if reference and not reference.startswith("ADU-"):
        errors["intake_reference"] = [_("An intake reference looks like ADU-26-ABC123.")]
    place: Region | None = None
    try:
        place = check_village(volunteer.owner_agency, village)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors or place is None:
        raise ValidationError(errors)
    with transaction.atomic():
        report = VolunteerReport.objects.create(
            volunteer=volunteer,
            received_on=received_on,
            kind=kind,
            village=place,
            intake_reference=reference,
            created_by=actor,
        )
        audit(
            "prevention.volunteer.report",
            actor=actor,
            request=request,
            record=volunteer,
            fields=["kind", "village", *(["intake_reference"] if reference else [])],
        )
    return report
