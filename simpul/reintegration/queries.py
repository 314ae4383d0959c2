"""Every read of the reintegration app. A plan is part of its case: whoever sees the case on
the owner side (`cases.queries.cases_for`, without referrals) sees its reintegration plan."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.cases.models import Case
from simpul.cases.queries import cases_for, owner_side
from simpul.core.scoping import get_in_scope
from simpul.core.work import WaitingWork
from simpul.reintegration.choices import Band, PlanStatus
from simpul.reintegration.instrument import text
from simpul.reintegration.models import Goal, Instrument, PlanService, ReintegrationPlan, Visit
from simpul.reintegration.scoring import band
from simpul.reintegration.sealing import goal_text, return_reason

WORKER_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR})


# --- Plans ------------------------------------------------------------------------------


def plans_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[ReintegrationPlan]:
    cases = cases_for(user, perm, include_referrals=False)
    return ReintegrationPlan.objects.filter(case__in=cases.values("pk"))


def get_plan_for(
    user: User,
    plan_id: int | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> ReintegrationPlan:
    scoped = plans_for(user, perm).select_related("case", "person", "instrument", "approved_by")
    return get_in_scope(user, scoped, plan_id, action="reintegration.plan.access", request=request)


def case_for_new_plan(
    user: User, case_id: uuid.UUID | str, request: HttpRequest | None = None
) -> Case:
    """The case a plan is written for: on the owner side, with edit rights."""
    scoped = cases_for(user, Perm.EDIT_RECORDS, include_referrals=False)
    return get_in_scope(user, scoped, case_id, action="case.access", request=request)


def plans_of_case(user: User, case: Case) -> QuerySet[ReintegrationPlan]:
    return plans_for(user).filter(case=case).select_related("person").order_by("-created_at")


def case_victims(case: Case) -> list[Any]:
    return [v.person for v in case.victims.select_related("person").order_by("person__code")]


def may_edit(user: User, plan: ReintegrationPlan) -> bool:
    return owner_side(user, plan.case)


def may_approve(user: User, plan: ReintegrationPlan) -> bool:
    grants = principal_for(user).grants_with(Perm.APPROVE_CASES)
    return any(g.agency_id == plan.case.owner_agency_id for g in grants)


@dataclass(frozen=True)
class PlanFilters:
    status: str = "open"  # "open" (not closed), "all" or a PlanStatus
    waiting: str = ""  # "" or "approval"

    @classmethod
    def from_query(cls, data: Any) -> "PlanFilters":
        status = data.get("status", "open")
        if status not in [*PlanStatus.values, "open", "all"]:
            status = "open"
        waiting = data.get("waiting", "")
        return cls(status=status, waiting=waiting if waiting == "approval" else "")


def plan_list(user: User, filters: PlanFilters | None = None) -> QuerySet[ReintegrationPlan]:
    f = filters or PlanFilters()
    qs = plans_for(user)
    if f.status == "open":
        qs = qs.exclude(status=PlanStatus.CLOSED)
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    if f.waiting == "approval":
        agencies = {g.agency_id for g in principal_for(user).grants_with(Perm.APPROVE_CASES)}
        qs = qs.filter(status=PlanStatus.SUBMITTED, case__owner_agency_id__in=agencies)
    return qs.select_related("case", "person").order_by("-created_at", "-pk")


def goals_of(plan: ReintegrationPlan) -> list[tuple[Goal, str, list[PlanService]]]:
    """The plan's goals with their opened texts and their services (two queries)."""
    goals = list(plan.goals.select_related("responsible_agency").prefetch_related("services"))
    return [(g, goal_text(g), list(g.services.all())) for g in goals]


def plan_return_reason(plan: ReintegrationPlan) -> str:
    return return_reason(plan)


# --- Instruments and visits -----------------------------------------------------------


def current_instrument(code: str | None = None) -> Instrument | None:
    """The newest version of the configured instrument: what a new plan is scored with."""
    return (
        Instrument.objects.filter(code=code or settings.REINTEGRATION_INSTRUMENT)
        .order_by("-version")
        .first()
    )


def visits_of(plan: ReintegrationPlan) -> list[Visit]:
    return list(plan.visits.select_related("instrument", "review_task").order_by("month"))


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    # (dimension name in the reader's language, score, band label)
    dimensions: list[tuple[str, str, str]]
    band: str


def visit_rows(plan: ReintegrationPlan) -> list[VisitRow]:
    """The plan's visits with their dimension scores named and banded by their own instrument
    version."""
    language = translation.get_language() or "en"
    rows = []
    for v in visits_of(plan):
        data = v.instrument.data
        dims = []
        if v.done_on is not None:
            for d in data["dimensions"]:
                value = v.scores["dimensions"][d["key"]]
                dims.append((text(d, "label", language), value, str(Band(band(data, value)).label)))
        rows.append(
            VisitRow(
                v,
                dims,
                str(Band(band(data, v.scores["composite"])).label) if v.done_on else "",
            )
        )
    return rows


def get_visit_for(
    user: User, plan: ReintegrationPlan, visit_id: int, request: HttpRequest | None = None
) -> Visit:
    scoped = Visit.objects.filter(plan=plan).select_related("instrument", "plan")
    return get_in_scope(
        user, scoped, visit_id, action="reintegration.visit.access", request=request
    )


def previous_scored(visit: Visit) -> Visit | None:
    return (
        Visit.objects.filter(plan_id=visit.plan_id, month__lt=visit.month, done_on__isnull=False)
        .order_by("-month")
        .first()
    )


def overdue_visits(user: User) -> QuerySet[Visit]:
    """Visits not yet made, more than the configured grace days past their due date, of the
    open plans the user sees: the oldest first."""
    cutoff = timezone.localdate() - timedelta(days=settings.REINTEGRATION_OVERDUE_DAYS)
    return (
        Visit.objects.filter(
            plan__in=plans_for(user).exclude(status=PlanStatus.CLOSED).values("pk"),
            done_on__isnull=True,
            due_on__lt=cutoff,
        )
        .select_related("plan", "plan__case", "plan__person")
        .order_by("due_on", "pk")
    )


def waiting_work(user: User) -> list[WaitingWork]:
    """Case workers and supervisors: overdue monitoring visits; supervisors also plans waiting
    for approval."""
    principal = principal_for(user)
    if not set(principal.roles) & WORKER_ROLES:
        return []
    items = []
    if principal.has_perm(Perm.APPROVE_CASES):
        approvals = plan_list(user, PlanFilters(waiting="approval")).count()
        items.append(
            WaitingWork(
                "reintegration.awaiting_approval",
                gettext_lazy("Reintegration plans waiting for your approval"),
                approvals,
                reverse("reintegration:list") + "?waiting=approval",
            )
        )
    overdue = overdue_visits(user).count()
    items.append(
        WaitingWork(
            "reintegration.overdue_visits",
            gettext_lazy("Reintegration visits overdue"),
            overdue,
            reverse("reintegration:overdue"),
            urgent=overdue > 0,
        )
    )
    return items


def goal_of(plan: ReintegrationPlan, goal_id: int) -> Goal:
    return get_object_or_404(Goal.objects.select_related("plan"), pk=goal_id, plan=plan)


def service_of(plan: ReintegrationPlan, service_id: int) -> PlanService:
    return get_object_or_404(
        PlanService.objects.select_related("goal__plan"), pk=service_id, goal__plan=plan
    )


def plan_status_for_victim(case_id: Any, person_id: Any) -> str | None:
    """The status of the victim's newest plan beyond a draft (unscoped, for the victim's own
    status page): a submitted or approved plan means planning, an active one means home."""
    return (
        ReintegrationPlan.objects.filter(case_id=case_id, person_id=person_id)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("-created_at", "-pk")
        .values_list("status", flat=True)
        .first()
    )


def visits_for_victim(case_id: Any, person_id: Any) -> list[tuple[int, date, date | None]]:
    """(month, due, visited on) of the reintegration visits of one victim's approved or active
    plan, unscoped: for the victim's own status page (opened with the case code and secret).
    Scores and answers are not part of it."""
    plan = (
        ReintegrationPlan.objects.filter(
            case_id=case_id,
            person_id=person_id,
            status__in=[PlanStatus.APPROVED, PlanStatus.ACTIVE],
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if plan is None:
        return []
    return list(plan.visits.order_by("month").values_list("month", "due_on", "done_on"))
