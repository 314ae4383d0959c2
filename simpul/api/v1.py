"""Simpul API v1: typed endpoints over the same actions and scoped queries as the pages.

Clients authenticate with a bearer token (`simpul issue_api_token`). The OpenAPI schema is
served at /api/openapi.json.
"""

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Header, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import Field

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.api.tokens import user_for_token
from simpul.audit.log import record as audit
from simpul.cases import queries as case_queries
from simpul.cases.models import Case
from simpul.intake import actions as intake_actions
from simpul.intake import queries as intake_queries
from simpul.intake.models import Intake
from simpul.regions.models import Region
from simpul.regions.queries import search_regions


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is None or not principal_for(user).has_role:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="Simpul API",
    version="1.0.0",
    description="Intake, cases and reference data for the agencies that handle trafficking "
    "in persons in Indonesia. Every call is scoped to the token owner's roles and audited.",
    auth=BearerToken(),
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
)


class Problem(Schema):
    """An error: a message, field errors by name, or the list of schema validation errors."""

    detail: str | dict[str, list[str]] | list[dict[str, Any]]


# Every operation may answer 400 (unreadable body), 401 (no or bad token), 413 (body too large)
# and 422 (invalid).
ERRORS: dict[int, type[Problem]] = {400: Problem, 401: Problem, 413: Problem, 422: Problem}


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: a JSON problem, not Django's HTML page."""
    return api.create_response(request, {"detail": "The request body is too large."}, status=413)


# Query parameters that would carry an identifier (or a search for one) into a URL, where the
# access log, proxies and browser history keep it. Searches are POSTed instead.
IDENTIFYING_PARAMS = {"q", "nik", "name", "full_name", "phone", "passport", "search"}


def _only_params(request: HttpRequest, allowed: set[str]) -> None:
    """Refuse query parameters the operation does not define, instead of ignoring them."""
    if (IDENTIFYING_PARAMS - allowed) & set(request.GET):
        raise HttpError(
            400,
            "Search terms never go in a URL: send them in the body of POST /api/v1/cases/search.",
        )
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise HttpError(422, f"Unknown query parameters: {', '.join(unknown)}")


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


class IntakeIn(Schema):
    client_id: uuid.UUID | None = Field(
        None, description="Client-generated id; a retry with the same id returns the first result."
    )
    channel: Channel = "api"
    narrative: str = Field(..., min_length=1, max_length=10000)
    place_region: str | None = Field(
        None,
        max_length=13,
        pattern=r"^\d{2}(\.\d{2}(\.\d{2}"
        r"(\.\d{4})?)?)?$",
    )
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


class CaseOut(Schema):
    id: uuid.UUID
    code: str
    stage: str
    htcds_status: str
    opened_at: datetime
    owner_agency: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    path: str


def _intake_out(i: Intake) -> IntakeOut:
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
    )


def _case_out(c: Case) -> CaseOut:
    return CaseOut(
        id=c.id,
        code=c.code,
        stage=c.stage,
        htcds_status=c.htcds_status,
        opened_at=c.opened_at,
        owner_agency=c.owner_agency.name,
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.auth, User)  # type: ignore[attr-defined]
    return request.auth  # type: ignore[attr-defined]


def _own_agency(user: User) -> Agency:
    grants = principal_for(user).grants_with(Perm.EDIT_RECORDS)
    if not grants:
        raise HttpError(403, "Your role cannot record reports.")
    return Agency.objects.get(pk=grants[0].agency_id)


@api.post(
    "/v1/intakes",
    response={200: IntakeOut, 201: IntakeOut, 403: Problem, 409: Problem, **ERRORS},
    summary="Record a report (idempotent)",
    tags=["intake"],
)
def create_intake(
    request: HttpRequest,
    payload: IntakeIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=128),
):
    _only_params(request, set())
    user = _user(request)
    agency = _own_agency(user)
    body = payload.model_dump(mode="json")
    request_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    region = None
    if payload.place_region:
        region = Region.objects.filter(pk=payload.place_region).first()
        if region is None:
            return Status(422, {"detail": {"place_region": ["Unknown region code."]}})
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
            409, {"detail": "This client_id or Idempotency-Key was used with another body."}
        )
    except ValidationError as exc:
        return Status(422, {"detail": exc.message_dict})
    return Status(201 if created else 200, _intake_out(intake))


@api.get(
    "/v1/intakes/{intake_id}",
    response={200: IntakeOut, 404: Problem, **ERRORS},
    tags=["intake"],
    summary="One report in your scope",
)
def get_intake(request: HttpRequest, intake_id: uuid.UUID):
    _only_params(request, set())
    try:
        intake = intake_queries.get_intake_for(_user(request), intake_id, request=request)
    except Http404:
        return Status(404, {"detail": "Not found."})
    audit("intake.view", request=request, record=intake, fields=["metadata"])
    return Status(200, _intake_out(intake))


class Page(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


@api.get(
    "/v1/intakes",
    response={200: list[IntakeOut], **ERRORS},
    tags=["intake"],
    summary="Reports waiting for triage, most urgent first",
)
def list_intakes(request: HttpRequest, page: Query[Page]):
    _only_params(request, {"limit", "offset"})
    items = list(
        intake_queries.triage_queue(_user(request))[page.offset : page.offset + page.limit]
    )
    audit("intake.queue", request=request, record_type="intake.intake", count=len(items))
    return [_intake_out(i) for i in items]


@api.get(
    "/v1/cases",
    response={200: list[CaseOut], **ERRORS},
    tags=["cases"],
    summary="Cases in your scope (to search, POST /api/v1/cases/search)",
)
def list_cases(request: HttpRequest, filters: Query[Page]):
    _only_params(request, {"limit", "offset"})
    user = _user(request)
    cases = list(
        case_queries.cases_for(user).select_related("owner_agency")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    audit("case.list", request=request, record_type="cases.case", count=len(cases))
    return [_case_out(c) for c in cases]


class CaseSearchIn(Schema):
    limit: int = Field(50, ge=1, le=200, strict=True)
    offset: int = Field(0, ge=0, le=1_000_000, strict=True)
    q: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Case code, or a victim's name, NIK, passport or phone. Sent in the body, "
        "never in a URL, so it stays out of access logs; the search is audited.",
    )


@api.post(
    "/v1/cases/search",
    response={200: list[CaseOut], **ERRORS},
    tags=["cases"],
    summary="Find cases in your scope by code or by a victim's identifier",
)
def search_cases(request: HttpRequest, payload: CaseSearchIn):
    _only_params(request, set())
    q = payload.q.strip()
    if not q:
        return Status(422, {"detail": {"q": ["Enter a case code or an identifier."]}})
    cases = case_queries.search_cases(_user(request), q)[payload.offset :][: payload.limit]
    audit("case.search", request=request, record_type="cases.case", count=len(cases), searched=q)
    return [_case_out(c) for c in cases]


@api.get(
    "/v1/cases/{case_id}",
    response={200: CaseOut, 404: Problem, **ERRORS},
    tags=["cases"],
    summary="One case in your scope",
)
def get_case(request: HttpRequest, case_id: uuid.UUID):
    _only_params(request, set())
    try:
        case = case_queries.get_case_for(_user(request), case_id, request=request)
    except Http404:
        return Status(404, {"detail": "Not found."})
    audit("case.view", request=request, record=case, fields=["metadata"])
    return Status(200, _case_out(case))


class RegionFilter(Schema):
    q: str = Field(..., min_length=1, max_length=60)
    limit: int = Field(20, ge=1, le=50)


@api.get(
    "/v1/regions",
    response={200: list[RegionOut], **ERRORS},
    tags=["reference"],
    summary="Kemendagri regions by name or code",
)
def regions(request: HttpRequest, filters: Query[RegionFilter]):
    _only_params(request, {"q", "limit"})
    found = search_regions(filters.q, limit=filters.limit)
    return [RegionOut(code=r.code, name=r.name, level=r.level, path=r.path_name) for r in found]
