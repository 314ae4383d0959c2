"""Persons on a report, each through `identity.actions.find_or_create_person` (the one way a
page records a person, with the duplicate decision): the hotline form's report with its person
concerned and caller, and a person added to a report (screening, the API)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from simpul.accounts.models import User
from simpul.accounts.queries import require_acting_agency
from simpul.identity.actions import (
    PersonChoice,
    create_person,
    find_or_create_person,
)
from simpul.identity.data import IdentityData
from simpul.identity.duplicates import Candidate
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
    all or nothing, in one transaction.

    The person concerned (when named) goes through `find_or_create_person`: possible duplicates
    in the operator's scope come back as candidates (the check audited, nothing else written)
    until `choice` names one of them or NEW_PERSON. Identity errors of the person concerned are
    keyed by identity field (`nik`, ...), the caller's by the form's `reporter_` fields."""
    agency = require_acting_agency(actor)
    with transaction.atomic():
        persons = []
        if concerned.full_name:
            chosen = find_or_create_person(
                actor,
                concerned,
                owner_agency=agency,
                scope_region=details.place_region,
                choice=choice,
                request=request,
            )
            if chosen.person is None:
                return HotlineOutcome(None, chosen.candidates)
            persons = [chosen.person]
        reporter = None
        contact = ""
        if caller.name.strip():
            try:
                reporter, _warnings = create_person(
                    actor,
                    IdentityData(full_name=caller.name, phone=caller.phone),
                    owner_agency=agency,
                    scope_region=None,
                    request=request,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {
                        _REPORTER_FIELDS.get(name, "reporter_name"): errors
                        for name, errors in exc.message_dict.items()
                    }
                ) from exc
        else:
            contact = caller.phone.strip()
        intake = record_intake(
            actor,
            details,
            owner_agency=agency,
            persons=persons,
            reporter=reporter,
            reporter_anonymous=caller.anonymous,
            reporter_contact=contact,
            request=request,
        )
    return HotlineOutcome(intake)


def add_person(
    actor: User,
    intake: Intake,
    data: IdentityData,
    *,
    scope_region: Region | None,
    choice: str = "",
    request: HttpRequest | None = None,
) -> PersonChoice:
    """Add a person concerned to a report: found or created (owned by the report's agency)
    through `find_or_create_person`, then linked, in one transaction. Possible duplicates
    come back as candidates with nothing linked (`person` None)."""
    with transaction.atomic():
        chosen = find_or_create_person(
            actor,
            data,
            owner_agency=intake.owner_agency,
            scope_region=scope_region,
            choice=choice,
            request=request,
        )
        if chosen.person is not None:
            link_person(actor, intake, chosen.person, request=request)
    return chosen
