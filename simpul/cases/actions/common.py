"""What every case action shares: the locked, editable case; the timeline line and audit
entry of a step; the supervisor's return with its reason; who acts for the owner side."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import acts_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases.models import (
    Case,
    CaseActivity,
)
from simpul.cases.queries import acts_by_referral, owner_side
from simpul.cases.sealing import case_aad
from simpul.cases.timeline import KINDS
from simpul.core.codes import random_part, unique_code
from simpul.core.errors import StaleRecordError
from simpul.core.grants import Kind, grant_access
from simpul.core.scoping import visible_to
from simpul.identity.crypto import seal_text


def _new_code() -> str:
    return unique_code(Case, "code", lambda: f"KS-{timezone.now():%y}-" + random_part(6))


def _editable(
    actor: User, case_id: uuid.UUID, expected_version: int | None, *, own_part: bool = False
) -> Case:
    """The case locked for update, if the actor may edit it and nobody saved in between.

    The owner's case file (assessment, plan, consent, workflow) is edited by the owner side
    only; an agency a referral asked to act records just its own part (`own_part`)."""
    scoped = visible_to(actor, Case, Perm.EDIT_RECORDS, include_referrals=own_part)
    try:
        case = scoped.select_for_update().get(pk=case_id)
    except Case.DoesNotExist:
        raise PermissionDenied from None
    # Jurisdiction alone (a village over its villages) never edits another agency's case.
    if not (owner_side(actor, case) or (own_part and acts_by_referral(actor, case))):
        raise PermissionDenied
    if expected_version is not None and case.version != expected_version:
        raise StaleRecordError(case.version)
    return case


def record_timeline(
    case: Case, actor: User | None, kind: str, *, at: Any = None, **params: Any
) -> CaseActivity:
    """A line of the case timeline, as a code with its parameters (codes and ids only; see
    `cases.timeline`). The one way any app writes the timeline; call it inside the transaction
    of the step it records, next to that step's audit entry."""
    if kind not in KINDS:
        raise ValueError(f"unknown timeline kind {kind!r}")
    return CaseActivity.objects.create(
        case=case, at=at or timezone.now(), actor=actor, kind=kind, params=params
    )


def _log(
    case: Case,
    actor: User,
    kind: str,
    request: HttpRequest | None,
    fields: list[str] | None = None,
    *,
    audit_reason: str = "",
    **params: Any,
) -> None:
    case.version += 1
    case.last_changed_by = actor
    case.save()
    record_timeline(case, actor, kind, **params)
    audit(
        f"case.{kind}",
        actor=actor,
        request=request,
        record=case,
        fields=fields or [],
        reason=audit_reason,
    )


def _clear_return(case: Case) -> None:
    case.returned_step, case.return_reason_sealed = "", ""
    case.returned_at, case.returned_by = None, None


def _return(case: Case, actor: User, step: str, reason: str) -> None:
    """Send `step` back to the worker with the supervisor's reason (sealed: it may name what
    the victim said), shown on the case page and counted as the worker's waiting work."""
    case.returned_step = step
    case.return_reason_sealed = seal_text(reason, case_aad(case.id, "return_reason"))
    case.returned_at, case.returned_by = timezone.now(), actor


def _return_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": [_("Say what the case worker should change (at least 5 characters).")]}
        )
    return reason


def _require_stage(case: Case, *stages: str) -> None:
    if case.stage not in stages:
        raise ValidationError(
            _("This step is not possible while the case is at “%(stage)s”.")
            % {"stage": case.get_stage_display()}
        )


def _require_approver(actor: User, case: Case) -> None:
    grants = principal_for(actor).grants_with(Perm.APPROVE_CASES)
    if not any(g.agency_id == case.owner_agency_id for g in grants):
        raise PermissionDenied(_("Only a supervisor of the case's agency can approve this."))


def _member_with_edit(user: User, agency_id: int) -> bool:
    return acts_for(user, agency_id)


def _owner_side(actor: User, case: Case) -> bool:
    return owner_side(actor, case)


def _grant_assignment(case: Case, user: User, by: User) -> None:
    grant_access(
        Case, case.id, user=user, kind=Kind.ASSIGNMENT, granted_by=by, unrevoked=True, once=True
    )
