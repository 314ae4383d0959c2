"""Screening: record the victim-identification interview for a person on a report (or for a
person alone), read the result with its reasons, record the trafficking-status decision."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from simpul.accounts.roles import Perm
from simpul.api.v1.common import READ_ONE, WRITE, Body, Uuid, acting, codes, only_params
from simpul.audit.log import record as audit
from simpul.identity.queries import get_person_for
from simpul.intake.queries import get_intake_for
from simpul.screening import actions
from simpul.screening.models import DecisionOrg, ScreeningResult, TraffickingStatus
from simpul.screening.queries import get_result_for
from simpul.screening.questions import QUESTION_LABELS

router = Router(tags=["screening"])

if TYPE_CHECKING:
    QuestionCode = str
    StatusCode = str
    OrgCode = str
else:
    QuestionCode = codes(QUESTION_LABELS)
    StatusCode = codes(TraffickingStatus.values)
    OrgCode = codes(DecisionOrg.values)


class InterviewIn(Body):
    yes: list[QuestionCode] = Field(
        ...,
        max_length=len(QUESTION_LABELS),
        description="The questions answered yes (act, means, purpose, ILO/EC indicators); "
        "every other question counts as no (send [] when none was).",
    )
    age_at_act: int | None = Field(
        None, ge=0, le=110, description="Age when it happened, as assessed (documents may lie)."
    )

    def answers(self) -> dict[str, Any]:
        data: dict[str, Any] = dict.fromkeys(sorted(set(self.yes)), True)
        if self.age_at_act is not None:
            data["age_at_act"] = self.age_at_act
        return data


class IntakeInterviewIn(InterviewIn):
    person_id: Uuid = Field(..., description="A person on the report (add one first).")


class ReasonOut(Schema):
    code: str
    met: bool
    answers: list[str]
    basis: str


class ScreeningOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    intake_id: uuid.UUID | None
    ruleset: str
    interviewed_at: datetime
    result: str = Field(description="likely_victim, possible_victim or not_indicated")
    child: bool | None
    reasons: list[ReasonOut]
    trafficking_status: str
    decision_org: str
    version: int


class DecisionIn(Body):
    status: StatusCode
    decision_org: OrgCode


def screening_out(r: ScreeningResult) -> ScreeningOut:
    return ScreeningOut(
        id=r.id,
        person_id=r.person_id,
        intake_id=r.intake_id,
        ruleset=f"{r.ruleset.code} {r.ruleset.version}",
        interviewed_at=r.interviewed_at,
        result=r.result,
        child=r.outcome.get("child"),
        reasons=[
            ReasonOut(code=x["code"], met=x["met"], answers=x["answers"], basis=x["basis"])
            for x in r.outcome.get("reasons", [])
        ],
        trafficking_status=r.trafficking_status,
        decision_org=r.decision_org,
        version=r.version,
    )


@router.post(
    "/intakes/{intake_id}/screenings",
    response={201: ScreeningOut, **WRITE},
    summary="Screen a person on a report with the rule set valid today",
)
def screen_for_intake(request: HttpRequest, intake_id: uuid.UUID, payload: IntakeInterviewIn):
    only_params(request, set())
    user = acting(request)
    intake = get_intake_for(user, intake_id, perm=Perm.EDIT_RECORDS, request=request)
    person = get_person_for(user, payload.person_id, request=request)
    if not intake.persons.filter(person=person).exists():
        raise ValidationError(
            {"person_id": [_("This person is not on the report: add them to it first.")]}
        )
    result = actions.screen(user, person, payload.answers(), intake=intake, request=request)
    return Status(201, screening_out(result))


@router.post(
    "/persons/{person_id}/screenings",
    response={201: ScreeningOut, **WRITE},
    summary="Screen a person in your scope (no report) with the rule set valid today",
)
def screen_person(request: HttpRequest, person_id: uuid.UUID, payload: InterviewIn):
    only_params(request, set())
    user = acting(request)
    person = get_person_for(user, person_id, perm=Perm.EDIT_RECORDS, request=request)
    result = actions.screen(user, person, payload.answers(), request=request)
    return Status(201, screening_out(result))


@router.get(
    "/screenings/{screening_id}",
    response={200: ScreeningOut, **READ_ONE},
    summary="A screening result with its reasons",
)
def get_screening(request: HttpRequest, screening_id: uuid.UUID):
    only_params(request, set())
    result = get_result_for(acting(request), screening_id, request=request)
    audit("screening.view", request=request, record=result, fields=["person", "result", "reasons"])
    return Status(200, screening_out(result))


@router.post(
    "/screenings/{screening_id}/decision",
    response={200: ScreeningOut, **WRITE},
    summary="Record the trafficking status (HTCDS) decided after a screening",
)
def decide_screening(request: HttpRequest, screening_id: uuid.UUID, payload: DecisionIn):
    only_params(request, set())
    user = acting(request)
    result = get_result_for(user, screening_id, request=request)
    result = actions.decide_status(
        user, result, status=payload.status, decision_org=payload.decision_org, request=request
    )
    return Status(200, screening_out(result))
