"""Reports (intakes): record one idempotently, read them in scope, and add the persons they
concern, as the hotline and screening pages do."""

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field

from simpul.accounts.queries import require_acting_agency
from simpul.accounts.roles import Perm
from simpul.api.v1.common import (
    ERRORS,
    READ_ONE,
    WRITE,
    Body,
    Candidate,
    Conflict,
    Page,
    Problem,
    Uuid,
    acting,
    field_error,
    only_params,
)
from simpul.audit.log import record as audit
from simpul.identity.actions import NEW_PERSON
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.identity.queries import get_person_for
from simpul.intake import actions as intake_actions
from simpul.intake import queries as intake_queries
from simpul.intake.models import Intake
from simpul.regions.models import Region

router = Router(tags=["intake"])

REGION_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"

Channel = Literal[
    "walk_in",
    "hotline",
    "whatsapp",
    "sms",
    "social_media",
    "referral_village",
    "referral_border",
    "referral_police",
    "referral_partner",
    "api",
]


class IntakeIn(Body):
    client_id: Uuid | None = Field(
        None, description="Client-generated id; a retry with the same id returns the first result."
    )
    channel: Channel = "api"
    narrative: str = Field(..., min_length=1, max_length=10000)
    place_region: str | None = Field(None, max_length=13, pattern=REGION_PATTERN)
    place_country: str = Field("", max_length=2, pattern=r"^([A-Z]{2})?$")
    immediate_danger: bool = False
    child_involved: bool = False


class IntakeOut(Schema):
    id: uuid.UUID
    reference: str
    channel: str
    status: str
    received_at: datetime
    immediate_danger: bool
    child_involved: bool
    owner_agency: str
    place_region: str | None
    version: int


class PersonOut(Schema):
    """A person as lists show them: a code and masked initials, never the identity."""

    id: uuid.UUID
    code: str
    masked_name: str


class IdentityIn(Body):
    full_name: str = Field(..., min_length=1, max_length=120)
    aliases: list[str] = Field(default_factory=list, max_length=10)
    nik: str = Field("", max_length=24)
    passport: str = Field("", max_length=20)
    birth_date: str = Field("", max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY")
    sex: Literal["", "F", "M"] = ""
    phone: str = Field("", max_length=24)
    address: str = Field("", max_length=300)
    region: str | None = Field(
        None, max_length=13, pattern=REGION_PATTERN, description="Home village or area"
    )


class IntakePersonIn(Body):
    """Either `person_id` (someone already in your scope) or `identity` (someone new)."""

    person_id: Uuid | None = None
    identity: IdentityIn | None = None
    confirm_new: bool = Field(
        False,
        description="Create the person although possible duplicates were found (after a 409 "
        "that listed them).",
    )


def intake_out(i: Intake) -> IntakeOut:
    return IntakeOut(
        id=i.id,
        reference=i.reference,
        channel=i.channel,
        status=i.status,
        received_at=i.received_at,
        immediate_danger=i.immediate_danger,
        child_involved=i.child_involved,
        owner_agency=i.owner_agency.name,
        place_region=i.scope_region_id,
        version=i.version,
    )


def person_out(p: Person) -> PersonOut:
    return PersonOut(id=p.id, code=p.code, masked_name=p.masked_name)


@router.post(
    "/intakes",
    response={200: IntakeOut, 201: IntakeOut, 403: Problem, 409: Conflict, **ERRORS},
    summary="Record a report (idempotent)",
)
def create_intake(
    request: HttpRequest,
    payload: IntakeIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=128),
):
    only_params(request, set())
    user = acting(request)
    agency = require_acting_agency(user, refusal=_("Your role cannot record reports."))
    body = payload.model_dump(mode="json")
    request_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    region = None
    if payload.place_region:
        region = Region.objects.filter(pk=payload.place_region).first()
        if region is None:
            return Status(422, field_error("place_region", _("Unknown region code.")))
    details = intake_actions.IntakeDetails(
        channel=payload.channel,
        narrative=payload.narrative,
        place_region=region,
        place_country=payload.place_country,
        immediate_danger=payload.immediate_danger,
        child_involved=payload.child_involved,
    )
    try:
        intake, created = intake_actions.record_intake_once(
            user,
            details,
            owner_agency=agency,
            request_hash=request_hash,
            client_id=payload.client_id,
            idempotency_key=idempotency_key.strip(),
            request=request,
        )
    except intake_actions.IdempotencyConflict:
        return Status(
            409,
            {"detail": _("This client_id or Idempotency-Key was used with another body.")},
        )
    return Status(201 if created else 200, intake_out(intake))


@router.get(
    "/intakes/{intake_id}", response={200: IntakeOut, **READ_ONE}, summary="One report in scope"
)
def get_intake(request: HttpRequest, intake_id: uuid.UUID):
    only_params(request, set())
    intake = intake_queries.get_intake_for(acting(request), intake_id, request=request)
    audit("intake.view", request=request, record=intake, fields=["metadata"])
    return Status(200, intake_out(intake))


@router.get(
    "/intakes",
    response={200: list[IntakeOut], **ERRORS},
    summary="Reports waiting for triage, most urgent first",
)
def list_intakes(request: HttpRequest, page: Query[Page]):
    only_params(request, {"limit", "offset"})
    items = list(
        intake_queries.triage_queue(acting(request))[page.offset : page.offset + page.limit]
    )
    audit("intake.queue", request=request, record_type="intake.intake", count=len(items))
    return [intake_out(i) for i in items]


@router.get(
    "/intakes/{intake_id}/persons",
    response={200: list[PersonOut], **READ_ONE},
    summary="The persons a report concerns (masked)",
)
def list_intake_persons(request: HttpRequest, intake_id: uuid.UUID):
    only_params(request, set())
    intake = intake_queries.get_intake_for(acting(request), intake_id, request=request)
    persons = [ip.person for ip in intake.persons.select_related("person")]
    audit("intake.view", request=request, record=intake, fields=["persons"], count=len(persons))
    return [person_out(p) for p in persons]


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"region": [_("Unknown region code.")]})
    return region


@router.post(
    "/intakes/{intake_id}/persons",
    response={200: PersonOut, 201: PersonOut, **WRITE},
    summary="Add a person to a report: someone in your scope, or someone new",
    description="A new person is first checked against the persons in your scope (same NIK, "
    "passport or phone, or the same name with the same birth year and regency). Possible "
    "duplicates answer 409 with the candidates: send `person_id` of the right one, or repeat "
    "with `confirm_new`. 200 when an existing person was linked, 201 when one was created.",
)
def add_intake_person(request: HttpRequest, intake_id: uuid.UUID, payload: IntakePersonIn):
    only_params(request, set())
    user = acting(request)
    intake = intake_queries.get_intake_for(user, intake_id, perm=Perm.EDIT_RECORDS, request=request)
    if (payload.person_id is None) == (payload.identity is None):
        return Status(
            422,
            {"detail": _("Send either person_id (someone recorded) or identity (someone new).")},
        )
    if payload.person_id is not None:
        person = get_person_for(user, payload.person_id, request=request)
        intake_actions.link_person(user, intake, person, request=request)
        return Status(200, person_out(person))
    assert payload.identity is not None
    given = payload.identity
    data = IdentityData(
        full_name=given.full_name,
        aliases=[a for a in given.aliases if a.strip()],
        nik=given.nik,
        passport=given.passport,
        birth_date=given.birth_date,
        sex=given.sex,
        phone=given.phone,
        address=given.address,
    )
    chosen = intake_actions.add_person(
        user,
        intake,
        data,
        scope_region=_region(given.region),
        choice=NEW_PERSON if payload.confirm_new else "",
        request=request,
    )
    if chosen.person is None:
        return Status(409, _duplicates(chosen.candidates))
    return Status(201, person_out(chosen.person))


def _duplicates(candidates: list[Any]) -> dict[str, Any]:
    """The 409 listing possible duplicates, masked (the check was audited by the action)."""
    return {
        "detail": _(
            "Possible duplicates are already recorded. Send person_id of the right one, or "
            "repeat with confirm_new if this is someone else."
        ),
        "candidates": [
            Candidate(
                id=str(c.person.id),
                code=c.person.code,
                masked_name=c.person.masked_name,
                reasons=list(c.reasons),
                birth_year=c.birth_year,
                regency=c.regency,
            )
            for c in candidates
        ],
    }
