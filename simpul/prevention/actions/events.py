"""Outreach events: record and correct one event with its participant counts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.prevention.actions.common import (
    check_village,
    pick_choices,
    require_event,
    require_manage,
)
from simpul.prevention.models import (
    AgeBand,
    Audience,
    Material,
    OutreachEvent,
    ParticipantCount,
    Sex,
    Topic,
)
from simpul.prevention.text_checks import reject_identifiers
from simpul.regions.models import Region


@dataclass(frozen=True)
class EventData:
    title: str
    held_on: dt.date
    village: Region | None
    audiences: list[str]
    topics: list[str]
    materials: list[str] = field(default_factory=list)
    materials_note: str = ""
    other_organisers: str = ""
    co_organisers: list[Agency] = field(default_factory=list)
    # (sex, age band) -> number of participants
    counts: dict[tuple[str, str], int] = field(default_factory=dict)


def _clean_event(data: EventData, agency: Agency) -> EventData:
    errors: dict[str, list[str]] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [_("Give the event a title.")]
    for name in ("title", "materials_note", "other_organisers"):
        try:
            reject_identifiers(getattr(data, name))
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if data.held_on > timezone.localdate():
        errors["held_on"] = [_("Record an event once it has been held.")]
    audiences = pick_choices(data.audiences, Audience.values)
    if not audiences:
        errors["audiences"] = [_("Choose at least one audience group.")]
    topics = pick_choices(data.topics, Topic.values)
    if not topics:
        errors["topics"] = [_("Choose at least one topic.")]
    for (sex, band), count in data.counts.items():
        if sex not in Sex.values or band not in AgeBand.values or count < 0:
            errors["counts"] = [_("Participant counts must be whole numbers, zero or more.")]
    try:
        check_village(agency, data.village)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return EventData(
        title=title,
        held_on=data.held_on,
        village=data.village,
        audiences=audiences,
        topics=topics,
        materials=pick_choices(data.materials, Material.values),
        materials_note=data.materials_note.strip(),
        other_organisers=data.other_organisers.strip(),
        co_organisers=[a for a in data.co_organisers if a.pk != agency.pk],
        counts={k: v for k, v in data.counts.items() if v > 0},
    )


def _apply_event(event: OutreachEvent, data: EventData) -> None:
    event.title = data.title
    event.held_on = data.held_on
    event.village = data.village  # type: ignore[assignment]
    event.scope_region = data.village
    event.audiences = data.audiences
    event.topics = data.topics
    event.materials = data.materials
    event.materials_note = data.materials_note
    event.other_organisers = data.other_organisers


def _replace_counts(event: OutreachEvent, counts: dict[tuple[str, str], int]) -> None:
    ParticipantCount.objects.filter(event=event).delete()
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, sex=sex, age_band=band, count=n)
        for (sex, band), n in sorted(counts.items())
    )


def create_event(
    actor: User, data: EventData, *, owner_agency: Agency, request: HttpRequest | None = None
) -> OutreachEvent:
    require_manage(actor, owner_agency)
    data = _clean_event(data, owner_agency)
    with transaction.atomic():
        event = OutreachEvent(id=uuid.uuid4(), owner_agency=owner_agency, created_by=actor)
        _apply_event(event, data)
        event.save()
        event.co_organisers.set(data.co_organisers)
        _replace_counts(event, data.counts)
        audit(
            "prevention.event.create",
            actor=actor,
            request=request,
            record=event,
            fields=["title", "held_on", "village", "audiences", "topics", "counts"],
        )
    return event


def update_event(
    actor: User,
    event: OutreachEvent,
    data: EventData,
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> OutreachEvent:
    event = require_event(actor, event)
    data = _clean_event(data, event.owner_agency)
    with transaction.atomic():
        fresh = OutreachEvent.objects.select_for_update().get(pk=event.pk)
        if fresh.version != expected_version:
            raise StaleRecordError(fresh.version)
        _apply_event(fresh, data)
        fresh.version += 1
        fresh.save()
        fresh.co_organisers.set(data.co_organisers)
        _replace_counts(fresh, data.counts)
        audit(
            "prevention.event.update",
            actor=actor,
            request=request,
            record=fresh,
            fields=["title", "held_on", "village", "audiences", "topics", "counts"],
        )
    return fresh
