"""Reads of agencies and accounts, scoped to the administrator asking."""

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from simpul.accounts.models import Agency, EnrolmentToken, Membership, RoleChangeNotice, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import APPOINTS, Perm, Role, roles_for_agency_type
from simpul.regions.models import Region

NOTICE_DAYS = 30
# Session flag: the signed-in user has form drafts kept from a session that ran out.
DRAFTS_WAITING = "simpul_drafts_waiting"


def session_draft_aad(user_id: int, path: str) -> str:
    return f"accounts.sessiondraft.fields_sealed:{user_id}:{path}"


def acting_agency_ids(user: User, perm: Perm = Perm.EDIT_RECORDS) -> list[int]:
    """The agencies `user` acts for with `perm` (by default: records for): active memberships
    at active agencies, through the role's policy (`principal_for`; a role its holder granted
    themselves counts for nothing), in membership order, each agency once."""
    return list(dict.fromkeys(g.agency_id for g in principal_for(user).grants_with(perm)))


def acts_for(user: User, agency_id: int | None, perm: Perm = Perm.EDIT_RECORDS) -> bool:
    """True when `user` acts for this agency with `perm`."""
    return agency_id is not None and agency_id in acting_agency_ids(user, perm)


def acting_agency(
    user: User, perm: Perm = Perm.EDIT_RECORDS, *, agency_types: Iterable[str] = ()
) -> Agency | None:
    """The one agency `user` acts for: the first of `acting_agency_ids` (with `agency_types`,
    the first of one of those types), or None when there is none."""
    ids = acting_agency_ids(user, perm)
    if not ids:
        return None
    agencies = Agency.objects.filter(pk__in=ids, is_active=True)
    types = frozenset(agency_types)
    if types:
        agencies = agencies.filter(agency_type__in=types)
    found = {a.pk: a for a in agencies}
    return next((found[i] for i in ids if i in found), None)


def require_acting_agency(
    user: User,
    perm: Perm = Perm.EDIT_RECORDS,
    *,
    agency_types: Iterable[str] = (),
    refusal: str = "",
) -> Agency:
    """`acting_agency`, or PermissionDenied (with `refusal` as its message) when none."""
    agency = acting_agency(user, perm, agency_types=agency_types)
    if agency is None:
        raise PermissionDenied(refusal) if refusal else PermissionDenied()
    return agency


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


def roles_appointable_by(admin: User, agency: Agency) -> frozenset[Role]:
    """The roles `admin` may give or restore at `agency` (see `roles.APPOINTS`)."""
    allowed: set[Role] = set()
    for grant in principal_for(admin).grants:
        if grant.role == Role.SYSTEM_ADMIN or (
            grant.role == Role.AGENCY_ADMIN and grant.agency_id == agency.id
        ):
            allowed |= APPOINTS[grant.role]
    return frozenset(allowed)


def roles_offered(admin: User, agency: Agency) -> frozenset[Role]:
    """The roles the member form offers: those `admin` may give at `agency` and that this type
    of agency has (`roles.ROLES_BY_AGENCY_TYPE`; the action checks both again)."""
    return roles_appointable_by(admin, agency) & roles_for_agency_type(agency.agency_type)


def filter_agencies(
    agencies: QuerySet[Agency],
    *,
    agency_type: str = "",
    region: Region | None = None,
    text: str = "",
    active: str = "",
) -> QuerySet[Agency]:
    """The agency list's filters: type, jurisdiction inside a region's subtree, name search,
    active or not."""
    if agency_type:
        agencies = agencies.filter(agency_type=agency_type)
    if region is not None:
        agencies = agencies.filter(Region.subtree_filter("jurisdiction__code", region.code))
    text = text.strip()
    if text:
        agencies = agencies.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    if active == "yes":
        agencies = agencies.filter(is_active=True)
    elif active == "no":
        agencies = agencies.filter(is_active=False)
    return agencies.select_related("parent")


def member_for_admin(admin: User, membership_id: int) -> Membership | None:
    """A membership of an agency `admin` administers (None otherwise, shown as not found)."""
    return (
        Membership.objects.select_related("user", "agency")
        .filter(pk=membership_id, agency__in=agencies_for_admin(admin).values("pk"))
        .first()
    )


def enrolment_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def usable_enrolment(token_hash: str) -> EnrolmentToken | None:
    """The unused, unexpired enrolment link with this hash, if any."""
    return (
        EnrolmentToken.objects.select_related("user")
        .filter(token_hash=token_hash, used_at__isnull=True, expires_at__gt=timezone.now())
        .filter(user__is_active=True)
        .first()
    )


def role_notices_for(user: User) -> tuple[list[RoleChangeNotice], list[RoleChangeNotice]]:
    """Recent changes to the user's own roles, and to the roles of the agencies the user
    supervises or administers."""
    since = timezone.now() - timedelta(days=NOTICE_DAYS)
    recent = RoleChangeNotice.objects.filter(created_at__gte=since).select_related(
        "user", "agency", "changed_by"
    )
    own = list(recent.filter(user=user)[:10])
    overseen = {
        g.agency_id
        for g in principal_for(user).grants
        if g.role in (Role.CASE_SUPERVISOR, Role.AGENCY_ADMIN)
    }
    agency = list(recent.filter(agency_id__in=overseen)[:20]) if overseen else []
    return own, agency
