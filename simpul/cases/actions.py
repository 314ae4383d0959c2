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
from simpul.cases.models import (
    Case,
    CaseActivity,
    CaseVictim,
    Consent,
    PlanItem,
    ServiceDelivery,
    Stage,
)
from simpul.core.errors import StaleRecordError
from simpul.core.models import AccessGrant
from simpul.core.scoping import visible_to
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.intake.models import Intake
from simpul.intake.models import Status as IntakeStatus
from simpul.screening.models import ScreeningResult

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def case_aad(case_id: uuid.UUID, field: str) -> str:
    return f"cases.case.{field}:{case_id}"


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


def _log(
    case: Case,
    actor: User,
    kind: str,
    summary: str,
    request: HttpRequest | None,
    fields: list[str] | None = None,
) -> None:
    case.version += 1
    case.last_changed_by = actor
    case.save()
    CaseActivity.objects.create(
        case=case, at=timezone.now(), actor=actor, kind=kind, summary=summary
    )
    audit(f"case.{kind}", actor=actor, request=request, record=case, fields=fields or [])


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
            Intake.objects.filter(pk=intake.pk).update(status=IntakeStatus.CASE_OPENED)
        CaseActivity.objects.create(
            case=case, at=timezone.now(), actor=actor, kind="open", summary=_("Case opened")
        )
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
        _log(fresh, actor, "details", _("Case details updated"), request, sorted(changes))
    return fresh


def submit_assessment(
    actor: User, case: Case, text: str, *, expected_version: int, request: HttpRequest | None = None
) -> Case:
    if not text.strip():
        raise ValidationError({"assessment": [_("Write the assessment before submitting it.")]})
    with transaction.atomic():
        fresh = _editable(actor, case.pk, expected_version)
        _require_stage(fresh, Stage.ASSESSMENT)
        fresh.assessment_sealed = seal_text(text.strip(), case_aad(fresh.id, "assessment"))
        fresh.assessment_submitted_at = timezone.now()
        fresh.stage = Stage.ASSESSMENT_SUBMITTED
        _log(
            fresh,
            actor,
            "assessment_submitted",
            _("Assessment submitted for approval"),
            request,
            ["assessment"],
        )
    return fresh


def approve_assessment(
    actor: User, case: Case, *, approve: bool, request: HttpRequest | None = None
) -> Case:
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_approver(actor, fresh)
        _require_stage(fresh, Stage.ASSESSMENT_SUBMITTED)
        if approve:
            fresh.stage, fresh.assessment_approved_at = Stage.PLANNING, timezone.now()
            fresh.assessment_approved_by = actor
            summary = _("Assessment approved")
        else:
            fresh.stage = Stage.ASSESSMENT
            summary = _("Assessment returned for changes")
        _log(
            fresh,
            actor,
            "assessment_approved" if approve else "assessment_returned",
            summary,
            request,
        )
    return fresh


def submit_plan(
    actor: User,
    case: Case,
    goals: str,
    items: list[tuple[str, Agency, date]],
    *,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    if not goals.strip() or not items:
        raise ValidationError({"goals": [_("A plan needs goals and at least one service.")]})
    with transaction.atomic():
        fresh = _editable(actor, case.pk, expected_version)
        _require_stage(fresh, Stage.PLANNING)
        fresh.plan_goals_sealed = seal_text(goals.strip(), case_aad(fresh.id, "plan_goals"))
        fresh.plan_submitted_at = timezone.now()
        fresh.stage = Stage.PLAN_SUBMITTED
        PlanItem.objects.filter(case=fresh).delete()
        PlanItem.objects.bulk_create(
            PlanItem(case=fresh, service=s, responsible_agency=a, due_on=d) for s, a, d in items
        )
        _log(
            fresh,
            actor,
            "plan_submitted",
            _("Case plan submitted for approval"),
            request,
            ["goals", "plan_items"],
        )
    return fresh


def approve_plan(
    actor: User, case: Case, *, approve: bool, request: HttpRequest | None = None
) -> Case:
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
        else:
            fresh.stage = Stage.PLANNING
        _log(
            fresh,
            actor,
            "plan_approved" if approve else "plan_returned",
            _("Case plan approved") if approve else _("Case plan returned for changes"),
            request,
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
        delivery.outcome_sealed = seal_text(
            outcome.strip(), f"cases.servicedelivery.outcome:{delivery.pk}"
        )
        delivery.save(update_fields=["outcome_sealed"])
        PlanItem.objects.filter(case=fresh, service=service, done_at__isnull=True).update(
            done_at=timezone.now()
        )
        _log(
            fresh,
            actor,
            "service",
            _("Service recorded: %(s)s") % {"s": delivery.get_service_display()},
            request,
            ["service", "outcome"],
        )
    return delivery


def start_monitoring(actor: User, case: Case, *, request: HttpRequest | None = None) -> Case:
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_stage(fresh, Stage.SERVICES)
        fresh.stage = Stage.MONITORING
        _log(fresh, actor, "monitoring", _("Monitoring started"), request)
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
        _log(fresh, actor, "consent", _("Consent recorded"), request, ["consent"])
    return consent


def withdraw_consent(
    actor: User, consent: Consent, *, request: HttpRequest | None = None
) -> Consent:
    with transaction.atomic():
        fresh = _editable(actor, consent.case_id, None)
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        _log(fresh, actor, "consent_withdrawn", _("Consent withdrawn"), request, ["consent"])
    return consent


def request_closure(
    actor: User,
    case: Case,
    *,
    reason: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    with transaction.atomic():
        fresh = _editable(actor, case.pk, expected_version)
        _require_stage(fresh, Stage.SERVICES, Stage.MONITORING, Stage.ASSESSMENT, Stage.PLANNING)
        fresh.closure_reason = reason
        fresh.closure_requested_at = timezone.now()
        fresh.stage = Stage.CLOSURE_REQUESTED
        _log(fresh, actor, "closure_requested", _("Closure requested"), request, ["closure_reason"])
    return fresh


def approve_closure(
    actor: User, case: Case, *, approve: bool, request: HttpRequest | None = None
) -> Case:
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
        else:
            fresh.stage, fresh.closure_reason = Stage.MONITORING, ""
        _log(
            fresh,
            actor,
            "closed" if approve else "closure_refused",
            _("Case closed") if approve else _("Closure refused"),
            request,
        )
    return fresh


def reopen(actor: User, case: Case, *, reason: str, request: HttpRequest | None = None) -> Case:
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": [_("Say why the case is reopened.")]})
    with transaction.atomic():
        fresh = _editable(actor, case.pk, None)
        _require_stage(fresh, Stage.CLOSED)
        fresh.stage, fresh.closed_at, fresh.closure_reason = Stage.SERVICES, None, ""
        fresh.reopen_count += 1
        fresh.version += 1
        fresh.save()
        CaseActivity.objects.create(
            case=fresh, at=timezone.now(), actor=actor, kind="reopen", summary=_("Case reopened")
        )
        audit("case.reopen", actor=actor, request=request, record=fresh, reason=reason.strip())
    return fresh
