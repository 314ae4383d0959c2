"""Every write to a case: open, assess, plan, deliver, consent, close, reopen.

Each action checks scope and permission, refuses a stage it does not apply to, changes the case
in one transaction with its audit entry and a timeline line, and bumps the version so a stale
form is refused (no silent overwrite)."""

import secrets
import uuid
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases.codes import EventType
from simpul.cases.models import (
    Case,
    CaseActivity,
    CaseVictim,
    Consent,
    PlanItem,
    ReturnedStep,
    ServiceDelivery,
    Stage,
    TraffickingEvent,
)
from simpul.cases.sealing import case_aad, service_outcome_aad, task_aad
from simpul.cases.timeline import KINDS
from simpul.core.errors import StaleRecordError
from simpul.core.models import AccessGrant
from simpul.core.scoping import visible_to
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.intake.actions import record_case_opened
from simpul.intake.models import Intake
from simpul.screening.models import ScreeningResult

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def _new_code() -> str:
    while True:
        code = f"KS-{timezone.now():%y}-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not Case.objects.filter(code=code).exists():
            return code


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


def open_case(
    actor: User,
    *,
    victims: list[Person],
    intake: Intake | None = None,
    screening: ScreeningResult | None = None,
    assigned_to: User | None = None,
    request: HttpRequest | None = None,
) -> Case:
    grants = principal_for(actor).grants_with(Perm.EDIT_RECORDS)
    agency_id = intake.owner_agency_id if intake else (grants[0].agency_id if grants else None)
    if agency_id is None or not any(g.agency_id == agency_id for g in grants):
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
        ct = ContentType.objects.get_for_model(Case)
        AccessGrant.objects.create(
            record_type=ct,
            record_id=case.id,
            user=worker,
            kind=AccessGrant.Kind.ASSIGNMENT,
            granted_by=actor,
        )
        person_ct = ContentType.objects.get_for_model(Person)
        for p in victims:
            AccessGrant.objects.get_or_create(
                record_type=person_ct,
                record_id=p.id,
                user=worker,
                kind=AccessGrant.Kind.ASSIGNMENT,
                defaults={"granted_by": actor},
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
        PlanItem.objects.filter(
            case=fresh, is_task=False, service=service, done_at__isnull=True
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


# --- The trafficking chronology (HTCDS hte_*), shared as the "events" section -----------------


def _clean_event(
    event_type: str, occurred_on: date | None, until_on: date | None, region: Any, country: str
) -> None:
    errors: dict[str, list[str]] = {}
    if event_type not in EventType.values:
        errors["event_type"] = [_("Choose what happened.")]
    if occurred_on and occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if occurred_on and until_on and until_on < occurred_on:
        errors["until_on"] = [_("The end cannot be before the start.")]
    if not region and not country:
        errors["country"] = [_("Give the region in Indonesia or the country.")]
    if errors:
        raise ValidationError(errors)


def record_event(
    actor: User,
    case: Case,
    *,
    event_type: str,
    occurred_on: date | None,
    until_on: date | None = None,
    region: Any = None,
    country: str = "",
    place: str = "",
    request: HttpRequest | None = None,
) -> TraffickingEvent:
    _clean_event(event_type, occurred_on, until_on, region, country)
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        event = TraffickingEvent.objects.create(
            case=fresh,
            event_type=event_type,
            occurred_on=occurred_on,
            until_on=until_on,
            region=region,
            country=country.upper(),
            place=place.strip(),
            recorded_by=actor,
        )
        _log(fresh, actor, "event_recorded", request, ["events"], event=event_type)
    return event


def change_event(
    actor: User,
    event: TraffickingEvent,
    *,
    event_type: str,
    occurred_on: date | None,
    until_on: date | None = None,
    region: Any = None,
    country: str = "",
    place: str = "",
    request: HttpRequest | None = None,
) -> TraffickingEvent:
    _clean_event(event_type, occurred_on, until_on, region, country)
    with transaction.atomic():
        fresh = _editable(actor, event.case_id, None)
        locked = TraffickingEvent.objects.select_for_update().get(pk=event.pk, case=fresh)
        locked.event_type, locked.occurred_on, locked.until_on = event_type, occurred_on, until_on
        locked.region, locked.country, locked.place = region, country.upper(), place.strip()
        locked.save()
        _log(fresh, actor, "event_changed", request, ["events"], event=event_type)
    return locked


def remove_event(
    actor: User, event: TraffickingEvent, *, request: HttpRequest | None = None
) -> None:
    with transaction.atomic():
        fresh = _editable(actor, event.case_id, None)
        kind = event.event_type
        TraffickingEvent.objects.filter(pk=event.pk, case=fresh).delete()
        _log(fresh, actor, "event_removed", request, ["events"], event=kind)


# --- Tasks: plan rows and tasks created ad hoc -----------------------------------------------


def _member_with_edit(user: User, agency_id: int) -> bool:
    return any(g.agency_id == agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS))


def _owner_side(actor: User, case: Case) -> bool:
    return (
        visible_to(actor, Case, Perm.EDIT_RECORDS, include_referrals=False)
        .filter(pk=case.pk)
        .exists()
    )


def _grant_assignment(case: Case, user: User, by: User) -> None:
    AccessGrant.objects.get_or_create(
        record_type=ContentType.objects.get_for_model(Case),
        record_id=case.id,
        user=user,
        kind=AccessGrant.Kind.ASSIGNMENT,
        revoked_at__isnull=True,
        defaults={"granted_by": by},
    )


def _task_agency_check(actor: User, case: Case, agency_id: int) -> None:
    """The owner side gives tasks to any agency; a receiving agency only to itself (its own
    part of the work)."""
    if _owner_side(actor, case):
        return
    if not _member_with_edit(actor, agency_id):
        raise PermissionDenied(_("Your agency can create and change only its own tasks."))


def _assignee_check(case: Case, agency_id: int, assignee: User | None) -> None:
    if assignee is not None and not _member_with_edit(assignee, agency_id):
        raise ValidationError(
            {"assigned_to": [_("Choose a person of the agency responsible for the task.")]}
        )


def create_task(
    actor: User,
    case: Case,
    *,
    title: str,
    due_on: date | None,
    responsible_agency: Agency,
    assigned_to: User | None = None,
    request: HttpRequest | None = None,
) -> PlanItem:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Say what is to be done.")]
    if due_on is None:
        errors["due_on"] = [_("Give the date the task is due.")]
    if errors or due_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None, own_part=True)
        _require_stage(
            fresh, *[s for s in Stage.values if s not in (Stage.CLOSED, Stage.CLOSURE_REQUESTED)]
        )
        _task_agency_check(actor, fresh, responsible_agency.pk)
        _assignee_check(fresh, responsible_agency.pk, assigned_to)
        task = PlanItem.objects.create(
            case=fresh,
            is_task=True,
            responsible_agency=responsible_agency,
            due_on=due_on,
            assigned_to=assigned_to,
            created_by=actor,
        )
        task.title_sealed = seal_text(title.strip(), task_aad(task.pk))
        task.save(update_fields=["title_sealed"])
        if assigned_to is not None and responsible_agency.pk == fresh.owner_agency_id:
            _grant_assignment(fresh, assigned_to, actor)
        _log(fresh, actor, "task_created", request, ["task"], agency=responsible_agency.pk)
    return task


def _locked_task(actor: User, task: PlanItem) -> tuple[Case, PlanItem]:
    fresh = _editable(actor, task.case_id, None, own_part=True)
    locked = PlanItem.objects.select_for_update().get(pk=task.pk, case=fresh)
    _task_agency_check(actor, fresh, locked.responsible_agency_id)
    return fresh, locked


def reassign_task(
    actor: User, task: PlanItem, assigned_to: User | None, *, request: HttpRequest | None = None
) -> PlanItem:
    with transaction.atomic():
        fresh, locked = _locked_task(actor, task)
        if locked.done_at is not None:
            raise ValidationError(_("This task is already done."))
        _assignee_check(fresh, locked.responsible_agency_id, assigned_to)
        locked.assigned_to = assigned_to
        locked.save(update_fields=["assigned_to"])
        if assigned_to is not None and locked.responsible_agency_id == fresh.owner_agency_id:
            _grant_assignment(fresh, assigned_to, actor)
        _log(fresh, actor, "task_reassigned", request, ["task.assigned_to"])
    return locked


def complete_task(actor: User, task: PlanItem, *, request: HttpRequest | None = None) -> PlanItem:
    with transaction.atomic():
        fresh, locked = _locked_task(actor, task)
        if locked.done_at is not None:
            raise ValidationError(_("This task is already done."))
        locked.done_at = timezone.now()
        locked.save(update_fields=["done_at"])
        _log(fresh, actor, "task_done", request, ["task.done_at"])
    return locked
