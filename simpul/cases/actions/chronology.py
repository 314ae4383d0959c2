"""The trafficking chronology (HTCDS hte_*): recruitment, transit and exploitation events with
places and dates, shared with receivers as the "events" section."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.cases.actions.common import (
    _editable,
    _log,
)
from simpul.cases.codes import EventType
from simpul.cases.models import (
    Case,
    TraffickingEvent,
)


def _clean_event(
    event_type: str, occurred_on: date | None, until_on: date | None, region: Any, country: str
) -> None:
    errors: dict[str, list[str]] = {}
    if event_type not in EventType.values:
        errors["event_type"] = [_("Choose what happened.")]
    if occurred_on and occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if occurred_on and until_on and until_on < occurred_on:
        errors["until_on"] = [_("The end cannot be before the start.")]
    if not region and not country:
        errors["country"] = [_("Give the region in Indonesia or the country.")]
    if errors:
        raise ValidationError(errors)


def record_event(
    actor: User,
    case: Case,
    *,
    event_type: str,
    occurred_on: date | None,
    until_on: date | None = None,
    region: Any = None,
    country: str = "",
    place: str = "",
    request: HttpRequest | None = None,
) -> TraffickingEvent:
    _clean_event(event_type, occurred_on, until_on, region, country)
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        event = TraffickingEvent.objects.create(
            case=fresh,
            event_type=event_type,
            occurred_on=occurred_on,
            until_on=until_on,
            region=region,
            country=country.upper(),
            place=place.strip(),
            recorded_by=actor,
        )
        _log(fresh, actor, "event_recorded", request, ["events"], event=event_type)
    return event


def change_event(
    actor: User,
    event: TraffickingEvent,
    *,
    event_type: str,
    occurred_on: date | None,
    until_on: date | None = None,
    region: Any = None,
    country: str = "",
    place: str = "",
    request: HttpRequest | None = None,
) -> TraffickingEvent:
    _clean_event(event_type, occurred_on, until_on, region, country)
    with transaction.atomic():
        fresh = _editable(actor, event.case_id, None)
        locked = TraffickingEvent.objects.select_for_update().get(pk=event.pk, case=fresh)
        locked.event_type, locked.occurred_on, locked.until_on = event_type, occurred_on, until_on
        locked.region, locked.country, locked.place = region, country.upper(), place.strip()
        locked.save()
        _log(fresh, actor, "event_changed", request, ["events"], event=event_type)
    return locked


def remove_event(
    actor: User, event: TraffickingEvent, *, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        fresh = _editable(actor, event.case_id, None)
        kind = event.event_type
        TraffickingEvent.objects.filter(pk=event.pk, case=fresh).delete()
        _log(fresh, actor, "event_removed", request, ["events"], event=kind)
