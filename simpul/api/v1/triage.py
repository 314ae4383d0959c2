"""Triage of a report, and the next step of a triaged one, through the same actions as the
report page: "screen" keeps it on the worklist, "open_case" opens the case (or asks for the
screening first when nobody is recorded on it), "refer" opens the case and refers it under the
consent rules, "no_action" closes it with a reason."""

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from simpul.accounts.models import Agency, User
from simpul.accounts.queries import case_workers_of
from simpul.accounts.roles import Perm
from simpul.api.v1.common import WRITE, Body, acting, codes, only_params
from simpul.api.v1.intakes import IntakeOut, intake_out
from simpul.intake import actions
from simpul.intake.models import Intake, TriageDecision
from simpul.intake.queries import get_intake_for
from simpul.referrals.models import Section

router = Router(tags=["intake"])

if TYPE_CHECKING:
    DecisionCode = str
    NextStepCode = str
    SectionCode = str
else:
    DecisionCode = codes(TriageDecision.values)
    NextStepCode = codes(actions.FOLLOW_UP_DECISIONS)
    SectionCode = codes(Section.values)


class TriageReferralIn(Body):
    """For "refer": where the case goes and on what consent."""

    to_agency_id: int = Field(..., ge=1)
    sections: list[SectionCode] = Field(
        default_factory=lambda: ["identity"], min_length=1, max_length=len(Section.values)
    )
    consent_given: bool = Field(False, description="The person agreed to sharing with it.")
    guardian_consent: bool = False
    guardian_relation: str = Field("", max_length=60)
    override_reason: str = Field(
        "", max_length=300, description="Supervisors only: why it cannot wait for consent."
    )


class NextStepIn(Body):
    expected_version: int = Field(..., ge=1)
    decision: NextStepCode
    note: str = Field("", max_length=5000)
    reason: str = Field("", max_length=5000, description="Required for no_action and refer: why.")
    assigned_to: str = Field(
        "", max_length=150, description="Username of the case worker for a case opened now."
    )
    referral: TriageReferralIn | None = None


class TriageIn(NextStepIn):
    decision: DecisionCode
    immediate_danger: bool = False
    child_involved: bool = False


def _worker(intake: Intake, username: str) -> User | None:
    if not username:
        return None
    worker = next(
        (w for w in case_workers_of(intake.owner_agency_id) if w.username == username), None
    )
    if worker is None:
        raise ValidationError(
            {"assigned_to": [_("Choose a case worker of the agency that owns the report.")]}
        )
    return worker


def _referral(given: TriageReferralIn | None) -> actions.ReferralRequest | None:
    if given is None:
        return None
    to_agency = Agency.objects.filter(pk=given.to_agency_id, is_active=True).first()
    if to_agency is None:
        raise ValidationError({"to_agency_id": [_("Unknown agency.")]})
    return actions.ReferralRequest(
        to_agency=to_agency,
        sections=tuple(sorted(set(given.sections))),
        consent_given=given.consent_given,
        guardian_consent=given.guardian_consent,
        guardian_relation=given.guardian_relation,
        override_reason=given.override_reason,
    )


@router.post(
    "/intakes/{intake_id}/triage",
    response={200: IntakeOut, **WRITE},
    summary="Triage a report waiting for triage, and do what the decision says",
)
def triage(request: HttpRequest, intake_id: uuid.UUID, payload: TriageIn):
    only_params(request, set())
    user = acting(request)
    intake = get_intake_for(user, intake_id, perm=Perm.EDIT_RECORDS, request=request)
    done = actions.triage(
        user,
        intake,
        payload.decision,
        immediate_danger=payload.immediate_danger,
        child_involved=payload.child_involved,
        note=payload.note,
        reason=payload.reason,
        referral=_referral(payload.referral),
        assigned_to=_worker(intake, payload.assigned_to),
        expected_version=payload.expected_version,
        request=request,
    )
    return Status(200, intake_out(done))


@router.post(
    "/intakes/{intake_id}/next-step",
    response={200: IntakeOut, **WRITE},
    summary="The next step of a triaged report (after screening): open the case, refer, close",
)
def next_step(request: HttpRequest, intake_id: uuid.UUID, payload: NextStepIn):
    only_params(request, set())
    user = acting(request)
    intake = get_intake_for(user, intake_id, perm=Perm.EDIT_RECORDS, request=request)
    done = actions.complete_triaged(
        user,
        intake,
        payload.decision,
        note=payload.note,
        reason=payload.reason,
        referral=_referral(payload.referral),
        assigned_to=_worker(intake, payload.assigned_to),
        expected_version=payload.expected_version,
        request=request,
    )
    return Status(200, intake_out(done))
