"""Writes of screening: run an interview through the current rule set; record a decision."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.queries import acting_agency_ids
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.grants import Kind, grant_access
from simpul.core.scoping import can_access
from simpul.identity.data import IdentityData
from simpul.identity.duplicates import Candidate
from simpul.identity.models import Person
from simpul.identity.queries import get_person_for
from simpul.intake.actions import add_person
from simpul.intake.models import Intake
from simpul.regions.models import Region
from simpul.screening.engine import evaluate
from simpul.screening.models import RuleSet, ScreeningResult


def current_ruleset(code: str = "uu21-delphi", on: date | None = None) -> RuleSet:
    on = on or timezone.localdate()
    ruleset = (
        RuleSet.objects.filter(code=code, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from", "-version")
        .first()
    )
    if ruleset is None:
        raise ValidationError(_("No screening rule set is valid today."))
    return ruleset


def screen(
    actor: User,
    person: Person,
    answers: dict[str, Any],
    *,
    intake: Intake | None = None,
    request: HttpRequest | None = None,
) -> ScreeningResult:
    """Apply the rule set valid today to the answers and keep the result with its reasons."""
    get_person_for(actor, person.pk, perm=Perm.EDIT_RECORDS, request=request)
    ruleset = current_ruleset()
    outcome = evaluate(ruleset.definition, answers)
    with transaction.atomic():
        result = ScreeningResult.objects.create(
            person=person,
            intake=intake,
            ruleset=ruleset,
            interviewed_at=timezone.now(),
            answers=answers,
            result=outcome.result,
            outcome=outcome.as_json(),
            owner_agency_id=acting_agency_ids(actor)[0],
            scope_region=person.scope_region,
            created_by=actor,
        )
        grant_access(ScreeningResult, result.id, user=actor, kind=Kind.CREATOR, granted_by=actor)
        audit(
            "screening.run",
            actor=actor,
            request=request,
            record=result,
            fields=sorted(answers),
            reason=f"{ruleset.code} {ruleset.version}",
        )
    return result


@dataclass(frozen=True)
class NewSubject:
    """Someone screened who is not on the report yet, with the answer to the duplicate
    warning (`choice`: "", a person id, or identity.actions.NEW_PERSON)."""

    identity: IdentityData
    region: Region | None
    choice: str = ""


@dataclass(frozen=True)
class InterviewOutcome:
    """The result, or (`result` None) the possible duplicates of a new subject to choose
    between first; nothing was recorded then."""

    result: ScreeningResult | None
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def run_interview(
    actor: User,
    intake: Intake,
    answers: dict[str, Any],
    *,
    person_id: str = "",
    new_subject: NewSubject | None = None,
    request: HttpRequest | None = None,
) -> InterviewOutcome:
    """Screen a person of the report (`person_id`), or someone new who is first added to the
    report through `intake.actions.add_person` (found or created with the duplicate decision,
    validated and sealed before the transaction): the person, the link and the screening in
    one transaction, so a refused screening leaves no new person behind."""
    if new_subject is None:
        person = get_person_for(actor, person_id, request=request)
        return InterviewOutcome(screen(actor, person, answers, intake=intake, request=request))
    if not new_subject.identity.full_name:
        raise ValidationError(
            {"full_name": [_("Enter the person's name (or the name they gave).")]}
        )
    results: list[ScreeningResult] = []
    chosen = add_person(
        actor,
        intake,
        new_subject.identity,
        scope_region=new_subject.region,
        choice=new_subject.choice,
        request=request,
        then=lambda person: results.append(
            screen(actor, person, answers, intake=intake, request=request)
        ),
    )
    if chosen.person is None:
        return InterviewOutcome(None, chosen.candidates)
    return InterviewOutcome(results[0], warnings=chosen.warnings)


def decide_status(
    actor: User,
    result: ScreeningResult,
    *,
    status: str,
    decision_org: str,
    request: HttpRequest | None = None,
) -> ScreeningResult:
    """Record who decided the trafficking status (HTCDS), and when. The screening result itself
    is never changed."""
    if not can_access(actor, result, Perm.EDIT_RECORDS):
        raise PermissionDenied
    with transaction.atomic():
        result.trafficking_status = status
        result.decision_org = decision_org
        result.decided_by = actor
        result.decided_at = timezone.now()
        result.version += 1
        result.save(
            update_fields=[
                "trafficking_status",
                "decision_org",
                "decided_by",
                "decided_at",
                "version",
                "updated_at",
            ]
        )
        audit(
            "screening.decide_status",
            actor=actor,
            request=request,
            record=result,
            fields=["trafficking_status", "decision_org"],
            reason=status,
        )
    return result
