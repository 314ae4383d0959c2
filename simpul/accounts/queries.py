"""Reads of agencies and accounts, scoped to the administrator asking."""

from django.db.models import Prefetch, QuerySet

from simpul.accounts.models import Agency, Membership, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm


def agencies_for_admin(user: User) -> QuerySet[Agency]:
    principal = principal_for(user)
    if principal.has_perm(Perm.MANAGE_AGENCIES):
        agencies = Agency.objects.all()
    else:
        ids = {g.agency_id for g in principal.grants_with(Perm.MANAGE_AGENCY_USERS)}
        agencies = Agency.objects.filter(id__in=ids)
    members = Membership.objects.select_related("user").order_by("user__username", "role")
    return agencies.select_related("jurisdiction").prefetch_related(
        Prefetch("memberships", queryset=members)
    )


def case_workers_of(agency_id: int) -> list[User]:
    """Active users who can be assigned a case at this agency."""
    from simpul.accounts.roles import Role

    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency_id=agency_id,
            memberships__is_active=True,
            memberships__role__in=[Role.CASE_WORKER, Role.CASE_SUPERVISOR],
        )
        .distinct()
        .order_by("username")
    )
