"""Persons on a report, each through `identity.actions.find_or_create_person` (the one way a
page records a person, with the duplicate decision): the hotline form's report with its person
concerned and caller, and a person added to a report (screening, the API)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from simpul.accounts.models import User
from simpul.accounts.queries import require_acting_agency
from simpul.identity.actions import (
    KnownIdentifier,
    PersonChoice,
    decide_person,
    duplicate_candidates,
    find_or_create_person,
    prepare_person,
    record_decision,
    save_person,
)
from simpul.identity.data import IdentityData
from simpul.identity.duplicates import Candidate
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, link_person, record_intake
from simpul.intake.models import Intake
from simpul.regions.models import Region

# The caller's identity errors, keyed by the hotline form's fields.
_REPORTER_FIELDS = {"full_name": "reporter_name", "phone": "reporter_phone"}


@dataclass(frozen=True)
class Caller:
    """Who called the hotline: a name (and phone) goes to the vault as the reporter; a phone
    without a name (or from a caller who stays anonymous) is kept sealed as the contact."""

    name: str = ""
    phone: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class HotlineOutcome:
    """The report recorded, or (`intake` None) the possible duplicates of the person
    concerned that the operator has to choose between first; nothing was recorded then."""

    intake: Intake | None
    candidates: list[Candidate] = field(default_factory=list)


def record_hotline_report(
    actor: User,
    details: IntakeDetails,
    *,
    concerned: IdentityData,
    caller: Caller,
    choice: str = "",
    request: HttpRequest | None = None,
) -> HotlineOutcome:
    """Record a hotline report at the operator's agency with its person concerned and caller,
    all or nothing.

    The person concerned (when named) is decided as in `find_or_create_person`: possible
    duplicates in the operator's scope come back as candidates (the check audited, nothing else
    written) until `choice` names one of them or NEW_PERSON. Both persons are validated,
    tokenised and sealed first; the one transaction holds only the writes. Identity errors are
    raised together: the person concerned's keyed by identity field (`nik`, ...), the
    caller's by the form's `reporter_` fields."""
    agency = require_acting_agency(actor)
    errors: dict[str, list[str]] = {}
    decision = None
    if concerned.full_name:
        try:
            decision = decide_person(
                actor,
                concerned,
                owner_agency=agency,
                scope_region=details.place_region,
                choice=choice,
                request=request,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if decision.candidates:
                return HotlineOutcome(None, decision.candidates)
    reporter = None
    if caller.name.strip():
        try:
            reporter = prepare_person(
                actor,
                IdentityData(full_name=caller.name, phone=caller.phone),
                owner_agency=agency,
                scope_region=None,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(_REPORTER_FIELDS.get(name, "reporter_name"), []).extend(messages)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            persons = [record_decision(actor, decision, request=request)] if decision else []
            intake = record_intake(
                actor,
                details,
                owner_agency=agency,
                persons=persons,
                reporter=save_person(actor, reporter, request=request) if reporter else None,
                reporter_anonymous=caller.anonymous,
                # A phone without a name (or from a caller who stays anonymous): the contact.
                reporter_contact="" if reporter else caller.phone.strip(),
                request=request,
            )
    except KnownIdentifier:
        # Recorded meanwhile (another tab, a colleague, a double submit): the operator decides.
        region = details.place_region
        return HotlineOutcome(None, duplicate_candidates(actor, concerned, region, request=request))
    return HotlineOutcome(intake)


def add_person(
    actor: User,
    intake: Intake,
    data: IdentityData,
    *,
    scope_region: Region | None,
    choice: str = "",
    request: HttpRequest | None = None,
    then: Callable[[Person], object] | None = None,
) -> PersonChoice:
    """Add a person concerned to a report: found or created (owned by the report's agency)
    through `find_or_create_person`, and linked in the same transaction (with `then(person)`,
    e.g. a screening, if given). Possible duplicates come back as candidates, nothing linked."""

    def link(person: Person) -> None:
        link_person(actor, intake, person, request=request)
        if then is not None:
            then(person)

    return find_or_create_person(
        actor,
        data,
        owner_agency=intake.owner_agency,
        scope_region=scope_region,
        choice=choice,
        request=request,
        then=link,
    )
