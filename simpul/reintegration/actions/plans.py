"""A reintegration plan's life: created for a victim of a case (with its baseline visit),
goals per domain and level with their services, submitted, approved or returned with a reason
by a supervisor of the case's agency, started (the follow-up visits are scheduled), closed.

Every action checks who acts, locks the plan, refuses a stale version (StaleRecordError),
changes it with its audit entry in one transaction."""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.cases.models import Case, CaseVictim, Stage
from simpul.cases.queries import owner_side
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.identity.queries import sex_for_statistics
from simpul.reintegration import queries
from simpul.reintegration.choices import (
    EDITABLE,
    Domain,
    GoalStatus,
    Level,
    PlanStatus,
    ServiceKind,
    ServiceStatus,
)
from simpul.reintegration.models import Goal, PlanService, ReintegrationPlan, Visit
from simpul.reintegration.sealing import aad


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _require_owner_side(actor: User, case: Case) -> None:
    if not owner_side(actor, case):
        raise PermissionDenied(_("Only the case's agency can change its reintegration plan."))


def _locked(actor: User, plan: ReintegrationPlan, version: int | None) -> ReintegrationPlan:
    fresh = (
        ReintegrationPlan.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=plan.pk)
    )
    _require_owner_side(actor, fresh.case)
    if version is not None and fresh.version != version:
        raise StaleRecordError(fresh.version)
    return fresh


def _require_status(plan: ReintegrationPlan, *statuses: str) -> None:
    if plan.status not in statuses:
        raise ValidationError(
            _("This step is not possible while the plan is “%(status)s”.")
            % {"status": plan.get_status_display()}
        )


def _save(plan: ReintegrationPlan, fields: list[str]) -> None:
    plan.version += 1
    plan.save(update_fields=sorted({"version", "updated_at", *fields}))


def create_plan(
    actor: User,
    case: Case,
    person: Person,
    *,
    returned_on: date | None,
    request: HttpRequest | None = None,
) -> ReintegrationPlan:
    """A draft plan for a victim of the case, scored with the newest instrument version; its
    baseline visit is due today."""
    if returned_on is None:
        raise ValidationError({"returned_on": _("Give the date the person came home.")})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The return date cannot be in the future.")})
    instrument = queries.current_instrument()
    if instrument is None:
        raise ValidationError(_("No monitoring instrument is loaded."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        _require_owner_side(actor, locked)
        if locked.stage == Stage.CLOSED:
            raise ValidationError(_("The case is closed."))
        if not CaseVictim.objects.filter(case=locked, person=person).exists():
            raise ValidationError({"person": _("Choose a victim of this case.")})
        if (
            ReintegrationPlan.objects.filter(case=locked, person=person)
            .exclude(status=PlanStatus.CLOSED)
            .exists()
        ):
            raise ValidationError({"person": _("This person already has an open plan.")})
        try:
            with transaction.atomic():
                plan = ReintegrationPlan.objects.create(
                    case=locked,
                    person=person,
                    instrument=instrument,
                    returned_on=returned_on,
                    cohort_sex=sex_for_statistics(person),
                    created_by=actor,
                )
        except IntegrityError:
            raise ValidationError({"person": _("This person already has an open plan.")}) from None
        Visit.objects.create(plan=plan, month=0, due_on=timezone.localdate(), instrument=instrument)
        audit(
            "reintegration.plan.create",
            actor=actor,
            request=request,
            record=plan,
            fields=["case", "person", "returned_on", "instrument"],
        )
    return plan


def add_goal(
    actor: User,
    plan: ReintegrationPlan,
    *,
    domain: str,
    level: str,
    text: str,
    responsible_agency: Agency | None,
    due_on: date | None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Goal:
    text = " ".join(text.split())
    errors: dict[str, list[str]] = {}
    if domain not in Domain.values:
        errors["domain"] = [_("Choose a domain.")]
    if level not in Level.values:
        errors["level"] = [_("Choose a level.")]
    if len(text) < 5:
        errors["text"] = [_("Describe the goal (at least 5 characters).")]
    if responsible_agency is None:
        errors["responsible_agency"] = [_("Choose the responsible agency.")]
    if due_on is None:
        errors["due_on"] = [_("Give the due date.")]
    if errors or responsible_agency is None or due_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(actor, plan, version)
        _require_status(fresh, *EDITABLE)
        goal = Goal.objects.create(
            plan=fresh,
            domain=domain,
            level=level,
            responsible_agency=responsible_agency,
            due_on=due_on,
        )
        goal.text_sealed = seal_text(text, aad("goal", "text", goal.pk))
        goal.save(update_fields=["text_sealed"])
        _save(fresh, [])
        audit(
            "reintegration.goal.add",
            actor=actor,
            request=request,
            record=fresh,
            fields=["goal.domain", "goal.level", "goal.text", "goal.due_on"],
        )
    return goal


def set_goal_status(
    actor: User,
    goal: Goal,
    *,
    status: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Goal:
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    with transaction.atomic():
        fresh = _locked(actor, goal.plan, version)
        _require_status(fresh, *EDITABLE)
        locked = Goal.objects.select_for_update().get(pk=goal.pk, plan=fresh)
        locked.status = status
        locked.save(update_fields=["status"])
        _save(fresh, [])
        audit(
            "reintegration.goal.status",
            actor=actor,
            request=request,
            record=fresh,
            fields=["goal.status"],
        )
    return locked


def add_service(
    actor: User,
    goal: Goal,
    *,
    kind: str,
    responsible_agency: Agency | None,
    due_on: date | None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> PlanService:
    errors: dict[str, list[str]] = {}
    if kind not in ServiceKind.values:
        errors["kind"] = [_("Choose a service.")]
    if responsible_agency is None:
        errors["responsible_agency"] = [_("Choose the responsible agency.")]
    if due_on is None:
        errors["due_on"] = [_("Give the due date.")]
    if errors or responsible_agency is None or due_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(actor, goal.plan, version)
        _require_status(fresh, *EDITABLE)
        service = PlanService.objects.create(
            goal=Goal.objects.get(pk=goal.pk, plan=fresh),
            kind=kind,
            responsible_agency=responsible_agency,
            due_on=due_on,
        )
        _save(fresh, [])
        audit(
            "reintegration.service.add",
            actor=actor,
            request=request,
            record=fresh,
            fields=["service.kind", "service.responsible_agency", "service.due_on"],
        )
    return service


def deliver_service(
    actor: User,
    service: PlanService,
    *,
    delivered_on: date | None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> PlanService:
    """A service of the plan is delivered (the cohort report counts it between visits)."""
    if delivered_on is None:
        raise ValidationError({"delivered_on": _("Give the date the service was delivered.")})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        fresh = _locked(actor, service.goal.plan, version)
        _require_status(fresh, PlanStatus.APPROVED, PlanStatus.ACTIVE)
        locked = PlanService.objects.select_for_update().get(pk=service.pk, goal__plan=fresh)
        if locked.status != ServiceStatus.PLANNED:
            raise ValidationError(_("This service is no longer planned."))
        locked.status, locked.delivered_on = ServiceStatus.DELIVERED, delivered_on
        locked.save(update_fields=["status", "delivered_on"])
        _save(fresh, [])
        audit(
            "reintegration.service.deliver",
            actor=actor,
            request=request,
            record=fresh,
            fields=["service.status", "service.delivered_on"],
        )
    return locked


def submit_plan(
    actor: User,
    plan: ReintegrationPlan,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> ReintegrationPlan:
    """For the supervisor's approval: needs at least one goal, and a service for every goal."""
    with transaction.atomic():
        fresh = _locked(actor, plan, version)
        _require_status(fresh, PlanStatus.DRAFT)
        goals = list(fresh.goals.prefetch_related("services"))
        if not goals or any(not g.services.all() for g in goals):
            raise ValidationError(_("A plan needs at least one goal, and a service for each."))
        fresh.status, fresh.submitted_at = PlanStatus.SUBMITTED, timezone.now()
        _save(fresh, ["status", "submitted_at"])
        audit(
            "reintegration.plan.submit",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status"],
        )
    return fresh


def review_plan(
    actor: User,
    plan: ReintegrationPlan,
    *,
    approve: bool,
    reason: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> ReintegrationPlan:
    """A supervisor of the case's agency approves the plan, or returns it to the case worker
    with a reason (sealed: it may name what the victim said), as with a case's own plan."""
    reason = reason.strip()
    if not approve and len(reason) < 5:
        raise ValidationError(
            {"reason": [_("Say what the case worker should change (at least 5 characters).")]}
        )
    with transaction.atomic():
        fresh = _locked(actor, plan, version)
        grants = principal_for(actor).grants_with(Perm.APPROVE_CASES)
        if not any(g.agency_id == fresh.case.owner_agency_id for g in grants):
            raise PermissionDenied(_("Only a supervisor of the case's agency can approve this."))
        _require_status(fresh, PlanStatus.SUBMITTED)
        if approve:
            fresh.status, fresh.approved_at, fresh.approved_by = (
                PlanStatus.APPROVED,
                timezone.now(),
                actor,
            )
            fresh.return_reason_sealed, fresh.returned_at, fresh.returned_by = "", None, None
        else:
            fresh.status = PlanStatus.DRAFT
            fresh.return_reason_sealed = seal_text(reason, aad("plan", "return_reason", fresh.pk))
            fresh.returned_at, fresh.returned_by = timezone.now(), actor
        _save(
            fresh,
            [
                "status",
                "approved_at",
                "approved_by",
                "return_reason_sealed",
                "returned_at",
                "returned_by",
            ],
        )
        audit(
            "reintegration.plan.approve" if approve else "reintegration.plan.return",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status"] if approve else ["status", "return_reason"],
        )
    return fresh


def activate_plan(
    actor: User,
    plan: ReintegrationPlan,
    *,
    start_on: date | None = None,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> ReintegrationPlan:
    """The approved plan starts: its follow-up visits are scheduled the configured months
    (3, 6 and 12 by default) after the start."""
    start = start_on or timezone.localdate()
    with transaction.atomic():
        fresh = _locked(actor, plan, version)
        _require_status(fresh, PlanStatus.APPROVED)
        fresh.status, fresh.activated_on = PlanStatus.ACTIVE, start
        _save(fresh, ["status", "activated_on"])
        Visit.objects.bulk_create(
            Visit(
                plan=fresh,
                month=m,
                due_on=add_months(start, m),
                instrument_id=fresh.instrument_id,
            )
            for m in settings.REINTEGRATION_VISIT_MONTHS
        )
        audit(
            "reintegration.plan.activate",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status", "activated_on", "visits"],
        )
    return fresh


def close_plan(
    actor: User,
    plan: ReintegrationPlan,
    *,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> ReintegrationPlan:
    with transaction.atomic():
        fresh = _locked(actor, plan, version)
        _require_status(fresh, PlanStatus.ACTIVE)
        fresh.status, fresh.closed_at = PlanStatus.CLOSED, timezone.now()
        _save(fresh, ["status", "closed_at"])
        audit(
            "reintegration.plan.close",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status"],
        )
    return fresh
