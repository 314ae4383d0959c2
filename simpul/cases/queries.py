"""Every read of cases, scoped by `simpul.core.scoping`."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import acting_agency_ids, acts_for, case_workers_of
from simpul.accounts.roles import Perm, Role, policy
from simpul.cases.models import Case, CaseVictim, PlanItem, Stage, TraffickingEvent
from simpul.cases.sealing import open_case_text, open_task_title
from simpul.core.models import AccessGrant
from simpul.core.scoping import get_in_scope, visible_to
from simpul.core.work import WaitingWork
from simpul.identity.queries import search_persons
from simpul.referrals.models import Referral, ReferralStatus, Section


def cases_for(
    user: User, perm: Perm = Perm.VIEW_RECORDS, *, include_referrals: bool = True
) -> QuerySet[Case]:
    return visible_to(user, Case, perm, include_referrals=include_referrals)


def get_case_for(
    user: User,
    case_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    include_referrals: bool = True,
    request: HttpRequest | None = None,
) -> Case:
    """`include_referrals=False`: only the owner side (e.g. to edit the owner's case file)."""
    scoped = cases_for(user, perm, include_referrals=include_referrals).select_related(
        "owner_agency", "assigned_to", "scope_region", "intake"
    )
    return get_in_scope(user, scoped, case_id, action="case.access", request=request)


OPEN = "open"  # the stage filter's default: every stage but closed
ANY = "all"
APPROVAL_STAGES = (Stage.ASSESSMENT_SUBMITTED, Stage.PLAN_SUBMITTED, Stage.CLOSURE_REQUESTED)


@dataclass(frozen=True)
class CaseFilters:
    """The case list's filters, read from the query string (all optional)."""

    stage: str = OPEN  # OPEN, ANY or a Stage value
    worker: str = ""  # "" any, "me", "none" (no case worker) or a user id
    overdue: bool = False  # with an open task or plan row past its due date
    received: bool = False  # shared with the user's agency by an accepted referral
    waiting: str = ""  # "approval" (waiting for a supervisor) or "returned" (sent back)
    code: str = ""  # a case code or its beginning
    order: str = "newest"  # "newest" or "oldest" (age)
    person: str = ""  # a person's code: the cases naming that person as a victim

    @classmethod
    def from_query(cls, data: Any) -> "CaseFilters":
        stage = data.get("stage", OPEN)
        if stage not in (OPEN, ANY, *Stage.values):
            stage = OPEN
        worker = data.get("worker", "")
        if worker not in ("", "me", "none") and not worker.isdigit():
            worker = ""
        waiting = data.get("waiting", "")
        return cls(
            stage=stage,
            worker=worker,
            overdue=data.get("overdue") == "1",
            received=data.get("received") == "1",
            waiting=waiting if waiting in ("approval", "returned") else "",
            code=data.get("code", "").strip().upper()[:20],
            order="oldest" if data.get("order") == "oldest" else "newest",
            person=data.get("person", "").strip().upper()[:20],
        )


def _received_q(user: User) -> Exists:
    agency_ids = [g.agency_id for g in principal_for(user).grants]
    return Exists(
        Referral.objects.filter(
            case=OuterRef("pk"), to_agency_id__in=agency_ids, status=ReferralStatus.ACCEPTED
        )
    )


# A plan's rows become tasks once the plan is approved; tasks created ad hoc are tasks at once.
ACTIVE_TASKS = Q(is_task=True) | Q(case__plan_approved_at__isnull=False)


def _overdue_tasks() -> Exists:
    return Exists(
        PlanItem.objects.filter(
            ACTIVE_TASKS,
            case=OuterRef("pk"),
            done_at__isnull=True,
            due_on__lt=timezone.localdate(),
        )
    )


def case_list(user: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases in the user's scope, filtered: a case worker's own and received cases, a
    supervisor's whole agency, a receiver's cases accepted by referral. Each row carries
    `received` and `overdue` (annotations) and its worker, agency and area (joined), so a
    page costs the same number of queries however long the list."""
    f = filters or CaseFilters()
    qs = (
        cases_for(user)
        .select_related("owner_agency", "scope_region", "assigned_to")
        .annotate(received=_received_q(user), overdue=_overdue_tasks())
    )
    if f.stage == OPEN:
        qs = qs.exclude(stage=Stage.CLOSED)
    elif f.stage != ANY:
        qs = qs.filter(stage=f.stage)
    if f.worker == "me":
        qs = qs.filter(assigned_to=user)
    elif f.worker == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif f.worker:
        qs = qs.filter(assigned_to_id=int(f.worker))
    if f.overdue:
        qs = qs.filter(overdue=True)
    if f.received:
        qs = qs.filter(received=True)
    if f.waiting == "approval":
        qs = qs.filter(stage__in=APPROVAL_STAGES, owner_agency_id__in=_approver_agencies(user))
    elif f.waiting == "returned":
        qs = qs.exclude(returned_step="")
    if f.code:
        qs = qs.filter(code__startswith=f.code)
    if f.person:
        qs = qs.filter(pk__in=CaseVictim.objects.filter(person__code=f.person).values("case_id"))
    return qs.order_by("opened_at" if f.order == "oldest" else "-opened_at", "code")


def shared_sections(user: User, case_ids: list[Any]) -> dict[Any, list[str]]:
    """For the received cases among `case_ids`: what the accepted referrals to the user's
    agencies share (one query for a whole page)."""
    agency_ids = [g.agency_id for g in principal_for(user).grants]
    shared: dict[Any, set[str]] = {}
    for case_id, sections in Referral.objects.filter(
        case_id__in=case_ids, to_agency_id__in=agency_ids, status=ReferralStatus.ACCEPTED
    ).values_list("case_id", "sections"):
        shared.setdefault(case_id, set()).update(sections)
    return {k: [s for s in Section.values if s in v] for k, v in shared.items()}


def _approver_agencies(user: User) -> set[int]:
    return {g.agency_id for g in principal_for(user).grants_with(Perm.APPROVE_CASES)}


def case_workers_by_case(case_ids: list[Any]) -> dict[Any, User]:
    """The assigned case worker of each case that has one (one query). For jobs that tell the
    case worker about another app's record (the justice chain's restitution reminders); no
    user is checked here."""
    return {
        c.pk: c.assigned_to
        for c in Case.objects.filter(pk__in=case_ids, assigned_to__isnull=False).select_related(
            "assigned_to"
        )
        if c.assigned_to is not None
    }


def workers_in_scope(user: User) -> list[User]:
    """The case workers of the supervisor's agencies (the list's worker filter)."""
    agencies = _approver_agencies(user)
    return [w for a in sorted(agencies) for w in case_workers_of(a)]


def owner_side(user: User, case: Case) -> bool:
    """The owning agency's side of a case: a member of the owning agency who may edit it (its
    case workers, supervisors, operators). Not a receiving agency, nor an agency whose
    jurisdiction merely covers the place: they never move the owner's workflow."""
    if not acts_for(user, case.owner_agency_id):
        return False
    return cases_for(user, Perm.EDIT_RECORDS, include_referrals=False).filter(pk=case.pk).exists()


def acts_by_referral(user: User, case: Case) -> bool:
    """A receiving agency asked to act on the case (an accepted referral with `receiver_acts`,
    not ended): it records its own part (services, its tasks)."""
    agencies = acting_agency_ids(user)
    return (
        AccessGrant.objects.filter(
            record_type=ContentType.objects.get_for_model(Case),
            record_id=case.pk,
            kind=AccessGrant.Kind.REFERRAL,
            can_edit=True,
            revoked_at__isnull=True,
        )
        .filter(Q(user=user) | Q(agency_id__in=agencies))
        .exists()
    )


def my_cases(user: User) -> QuerySet[Case]:
    return case_list(user, CaseFilters(worker="me"))


def search_cases(user: User, text: str, *, limit: int = 50) -> list[Case]:
    """By case code, or by a victim's name, NIK, passport or phone, within scope."""
    text = text.strip()
    if not text:
        return []
    scoped = case_list(user, CaseFilters(stage=ANY))
    by_code = list(scoped.filter(code=text.upper())[:limit])  # codes are stored upper-case
    if by_code:
        return by_code
    persons = search_persons(user, text, limit=limit)
    if not persons:
        return []
    return list(scoped.filter(victims__person__in=persons).distinct()[:limit])


def team_caseload(user: User) -> list[Any]:
    """Per case worker of the supervisor's agencies: open cases, waiting for approval, with an
    overdue task, and the oldest open case's date (one query)."""
    today = timezone.localdate()
    return list(
        Case.objects.filter(owner_agency_id__in=_approver_agencies(user))
        .exclude(stage=Stage.CLOSED)
        .values(
            "assigned_to_id",
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
        )
        .annotate(
            open=Count("id", distinct=True),
            waiting_approval=Count("id", filter=Q(stage__in=APPROVAL_STAGES), distinct=True),
            overdue=Count(
                "id",
                filter=Q(plan_items__done_at__isnull=True, plan_items__due_on__lt=today)
                & (Q(plan_items__is_task=True) | Q(plan_approved_at__isnull=False)),
                distinct=True,
            ),
            oldest=Min("opened_at"),
        )
        .order_by("assigned_to__username")
    )


def awaiting_approval(user: User) -> QuerySet[Case]:
    return case_list(user, CaseFilters(waiting="approval"))


@dataclass(frozen=True)
class TaskFilters:
    overdue: bool = False
    assignee: str = ""  # "" any, "me", "none" or a user id
    done: bool = False  # done tasks instead of open ones

    @classmethod
    def from_query(cls, data: Any) -> "TaskFilters":
        assignee = data.get("assignee", "")
        if assignee not in ("", "me", "none") and not assignee.isdigit():
            assignee = ""
        return cls(
            overdue=data.get("overdue") == "1", assignee=assignee, done=data.get("done") == "1"
        )


def task_list(user: User, filters: TaskFilters | None = None) -> QuerySet[PlanItem]:
    """Tasks (plan rows and tasks created ad hoc) of the cases in scope: for a supervisor every
    task of the agency's cases, for others the tasks of their agencies or assigned to them.
    Oldest due first; joined, so a page costs the same however long the list."""
    f = filters or TaskFilters()
    mine = Q(assigned_to=user) | Q(responsible_agency_id__in=acting_agency_ids(user))
    owned = Q(case__owner_agency_id__in=_approver_agencies(user))
    qs = (
        PlanItem.objects.filter(case__in=cases_for(user).values("pk"))
        .filter(ACTIVE_TASKS)
        .filter(mine | owned)
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case", "responsible_agency", "assigned_to")
    )
    qs = qs.filter(done_at__isnull=not f.done)
    if f.overdue:
        qs = qs.filter(done_at__isnull=True, due_on__lt=timezone.localdate())
    if f.assignee == "me":
        qs = qs.filter(assigned_to=user)
    elif f.assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif f.assignee:
        qs = qs.filter(assigned_to_id=int(f.assignee))
    return qs.order_by("-done_at" if f.done else "due_on", "id")


def my_tasks(user: User) -> QuerySet[PlanItem]:
    """Open tasks of cases in scope that the user's agencies are responsible for or that are
    assigned to the user."""
    return task_list(user)


def task_title(task: PlanItem) -> str:
    """A task's words: the service of a plan row, the sealed title of an ad hoc task."""
    if task.is_task:
        return open_task_title(task)
    return str(task.get_service_display()) if task.service else "—"


def get_task_for(
    user: User, case: Case, task_id: int, *, request: HttpRequest | None = None
) -> PlanItem:
    scoped = PlanItem.objects.filter(case=case).select_related("case", "responsible_agency")
    return get_in_scope(user, scoped, task_id, action="case.task_access", request=request)


def get_event_for(
    user: User, case: Case, event_id: int, *, request: HttpRequest | None = None
) -> TraffickingEvent:
    scoped = TraffickingEvent.objects.filter(case=case).select_related("region")
    return get_in_scope(user, scoped, event_id, action="case.event_access", request=request)


def task_assignees(agency_id: int) -> list[User]:
    """People of an agency who can take a task (a role that edits records there)."""
    edit_roles = [r for r in Role if Perm.EDIT_RECORDS in policy(r).perms]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=agency_id,
            memberships__is_active=True,
            memberships__role__in=edit_roles,
        )
        .distinct()
        .order_by("username")
    )


def waiting_work(user: User) -> list[WaitingWork]:
    """The case work waiting for this user, each linking to the list of exactly those records:
    approvals and cases without a worker (supervisors), steps returned to the worker, overdue
    tasks (roles that carry tasks). Nothing for roles that never work cases."""
    principal = principal_for(user)
    roles = set(principal.roles)
    items: list[WaitingWork] = []
    if principal.has_perm(Perm.APPROVE_CASES):
        approvals = case_list(user, CaseFilters(waiting="approval")).count()
        items.append(
            WaitingWork(
                "cases.awaiting_approval",
                gettext_lazy("Steps waiting for your approval"),
                approvals,
                reverse("cases:list") + "?waiting=approval",
            )
        )
        unassigned = (
            Case.objects.filter(
                owner_agency_id__in=_approver_agencies(user), assigned_to__isnull=True
            )
            .exclude(stage=Stage.CLOSED)
            .count()
        )
        items.append(
            WaitingWork(
                "cases.unassigned",
                gettext_lazy("Cases without a case worker"),
                unassigned,
                reverse("cases:list") + "?worker=none",
                urgent=unassigned > 0,
            )
        )
    if roles & CASE_WORKING_ROLES:
        returned = case_list(user, CaseFilters(waiting="returned", worker="me")).count()
        items.append(
            WaitingWork(
                "cases.returned",
                gettext_lazy("Steps returned to you for changes"),
                returned,
                reverse("cases:list") + "?waiting=returned&worker=me",
                urgent=returned > 0,
            )
        )
    if roles & TASK_ROLES:
        overdue = task_list(user, TaskFilters(overdue=True)).count()
        items.append(
            WaitingWork(
                "cases.overdue_tasks",
                gettext_lazy("Overdue tasks"),
                overdue,
                reverse("cases:tasks") + "?overdue=1",
                urgent=overdue > 0,
            )
        )
    return items


# Roles whose own cases come back from a supervisor, and roles that carry tasks of cases
# (their own agency's or received by referral).
CASE_WORKING_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR})
TASK_ROLES = frozenset(
    {
        Role.CASE_WORKER,
        Role.CASE_SUPERVISOR,
        Role.SHELTER_OFFICER,
        Role.POLICE_INVESTIGATOR,
        Role.PROSECUTOR,
    }
)


def visible_sections(user: User, case: Case) -> set[str]:
    """All sections for the owner side; for a receiving agency only what the referral shares."""
    principal = principal_for(user)
    agency_ids = {g.agency_id for g in principal.grants}
    if case.owner_agency_id in agency_ids or case.assigned_to_id == user.pk:
        return set(Section.values)
    sections: set[str] = set()
    for r in Referral.objects.filter(
        case=case, to_agency_id__in=agency_ids, status=ReferralStatus.ACCEPTED
    ):
        sections.update(r.sections)
    return sections


def sealed(case: Case, field: str) -> str:
    return open_case_text(case, field)
