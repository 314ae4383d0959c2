"""Tasks of a case: plan rows and tasks created ad hoc, by the owner side or by a receiving
agency for its own part; assigned, reassigned and done."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.cases.actions.common import (
    _editable,
    _grant_assignment,
    _log,
    _member_with_edit,
    _owner_side,
    _require_stage,
)
from simpul.cases.models import (
    Case,
    PlanItem,
    Stage,
)
from simpul.cases.sealing import task_aad
from simpul.identity.crypto import seal_text


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
