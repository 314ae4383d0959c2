"""The case workflow: open, assess, plan, deliver, consent, close, reopen; supervisor approvals
and returns with a reason; assigning a case worker."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.queries import acting_agency_ids
from simpul.audit.log import record as audit
from simpul.cases.actions.common import (
    _clear_return,
    _editable,
    _grant_assignment,
    _log,
    _member_with_edit,
    _new_code,
    _require_approver,
    _require_stage,
    _return,
    _return_reason,
    record_timeline,
)
from simpul.cases.models import (
    Case,
    CaseVictim,
    ClosureReason,
    Consent,
    PlanItem,
    ReturnedStep,
    ServiceDelivery,
    Stage,
)
from simpul.cases.sealing import case_aad, service_outcome_aad
from simpul.core.grants import Kind, grant_access
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.intake.actions import record_case_opened
from simpul.intake.models import Intake
from simpul.screening.models import ScreeningResult


def open_case(
    actor: User,
    *,
    victims: list[Person],
    intake: Intake | None = None,
    screening: ScreeningResult | None = None,
    assigned_to: User | None = None,
    request: HttpRequest | None = None,
) -> Case:
    acting = acting_agency_ids(actor)
    agency_id = intake.owner_agency_id if intake else (acting[0] if acting else None)
    if agency_id is None or agency_id not in acting:
        raise PermissionDenied(_("You cannot open cases for this agency."))
    if not victims:
        raise ValidationError({"victims": [_("A case needs at least one victim.")]})
    worker = assigned_to or actor
    with transaction.atomic():
        case = Case.objects.create(
            code=_new_code(),
            owner_agency_id=agency_id,
            scope_region=victims[0].scope_region or (intake.scope_region if intake else None),
            intake=intake,
            screening=screening,
            assigned_to=worker,
            opened_at=timezone.now(),
            created_by=actor,
        )
        CaseVictim.objects.bulk_create(CaseVictim(case=case, person=p) for p in victims)
        grant_access(Case, case.id, user=worker, kind=Kind.ASSIGNMENT, granted_by=actor)
        for p in victims:
            grant_access(
                Person, p.id, user=worker, kind=Kind.ASSIGNMENT, granted_by=actor, once=True
            )
        if intake is not None:
            record_case_opened(actor, intake, case, request=request)
        record_timeline(case, actor, "open")
        audit("case.open", actor=actor, request=request, record=case, fields=["victims"])
    return case


def update_details(
    actor: User,
    case: Case,
    changes: dict[str, Any],
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """Exploitation types, means of control and the SIMFONI dimensions."""
    allowed = {
        "exploitation_types",
        "means_of_control",
        "violence_forms",
        "incident_place",
        "perpetrator_relation",
        "education",
        "occupation",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise PermissionDenied(f"Not editable here: {sorted(unknown)}")
    with transaction.atomic():
        fresh = _editable(actor, case.pk, expected_version)
        for name, value in changes.items():
            setattr(fresh, name, value)
        _log(fresh, actor, "details", request, sorted(changes))
    return fresh


def submit_assessment(
    actor: User, case: Case, text: str, *, expected_version: int, request: HttpRequest | None = None
) -> Case:
    if not text.strip():
        raise ValidationError({"text": [_("Write the assessment before submitting it.")]})
    with transaction.atomic():
        fresh = _editable(actor, case.pk, expected_version)
        _require_stage(fresh, Stage.ASSESSMENT)
        fresh.assessment_sealed = seal_text(text.strip(), case_aad(fresh.id, "assessment"))
        fresh.assessment_submitted_at = timezone.now()
        fresh.stage = Stage.ASSESSMENT_SUBMITTED
        _clear_return(fresh)
        _log(fresh, actor, "assessment_submitted", request, ["assessment"])
    return fresh


def approve_assessment(
    actor: User,
    case: Case,
    *,
    approve: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Approve, or return to the worker with a reason they see (required)."""
    if not approve:
        reason = _return_reason(reason)
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_approver(actor, fresh)
        _require_stage(fresh, Stage.ASSESSMENT_SUBMITTED)
        if approve:
            fresh.stage, fresh.assessment_approved_at = Stage.PLANNING, timezone.now()
            fresh.assessment_approved_by = actor
            _clear_return(fresh)
        else:
            fresh.stage = Stage.ASSESSMENT
            _return(fresh, actor, ReturnedStep.ASSESSMENT, reason)
        _log(
            fresh,
            actor,
            "assessment_approved" if approve else "assessment_returned",
            request,
            [] if approve else ["return_reason"],
        )
    return fresh


PlanRow = tuple[str, Agency, date | None]


def submit_plan(
    actor: User,
    case: Case,
    goals: str,
    items: list[PlanRow],
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """Goals and the plan's rows (service, responsible agency, due date). A row without its
    due date is refused, never dropped; resubmitting replaces the plan's rows (tasks created
    ad hoc stay)."""
    if not goals.strip():
        raise ValidationError({"goals": [_("Write the goals of the plan.")]})
    if not items:
        raise ValidationError({"goals": [_("A plan needs goals and at least one service.")]})
    if any(not service or agency is None or due is None for service, agency, due in items):
        raise ValidationError(
            _("Every row of the plan needs a service, a responsible agency and a due date.")
        )
    with transaction.atomic():
        fresh = _editable(actor, case.pk, expected_version)
        _require_stage(fresh, Stage.PLANNING)
        fresh.plan_goals_sealed = seal_text(goals.strip(), case_aad(fresh.id, "plan_goals"))
        fresh.plan_submitted_at = timezone.now()
        fresh.stage = Stage.PLAN_SUBMITTED
        _clear_return(fresh)
        PlanItem.objects.filter(case=fresh, is_task=False).delete()
        PlanItem.objects.bulk_create(
            PlanItem(case=fresh, service=s, responsible_agency=a, due_on=d, created_by=actor)
            for s, a, d in items
            if d is not None  # refused above; narrows the type
        )
        _log(fresh, actor, "plan_submitted", request, ["goals", "plan_items"])
    return fresh


def approve_plan(
    actor: User,
    case: Case,
    *,
    approve: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    if not approve:
        reason = _return_reason(reason)
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_approver(actor, fresh)
        _require_stage(fresh, Stage.PLAN_SUBMITTED)
        if approve:
            fresh.stage, fresh.plan_approved_at, fresh.plan_approved_by = (
                Stage.SERVICES,
                timezone.now(),
                actor,
            )
            _clear_return(fresh)
        else:
            fresh.stage = Stage.PLANNING
            _return(fresh, actor, ReturnedStep.PLAN, reason)
        _log(
            fresh,
            actor,
            "plan_approved" if approve else "plan_returned",
            request,
            [] if approve else ["return_reason"],
        )
    return fresh


def record_service(
    actor: User,
    case: Case,
    *,
    service: str,
    delivered_on: date,
    provider: Agency,
    outcome: str,
    request: HttpRequest | None = None,
) -> ServiceDelivery:
    """The owner side, or a receiving agency asked to act (its own part)."""
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None, own_part=True)
        _require_stage(fresh, Stage.SERVICES, Stage.MONITORING)
        delivery = ServiceDelivery.objects.create(
            case=fresh,
            service=service,
            delivered_on=delivered_on,
            provider=provider,
            recorded_by=actor,
        )
        delivery.outcome_sealed = seal_text(outcome.strip(), service_outcome_aad(delivery.pk))
        delivery.save(update_fields=["outcome_sealed"])
        # Only the provider's own plan row for this service is done; another agency's stays.
        PlanItem.objects.filter(
            case=fresh,
            is_task=False,
            service=service,
            responsible_agency=provider,
            done_at__isnull=True,
        ).update(done_at=timezone.now())
        _log(fresh, actor, "service", request, ["service", "outcome"], service=service)
    return delivery


def start_monitoring(actor: User, case: Case, *, request: HttpRequest | None = None) -> Case:
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_stage(fresh, Stage.SERVICES)
        fresh.stage = Stage.MONITORING
        _log(fresh, actor, "monitoring", request)
    return fresh


def record_consent(
    actor: User,
    case: Case,
    person: Person,
    *,
    items: list[str],
    share_with: list[Agency],
    guardian_consent: bool = False,
    guardian_relation: str = "",
    is_child: bool = False,
    request: HttpRequest | None = None,
) -> Consent:
    if is_child and not guardian_consent:
        raise ValidationError(
            {
                "guardian_consent": [
                    _(
                        "For a child, a parent's or guardian's consent is required "
                        "(UU 27/2022 Pasal 25)."
                    )
                ]
            }
        )
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        if not fresh.victims.filter(person=person).exists():
            raise ValidationError({"person": [_("This person is not a victim in this case.")]})
        consent = Consent.objects.create(
            case=fresh,
            person=person,
            items=sorted(set(items)),
            given_at=timezone.now(),
            recorded_by=actor,
            guardian_consent=guardian_consent,
            guardian_relation=guardian_relation,
        )
        consent.share_with.set(share_with)
        _log(fresh, actor, "consent", request, ["consent"])
    return consent


def withdraw_consent(
    actor: User, consent: Consent, *, request: HttpRequest | None = None
) -> Consent:
    """Record a withdrawal (UU 27/2022 Pasal 40). Sharing stops at once: every accepted
    referral that rested on this consent ends and its access grants are revoked in the same
    transaction (referrals a supervisor sent under a consent override stand)."""
    # referrals builds on cases (its actions write the case timeline through this module), so
    # the call back into referrals is imported here: a real cycle, not a shortcut.
    # cycle: referrals.actions imports cases.actions (record_timeline)
    from simpul.referrals.actions import end_referrals_without_consent

    with transaction.atomic():
        fresh = _editable(actor, consent.case_id, None)
        locked = Consent.objects.select_for_update().get(pk=consent.pk, case=fresh)
        if locked.withdrawn_at is not None:
            raise ValidationError(_("This consent was already withdrawn."))
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        _log(fresh, actor, "consent_withdrawn", request, ["consent"])
        end_referrals_without_consent(actor, fresh, request=request)
    consent.withdrawn_at = locked.withdrawn_at
    return consent


CLOSABLE_FROM = (Stage.SERVICES, Stage.MONITORING, Stage.ASSESSMENT, Stage.PLANNING)


def request_closure(
    actor: User,
    case: Case,
    *,
    reason: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """Only the owner side asks to close its case (a receiving agency never can: it records its
    own part). The stage it was at is kept, so a refusal returns the case there."""
    if reason not in ClosureReason.values:
        raise ValidationError(
            {"reason": [_("Choose a reason for closing the case from the list.")]}
        )
    with transaction.atomic():
        try:
            fresh = _editable(actor, case.pk, expected_version)
        except PermissionDenied:
            raise PermissionDenied(
                _("Only the agency that owns the case can request its closure.")
            ) from None
        _require_stage(fresh, *CLOSABLE_FROM)
        fresh.stage_before_closure = fresh.stage
        fresh.closure_reason = reason
        fresh.closure_requested_at = timezone.now()
        fresh.stage = Stage.CLOSURE_REQUESTED
        _clear_return(fresh)
        _log(fresh, actor, "closure_requested", request, ["closure_reason"], reason=reason)
    return fresh


def approve_closure(
    actor: User,
    case: Case,
    *,
    approve: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """Approve the closure, or refuse it with a reason: the case goes back to the stage it was
    at when closure was requested."""
    if not approve:
        reason = _return_reason(reason)
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_approver(actor, fresh)
        _require_stage(fresh, Stage.CLOSURE_REQUESTED)
        if approve:
            fresh.stage, fresh.closed_at, fresh.closure_approved_by = (
                Stage.CLOSED,
                timezone.now(),
                actor,
            )
            _clear_return(fresh)
        else:
            fresh.stage = fresh.stage_before_closure or Stage.MONITORING
            fresh.closure_reason = ""
            _return(fresh, actor, ReturnedStep.CLOSURE, reason)
        fresh.stage_before_closure = ""
        _log(
            fresh,
            actor,
            "closed" if approve else "closure_refused",
            request,
            [] if approve else ["return_reason"],
        )
    return fresh


def reopen(actor: User, case: Case, *, reason: str, request: HttpRequest | None = None) -> Case:
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": [_("Say why the case is reopened.")]})
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_stage(fresh, Stage.CLOSED)
        fresh.stage, fresh.closed_at, fresh.closure_reason = Stage.SERVICES, None, ""
        fresh.closure_approved_by = None
        fresh.reopen_count += 1
        _log(fresh, actor, "reopen", request, audit_reason=reason.strip())
    return fresh


def assign_worker(
    actor: User, case: Case, worker: User, *, request: HttpRequest | None = None
) -> Case:
    """A supervisor of the owning agency gives the case to one of its case workers."""
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_approver(actor, fresh)
        if not _member_with_edit(worker, fresh.owner_agency_id):
            raise ValidationError({"worker": [_("Choose a case worker of the case's agency.")]})
        fresh.assigned_to = worker
        _grant_assignment(fresh, worker, actor)
        _log(fresh, actor, "worker_assigned", request, ["assigned_to"])
    return fresh
