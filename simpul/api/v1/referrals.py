"""Referrals: send a case to another agency through the consent rules, list what came in and
what went out, and answer (accept or decline) as the receiving agency."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from simpul.accounts.models import Agency
from simpul.api.v1.common import ERRORS, WRITE, Body, acting, codes, only_params
from simpul.audit.log import record as audit
from simpul.cases import queries as case_queries
from simpul.cases.codes import Service
from simpul.referrals import actions
from simpul.referrals.models import Referral, ReferralStatus, Section
from simpul.referrals.queries import ReferralFilters, incoming_referral_for, referral_list

router = Router(tags=["referrals"])

if TYPE_CHECKING:
    SectionCode = str
    StatusOrBlank = str
    ServiceOrBlank = str
else:
    SectionCode = codes(Section.values)
    StatusOrBlank = codes(ReferralStatus.values, blank=True)
    ServiceOrBlank = codes(Service.values, blank=True)


class ReferralOut(Schema):
    id: int
    case_id: str
    case_code: str
    from_agency_id: int
    to_agency_id: int
    service: str
    sections: list[str]
    receiver_acts: bool
    status: str
    sent_at: datetime
    due_at: datetime
    responded_at: datetime | None


class ReferralIn(Body):
    to_agency_id: int = Field(..., ge=1)
    reason: str = Field(..., min_length=1, max_length=300)
    sections: list[SectionCode] = Field(..., min_length=1, max_length=len(Section.values))
    service: ServiceOrBlank = ""
    receiver_acts: bool = Field(
        False, description="Ask the receiving agency to act (record its own services)."
    )
    override_reason: str = Field(
        "",
        max_length=300,
        description="Supervisors only, when the victim's consent does not cover the agency: "
        "why the referral cannot wait (at least 10 characters).",
    )


class DeclineIn(Body):
    reason: str = Field(..., min_length=1, max_length=300)


class ReferralListFilter(Schema):
    direction: Literal["in", "out"] = "in"
    status: StatusOrBlank = ""
    overdue: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def referral_out(r: Referral) -> ReferralOut:
    return ReferralOut(
        id=r.pk,
        case_id=str(r.case_id),
        case_code=r.case.code,
        from_agency_id=r.from_agency_id,
        to_agency_id=r.to_agency_id,
        service=r.service,
        sections=list(r.sections),
        receiver_acts=r.receiver_acts,
        status=r.status,
        sent_at=r.sent_at,
        due_at=r.due_at,
        responded_at=r.responded_at,
    )


@router.post(
    "/cases/{case_id}/referrals",
    response={201: ReferralOut, **WRITE},
    summary="Refer a case to another agency (needs the victim's consent, or a supervisor's "
    "override with a reason)",
)
def send_referral(request: HttpRequest, case_id: uuid.UUID, payload: ReferralIn):
    only_params(request, set())
    user = acting(request)
    case = case_queries.get_case_for(user, case_id, request=request)
    try:
        actions.sending_side(user, case)
    except PermissionDenied:
        raise Http404 from None  # as the page: a case you cannot refer is not there for you
    to_agency = Agency.objects.filter(pk=payload.to_agency_id, is_active=True).first()
    if to_agency is None:
        return Status(422, {"detail": {"to_agency_id": [_("Unknown agency.")]}})
    referral = actions.send_referral(
        user,
        case,
        to_agency,
        reason=payload.reason,
        sections=list(payload.sections),
        service=payload.service,
        override_reason=payload.override_reason,
        receiver_acts=payload.receiver_acts,
        request=request,
    )
    return Status(201, referral_out(referral))


@router.get(
    "/referrals",
    response={200: list[ReferralOut], **ERRORS},
    summary="Referrals to your agencies (direction=in) or sent by them (direction=out)",
)
def list_referrals(request: HttpRequest, filters: Query[ReferralListFilter]):
    only_params(request, {"direction", "status", "overdue", "limit", "offset"})
    found = list(
        referral_list(
            acting(request),
            ReferralFilters(
                direction=filters.direction, status=filters.status, overdue=filters.overdue
            ),
        )[filters.offset : filters.offset + filters.limit]
    )
    audit("referral.list", request=request, record_type="referrals.referral", count=len(found))
    return [referral_out(r) for r in found]


@router.post(
    "/referrals/{referral_id}/accept",
    response={200: ReferralOut, **WRITE},
    summary="Accept a referral sent to your agency: it gets the shared sections",
)
def accept_referral(request: HttpRequest, referral_id: int):
    only_params(request, set())
    user = acting(request)
    referral = actions.accept_referral(
        user, incoming_referral_for(user, referral_id, request=request), request=request
    )
    return Status(200, referral_out(referral))


@router.post(
    "/referrals/{referral_id}/decline",
    response={200: ReferralOut, **WRITE},
    summary="Decline a referral sent to your agency, with the reason",
)
def decline_referral(request: HttpRequest, referral_id: int, payload: DeclineIn):
    only_params(request, set())
    user = acting(request)
    referral = actions.decline_referral(
        user,
        incoming_referral_for(user, referral_id, request=request),
        reason=payload.reason,
        request=request,
    )
    return Status(200, referral_out(referral))
