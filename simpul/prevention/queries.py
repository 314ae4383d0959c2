"""Every scoped read of prevention data.

Outreach data holds no identities and is read with the aggregate permission, which carries no
record scope in `simpul.core.scoping` (Scope.NONE). So prevention scopes by the **agency's
jurisdiction** itself: for each of the user's memberships whose role holds the permission, the
user reaches

* the rows owned by that agency, and
* the rows whose village lies in the agency's jurisdiction subtree
  (`Region.subtree_filter(<village field>, jurisdiction)`).

An agency without a jurisdiction reaches only its own rows (never the whole country), as in
`simpul.core.scoping`.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import Grant, principal_for
from simpul.accounts.roles import Perm
from simpul.core.scoping import get_in_scope
from simpul.prevention import permissions
from simpul.prevention.models import OutreachEvent, Volunteer, VolunteerTraining
from simpul.regions import codes as region_codes
from simpul.regions.models import Region

_NOTHING = Q(pk__in=[])


Perms = tuple[Perm, ...]


def grants_for(user: User, perms: Perms) -> list[Grant]:
    """The user's memberships whose role holds any of `perms`."""
    return [g for g in principal_for(user).grants if any(p in g.perms for p in perms)]


def reach_q(
    user: User, perms: Perms, *, region_field: str, agency_field: str = "owner_agency_id"
) -> Q:
    """Rows of the user's agencies, or located (`region_field`, a region code path such as
    "village__code") in one of their jurisdictions."""
    q = _NOTHING
    for grant in grants_for(user, perms):
        q |= Q(**{agency_field: grant.agency_id})
        if grant.jurisdiction_code:
            q |= Region.subtree_filter(region_field, grant.jurisdiction_code)
    return q


def jurisdiction_codes(user: User, perms: Perms = permissions.READ) -> list[str]:
    """The region codes the user's agencies cover with `perms`, widest first, no duplicates."""
    found = sorted({g.jurisdiction_code for g in grants_for(user, perms) if g.jurisdiction_code})
    # Drop a code already inside another one.
    return [c for c in found if not any(region_codes.is_ancestor_code(o, c) for o in found)]


def managing_agencies(user: User) -> list[Agency]:
    """The agencies the user may record prevention data for."""
    ids = [g.agency_id for g in grants_for(user, permissions.WRITE)]
    by_id = {a.id: a for a in Agency.objects.filter(id__in=ids, is_active=True)}
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def events_for(user: User, perms: Perms = permissions.READ) -> QuerySet[OutreachEvent]:
    return OutreachEvent.objects.filter(reach_q(user, perms, region_field="village__code"))


def get_event_for(
    user: User,
    event_id: uuid.UUID | str,
    *,
    perms: Perms = permissions.READ,
    request: HttpRequest | None = None,
) -> OutreachEvent:
    """The event, or Http404 for both missing and out-of-reach (the latter audited)."""
    scoped = events_for(user, perms).select_related("village", "owner_agency")
    return get_in_scope(user, scoped, event_id, action="prevention.event.access", request=request)


def volunteers_for(user: User, perms: Perms = permissions.READ) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(reach_q(user, perms, region_field="village__code"))


def get_volunteer_for(
    user: User,
    volunteer_id: uuid.UUID | str,
    *,
    perms: Perms = permissions.READ,
    request: HttpRequest | None = None,
) -> Volunteer:
    scoped = volunteers_for(user, perms).select_related("village")
    return get_in_scope(
        user, scoped, volunteer_id, action="prevention.volunteer.access", request=request
    )


def trainings_for(user: User, perms: Perms = permissions.READ) -> QuerySet[VolunteerTraining]:
    """Trainings the user's agencies held, or attended by volunteers the user reaches."""
    return VolunteerTraining.objects.filter(
        Q(owner_agency_id__in=[g.agency_id for g in grants_for(user, perms)])
        | Q(volunteers__in=volunteers_for(user, perms))
    ).distinct()


def area_choices(user: User) -> list[Region]:
    """Areas the user can look at: each jurisdiction, its regencies and its districts."""
    roots = jurisdiction_codes(user)
    if not roots:
        return []
    q = _NOTHING
    for code in roots:
        q |= Region.subtree_filter("code", code)
    return list(Region.objects.filter(q).exclude(level=Region.Level.VILLAGE).order_by("code"))


def villages_for_area(area: Region) -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.VILLAGE).filter(
        Region.subtree_filter("code", area.code)
    )
