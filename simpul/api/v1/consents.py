"""API v1: a victim's consents on a case — listed, recorded and withdrawn by the owning
agency through the cases actions (withdrawal ends the sharing that rested on it at once)."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from simpul.accounts.models import Agency
from simpul.api.v1.cases import owner_case
from simpul.api.v1.common import READ_ONE, WRITE, Body, Problem, Uuid, acting, codes, only_params
from simpul.audit.log import record as audit
from simpul.cases import actions
from simpul.cases.codes import ConsentItem
from simpul.cases.models import Consent
from simpul.identity.queries import get_person_for

router = Router(tags=["cases"])

if TYPE_CHECKING:
    ConsentCode = str
else:
    ConsentCode = codes(ConsentItem.values)


class ConsentOut(Schema):
    id: int
    person_id: uuid.UUID
    items: list[str]
    share_with: list[int]
    guardian_consent: bool
    given_at: datetime
    withdrawn_at: datetime | None


# Consent ---------------------------------------------------------------------------------------


class ConsentIn(Body):
    person_id: Uuid
    items: list[ConsentCode] = Field(..., min_length=1, max_length=len(ConsentItem.values))
    share_with: list[int] = Field(
        default_factory=list, max_length=100, description="Agency ids the case may go to"
    )
    is_child: bool = False
    guardian_consent: bool = False
    guardian_relation: str = Field("", max_length=60)


def consent_out(c: Consent) -> ConsentOut:
    return ConsentOut(
        id=c.pk,
        person_id=c.person_id,
        items=list(c.items),
        share_with=sorted(a.pk for a in c.share_with.all()),
        guardian_consent=c.guardian_consent,
        given_at=c.given_at,
        withdrawn_at=c.withdrawn_at,
    )


@router.get(
    "/cases/{case_id}/consents",
    response={200: list[ConsentOut], 403: Problem, **READ_ONE},
    summary="The consents recorded on a case (the owner side)",
)
def list_consents(request: HttpRequest, case_id: uuid.UUID):
    only_params(request, set())
    case = owner_case(request, case_id)
    consents = list(case.consents.prefetch_related("share_with"))
    audit("case.view", request=request, record=case, fields=["consent"], count=len(consents))
    return [consent_out(c) for c in consents]


@router.post(
    "/cases/{case_id}/consents",
    response={201: ConsentOut, **WRITE},
    summary="Record what a victim consented to (UU 27/2022 Pasal 20-25)",
)
def record_consent(request: HttpRequest, case_id: uuid.UUID, payload: ConsentIn):
    only_params(request, set())
    user = acting(request)
    case = owner_case(request, case_id)
    person = get_person_for(user, payload.person_id, request=request)
    agencies = list(Agency.objects.filter(pk__in=set(payload.share_with), is_active=True))
    if len(agencies) != len(set(payload.share_with)):
        raise ValidationError({"share_with": [_("Unknown agency.")]})
    consent = actions.record_consent(
        user,
        case,
        person,
        items=list(payload.items),
        share_with=agencies,
        is_child=payload.is_child,
        guardian_consent=payload.guardian_consent,
        guardian_relation=payload.guardian_relation,
        request=request,
    )
    return Status(201, consent_out(consent))


@router.post(
    "/cases/{case_id}/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **WRITE},
    summary="Record that a victim withdrew a consent: sharing that rested on it stops at once",
)
def withdraw_consent(request: HttpRequest, case_id: uuid.UUID, consent_id: int):
    only_params(request, set())
    case = owner_case(request, case_id)
    consent = case.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    consent = actions.withdraw_consent(acting(request), consent, request=request)
    return Status(200, consent_out(consent))
