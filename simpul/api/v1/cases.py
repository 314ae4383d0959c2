"""Cases: list, search and read in scope; open one from a screening; every step of the case
file (details, assessment, plan, approvals and returns, services, monitoring, closure) and
consent — each through the same action, with the same scope, as the case page.

Out of scope looks missing (404). In scope but not the owner side (a receiving agency, or an
agency whose jurisdiction covers the place) is refused with the page's message (403): only the
owning agency changes its case file and workflow; a receiving agency asked to act records its
own services. A step that names `expected_version` is refused with 409 (and the current
version) when someone saved the case since.
"""

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from simpul.accounts.models import Agency
from simpul.accounts.queries import case_workers_of
from simpul.accounts.roles import Perm
from simpul.api.v1.common import (
    ERRORS,
    READ_ONE,
    WRITE,
    Body,
    IsoDate,
    Page,
    Uuid,
    acting,
    codes,
    only_params,
)
from simpul.api.v1.intakes import PersonOut, person_out
from simpul.audit.log import record as audit
from simpul.cases import actions
from simpul.cases import queries as case_queries
from simpul.cases.codes import (
    Education,
    Exploitation,
    IncidentPlace,
    MeansOfControl,
    Occupation,
    PerpetratorRelation,
    Service,
    ViolenceForm,
)
from simpul.cases.models import Case, ClosureReason
from simpul.referrals.models import Section
from simpul.screening.queries import get_result_for

router = Router(tags=["cases"])


# Code lists as enums in the schema; plain strings to the type checker.
if TYPE_CHECKING:
    ServiceCode = str
    ClosureCode = str
    ExploitationCode = str
    MeansCode = str
    ViolenceCode = str
    PlaceOrBlank = str
    RelationOrBlank = str
    EducationOrBlank = str
    OccupationOrBlank = str
else:
    ServiceCode = codes(Service.values)
    ClosureCode = codes(ClosureReason.values)
    ExploitationCode = codes(Exploitation.values)
    MeansCode = codes(MeansOfControl.values)
    ViolenceCode = codes(ViolenceForm.values)
    PlaceOrBlank = codes(IncidentPlace.values, blank=True)
    RelationOrBlank = codes(PerpetratorRelation.values, blank=True)
    EducationOrBlank = codes(Education.values, blank=True)
    OccupationOrBlank = codes(Occupation.values, blank=True)


class CaseOut(Schema):
    id: uuid.UUID
    code: str
    stage: str
    htcds_status: str
    opened_at: datetime
    owner_agency: str
    version: int


class PlanItemOut(Schema):
    service: str
    responsible_agency_id: int
    due_on: date | None
    done: bool


class ServiceOut(Schema):
    id: int
    service: str
    delivered_on: date
    provider_id: int


class CaseDetailOut(CaseOut):
    """A case as the reader may see it: the sections a referral did not share are empty."""

    assigned_to: str | None
    intake_id: uuid.UUID | None
    screening_id: uuid.UUID | None
    sections: list[str] = Field(description="The parts of the case file you may see")
    exploitation_types: list[str]
    means_of_control: list[str]
    violence_forms: list[str]
    incident_place: str
    perpetrator_relation: str
    education: str
    occupation: str
    victims: list[PersonOut]
    assessment: str
    plan_goals: str
    plan_items: list[PlanItemOut]
    services: list[ServiceOut]


def case_out(c: Case) -> CaseOut:
    return CaseOut(
        id=c.id,
        code=c.code,
        stage=c.stage,
        htcds_status=c.htcds_status,
        opened_at=c.opened_at,
        owner_agency=c.owner_agency.name,
        version=c.version,
    )


def _detail(request: HttpRequest, case: Case) -> CaseDetailOut:
    """The case file in the reader's sections, audited like the case page."""
    user = acting(request)
    sections = case_queries.visible_sections(user, case)
    owner_side = case_queries.owner_side(user, case)
    audit("case.view", request=request, record=case, fields=sorted(sections))
    return CaseDetailOut(
        **case_out(case).model_dump(),
        assigned_to=case.assigned_to.username if case.assigned_to and owner_side else None,
        intake_id=case.intake_id if owner_side else None,
        screening_id=case.screening_id if owner_side else None,
        sections=sorted(sections),
        exploitation_types=list(case.exploitation_types) if "events" in sections else [],
        means_of_control=list(case.means_of_control) if "events" in sections else [],
        violence_forms=list(case.violence_forms) if "events" in sections else [],
        incident_place=case.incident_place if "events" in sections else "",
        perpetrator_relation=case.perpetrator_relation if "events" in sections else "",
        education=case.education if owner_side else "",
        occupation=case.occupation if owner_side else "",
        victims=[person_out(v.person) for v in case.victims.select_related("person")]
        if Section.IDENTITY in sections
        else [],
        assessment=case_queries.sealed(case, "assessment") if "assessment" in sections else "",
        plan_goals=case_queries.sealed(case, "plan_goals") if "plan" in sections else "",
        plan_items=[
            PlanItemOut(
                service=p.service,
                responsible_agency_id=p.responsible_agency_id,
                due_on=p.due_on,
                done=p.done_at is not None,
            )
            for p in case.plan_items.filter(is_task=False)
        ]
        if "plan" in sections
        else [],
        services=[
            ServiceOut(
                id=s.pk, service=s.service, delivered_on=s.delivered_on, provider_id=s.provider_id
            )
            for s in case.services.all()[:200]
        ]
        if "services" in sections
        else [],
    )


def owner_case(request: HttpRequest, case_id: uuid.UUID, *, closure: bool = False) -> Case:
    """The case for a change of the owner's case file: 404 out of scope, 403 (with the case
    page's message) for a reader who is not the owning agency's side."""
    user = acting(request)
    case = case_queries.get_case_for(user, case_id, request=request)
    if not case_queries.owner_side(user, case):
        if closure:
            message = _(
                "Only the agency that owns the case (%(agency)s) can request its closure. Your "
                "agency records its own part of the work."
            )
        else:
            message = _(
                "Only the agency that owns the case (%(agency)s) can change its case file and "
                "workflow. Your agency records its own part of the work."
            )
        raise PermissionDenied(message % {"agency": case.owner_agency.name})
    return case


def _agency(field: str, agency_id: int) -> Agency:
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
    if agency is None:
        raise ValidationError({field: [_("Unknown agency.")]})
    return agency


# Reads ---------------------------------------------------------------------------------------


@router.get(
    "/cases",
    response={200: list[CaseOut], **ERRORS},
    summary="Cases in your scope (to search, POST /api/v1/cases/search)",
)
def list_cases(request: HttpRequest, filters: Query[Page]):
    only_params(request, {"limit", "offset"})
    cases = list(
        case_queries.cases_for(acting(request))
        .select_related("owner_agency")
        .order_by("-opened_at", "pk")[filters.offset : filters.offset + filters.limit]
    )
    audit("case.list", request=request, record_type="cases.case", count=len(cases))
    return [case_out(c) for c in cases]


class CaseSearchIn(Body):
    limit: int = Field(50, ge=1, le=200, strict=True)
    offset: int = Field(0, ge=0, le=1_000_000, strict=True)
    q: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Case code, or a victim's name, NIK, passport or phone. Sent in the body, "
        "never in a URL, so it stays out of access logs; the search is audited.",
    )


@router.post(
    "/cases/search",
    response={200: list[CaseOut], **ERRORS},
    summary="Find cases in your scope by code or by a victim's identifier",
)
def search_cases(request: HttpRequest, payload: CaseSearchIn):
    only_params(request, set())
    q = payload.q.strip()
    if not q:
        return Status(422, {"detail": {"q": [_("Enter a case code or an identifier.")]}})
    cases = case_queries.search_cases(acting(request), q)[payload.offset :][: payload.limit]
    audit("case.search", request=request, record_type="cases.case", count=len(cases), searched=q)
    return [case_out(c) for c in cases]


@router.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **READ_ONE},
    summary="One case in your scope, with the sections you may see",
)
def get_case(request: HttpRequest, case_id: uuid.UUID):
    only_params(request, set())
    case = case_queries.get_case_for(acting(request), case_id, request=request)
    return Status(200, _detail(request, case))


# Opening and the owner's case file ------------------------------------------------------------


class OpenCaseIn(Body):
    screening_id: Uuid
    assigned_to: str = Field(
        "",
        max_length=150,
        description="Username of a case worker or supervisor of the agency; default: you.",
    )


@router.post(
    "/cases",
    response={201: CaseDetailOut, **WRITE},
    summary="Open a case for the person screened",
)
def open_case(request: HttpRequest, payload: OpenCaseIn):
    only_params(request, set())
    user = acting(request)
    result = get_result_for(user, payload.screening_id, perm=Perm.EDIT_RECORDS, request=request)
    worker = None
    if payload.assigned_to:
        agency_id = result.intake.owner_agency_id if result.intake else result.owner_agency_id
        worker = next(
            (w for w in case_workers_of(agency_id) if w.username == payload.assigned_to), None
        )
        if worker is None:
            raise ValidationError(
                {"assigned_to": [_("Choose a case worker of the agency that owns the report.")]}
            )
    case = actions.open_case(
        user,
        victims=[result.person],
        intake=result.intake,
        screening=result,
        assigned_to=worker,
        request=request,
    )
    return Status(201, _detail(request, case_queries.get_case_for(user, case.id)))


class DetailsIn(Body):
    expected_version: int = Field(..., ge=1)
    exploitation_types: list[ExploitationCode] | None = None
    means_of_control: list[MeansCode] | None = None
    violence_forms: list[ViolenceCode] | None = None
    incident_place: PlaceOrBlank | None = None
    perpetrator_relation: RelationOrBlank | None = None
    education: EducationOrBlank | None = None
    occupation: OccupationOrBlank | None = None


@router.patch(
    "/cases/{case_id}/details",
    response={200: CaseDetailOut, **WRITE},
    summary="Change what happened (HTCDS and SIMFONI codes); only the fields sent change",
)
def update_details(request: HttpRequest, case_id: uuid.UUID, payload: DetailsIn):
    only_params(request, set())
    case = owner_case(request, case_id)
    changes = {
        k: (sorted(set(v)) if isinstance(v, list) else v)
        for k, v in payload.model_dump(exclude={"expected_version"}).items()
        if v is not None
    }
    case = actions.update_details(
        acting(request),
        case,
        changes,
        expected_version=payload.expected_version,
        request=request,
    )
    return Status(200, _detail(request, case))


class TextStepIn(Body):
    expected_version: int = Field(..., ge=1)
    text: str = Field(..., min_length=1, max_length=20000)


class DecisionIn(Body):
    approve: bool
    reason: str = Field(
        "", max_length=2000, description="Required when returning: what should change."
    )


@router.post(
    "/cases/{case_id}/assessment",
    response={200: CaseDetailOut, **WRITE},
    summary="Submit the assessment for approval",
)
def submit_assessment(request: HttpRequest, case_id: uuid.UUID, payload: TextStepIn):
    only_params(request, set())
    case = actions.submit_assessment(
        acting(request),
        owner_case(request, case_id),
        payload.text,
        expected_version=payload.expected_version,
        request=request,
    )
    return Status(200, _detail(request, case))


@router.post(
    "/cases/{case_id}/assessment/decision",
    response={200: CaseDetailOut, **WRITE},
    summary="Approve the assessment, or return it with a reason (supervisors)",
)
def decide_assessment(request: HttpRequest, case_id: uuid.UUID, payload: DecisionIn):
    only_params(request, set())
    case = actions.approve_assessment(
        acting(request),
        owner_case(request, case_id),
        approve=payload.approve,
        reason=payload.reason,
        request=request,
    )
    return Status(200, _detail(request, case))


class PlanRowIn(Body):
    service: ServiceCode
    responsible_agency_id: int = Field(..., ge=1)
    due_on: IsoDate


class PlanIn(Body):
    expected_version: int = Field(..., ge=1)
    goals: str = Field(..., min_length=1, max_length=10000)
    items: list[PlanRowIn] = Field(..., min_length=1, max_length=30)


@router.post(
    "/cases/{case_id}/plan",
    response={200: CaseDetailOut, **WRITE},
    summary="Submit the case plan (goals and dated services) for approval",
)
def submit_plan(request: HttpRequest, case_id: uuid.UUID, payload: PlanIn):
    only_params(request, set())
    case = owner_case(request, case_id)
    rows: list[tuple[str, Agency, date | None]] = [
        (r.service, _agency("items", r.responsible_agency_id), r.due_on) for r in payload.items
    ]
    case = actions.submit_plan(
        acting(request),
        case,
        payload.goals,
        rows,
        expected_version=payload.expected_version,
        request=request,
    )
    return Status(200, _detail(request, case))


@router.post(
    "/cases/{case_id}/plan/decision",
    response={200: CaseDetailOut, **WRITE},
    summary="Approve the case plan, or return it with a reason (supervisors)",
)
def decide_plan(request: HttpRequest, case_id: uuid.UUID, payload: DecisionIn):
    only_params(request, set())
    case = actions.approve_plan(
        acting(request),
        owner_case(request, case_id),
        approve=payload.approve,
        reason=payload.reason,
        request=request,
    )
    return Status(200, _detail(request, case))


class ServiceIn(Body):
    service: ServiceCode
    delivered_on: IsoDate
    provider_id: int = Field(..., ge=1)
    outcome: str = Field("", max_length=5000)


@router.post(
    "/cases/{case_id}/services",
    response={201: ServiceOut, **WRITE},
    summary="Record a service delivered (the owner side, or an agency asked to act)",
)
def record_service(request: HttpRequest, case_id: uuid.UUID, payload: ServiceIn):
    only_params(request, set())
    user = acting(request)
    case = case_queries.get_case_for(user, case_id, request=request)
    if not case_queries.owner_side(user, case) and not case_queries.acts_by_referral(user, case):
        raise PermissionDenied(
            _("Your agency was not asked to act on this case: it can only read what was shared.")
        )
    delivery = actions.record_service(
        user,
        case,
        service=payload.service,
        delivered_on=payload.delivered_on,
        provider=_agency("provider_id", payload.provider_id),
        outcome=payload.outcome,
        request=request,
    )
    return Status(
        201,
        ServiceOut(
            id=delivery.pk,
            service=delivery.service,
            delivered_on=delivery.delivered_on,
            provider_id=delivery.provider_id,
        ),
    )


@router.post(
    "/cases/{case_id}/monitoring",
    response={200: CaseDetailOut, **WRITE},
    summary="Services done: start monitoring",
)
def start_monitoring(request: HttpRequest, case_id: uuid.UUID):
    only_params(request, set())
    case = actions.start_monitoring(acting(request), owner_case(request, case_id), request=request)
    return Status(200, _detail(request, case))


class ClosureIn(Body):
    expected_version: int = Field(..., ge=1)
    reason: ClosureCode


@router.post(
    "/cases/{case_id}/closure",
    response={200: CaseDetailOut, **WRITE},
    summary="Request closure (the owning agency only)",
)
def request_closure(request: HttpRequest, case_id: uuid.UUID, payload: ClosureIn):
    only_params(request, set())
    case = actions.request_closure(
        acting(request),
        owner_case(request, case_id, closure=True),
        reason=payload.reason,
        expected_version=payload.expected_version,
        request=request,
    )
    return Status(200, _detail(request, case))


@router.post(
    "/cases/{case_id}/closure/decision",
    response={200: CaseDetailOut, **WRITE},
    summary="Approve the closure, or refuse it with a reason (supervisors)",
)
def decide_closure(request: HttpRequest, case_id: uuid.UUID, payload: DecisionIn):
    only_params(request, set())
    case = actions.approve_closure(
        acting(request),
        owner_case(request, case_id),
        approve=payload.approve,
        reason=payload.reason,
        request=request,
    )
    return Status(200, _detail(request, case))
