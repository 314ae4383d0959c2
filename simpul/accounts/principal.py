"""What one signed-in user may do right now, computed fresh from the database per request.

Nothing about roles is cached in the session, so removing a role or a membership takes effect
on the user's next request (security.md AC-07).
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from simpul.accounts.models import Membership
from simpul.accounts.roles import (
    ADMIN_ROLES,
    Perm,
    Role,
    Scope,
    policy,
    requires_two_factor,
)


@dataclass(frozen=True)
class Grant:
    """One active membership seen through its role's policy."""

    agency_id: int
    agency_name: str
    jurisdiction_code: str | None
    role: Role
    scope: Scope
    perms: frozenset[Perm]


class Principal:
    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def grants(self) -> tuple[Grant, ...]:
        if not self.user.is_authenticated or not self.user.is_active:
            return ()
        memberships = (
            Membership.objects.filter(user=self.user, is_active=True, agency__is_active=True)
            .select_related("agency")
            .order_by("id")
        )
        # A role its holder granted themselves grants nothing; and a system administrator never
        # holds a role that sees case data, however the membership came to exist.
        kept = [m for m in memberships if m.granted_by_id != self.user.pk]
        if any(m.role == Role.SYSTEM_ADMIN for m in kept):
            kept = [m for m in kept if m.role in ADMIN_ROLES]
        result = []
        for m in kept:
            p = policy(m.role)
            result.append(
                Grant(
                    agency_id=m.agency_id,
                    agency_name=m.agency.name,
                    jurisdiction_code=m.agency.jurisdiction_id,
                    role=Role(m.role),
                    scope=p.scope,
                    perms=p.perms,
                )
            )
        return tuple(result)

    @property
    def has_role(self) -> bool:
        return bool(self.grants)

    @property
    def roles(self) -> list[Role]:
        return [g.role for g in self.grants]

    @property
    def primary_agency_id(self) -> int | None:
        return self.grants[0].agency_id if self.grants else None

    def has_perm(self, perm: Perm) -> bool:
        return any(perm in g.perms for g in self.grants)

    def grants_with(self, perm: Perm) -> list[Grant]:
        return [g for g in self.grants if perm in g.perms]

    @property
    def needs_two_factor(self) -> bool:
        return any(requires_two_factor(g.role) for g in self.grants)


def principal_for(user: Any) -> Principal:
    """The user's principal, memoised on the user object for the rest of this request."""
    cached = getattr(user, "_simpul_principal", None)
    if cached is None:
        cached = Principal(user)
        user._simpul_principal = cached
    return cached


def two_factor_verified(user: object) -> bool:
    """True when this request's user passed a second factor (django-otp sets is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False
