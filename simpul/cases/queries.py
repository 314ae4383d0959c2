"""Every read of cases, scoped by `simpul.core.scoping`."""

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.cases.models import Case, PlanItem, Stage
from simpul.core.scoping import get_in_scope, visible_to
from simpul.identity.crypto import open_text
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


def my_cases(user: User) -> QuerySet[Case]:
    return (
        cases_for(user)
        .filter(assigned_to=user)
        .exclude(stage=Stage.CLOSED)
        .select_related("owner_agency", "scope_region")
    )


def search_cases(user: User, text: str, *, limit: int = 50) -> list[Case]:
    """By case code, or by a victim's name, NIK, passport or phone, within scope."""
    text = text.strip()
    if not text:
        return []
    scoped = cases_for(user).select_related("owner_agency", "scope_region")
    by_code = list(scoped.filter(code=text.upper())[:limit])  # codes are stored upper-case
    if by_code:
        return by_code
    persons = search_persons(user, text, limit=limit)
    if not persons:
        return []
    return list(scoped.filter(victims__person__in=persons).distinct()[:limit])


def team_caseload(user: User) -> list[Any]:
    agency_ids = {g.agency_id for g in principal_for(user).grants_with(Perm.APPROVE_CASES)}
    return list(
        Case.objects.filter(owner_agency_id__in=agency_ids)
        .exclude(stage=Stage.CLOSED)
        .values("assigned_to__username", "assigned_to__first_name", "assigned_to__last_name")
        .annotate(
            open=Count("id"),
            waiting_approval=Count(
                "id",
                filter=Q(
                    stage__in=[
                        Stage.ASSESSMENT_SUBMITTED,
                        Stage.PLAN_SUBMITTED,
                        Stage.CLOSURE_REQUESTED,
                    ]
                ),
            ),
        )
        .order_by("assigned_to__username")
    )


def awaiting_approval(user: User) -> QuerySet[Case]:
    agency_ids = {g.agency_id for g in principal_for(user).grants_with(Perm.APPROVE_CASES)}
    return Case.objects.filter(
        owner_agency_id__in=agency_ids,
        stage__in=[Stage.ASSESSMENT_SUBMITTED, Stage.PLAN_SUBMITTED, Stage.CLOSURE_REQUESTED],
    ).select_related("assigned_to")


def my_tasks(user: User) -> QuerySet[PlanItem]:
    """Open plan items of cases in scope that the user's agencies are responsible for."""
    agency_ids = {g.agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)}
    return (
        PlanItem.objects.filter(
            case__in=cases_for(user), responsible_agency_id__in=agency_ids, done_at__isnull=True
        )
        .exclude(case__stage=Stage.CLOSED)
        .select_related("case", "responsible_agency")
        .order_by("due_on")
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
    from simpul.cases.actions import case_aad

    return open_text(getattr(case, f"{field}_sealed"), case_aad(case.id, field))
