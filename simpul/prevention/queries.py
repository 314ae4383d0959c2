"""Every scoped read of prevention data.

Outreach data holds no identities and is read with the aggregate or outreach permission. Which
rows a user reaches is decided in `simpul.core.scoping.reach_q`, following each role's scope:
the rows of the user's agencies, and, for roles that reach their area (village officers, task
forces, analysts), the rows whose village lies in the agency's jurisdiction subtree. A case
supervisor (agency scope) reaches its own agency's rows only. An agency without a jurisdiction
reaches only its own rows (never the whole country).

Views read prevention models only through this module (tests/test_architecture.py).
"""

from __future__ import annotations

import uuid

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import HttpRequest

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import Grant, principal_for
from simpul.accounts.roles import Perm
from simpul.core.scoping import get_in_scope, reach_q
from simpul.prevention import permissions
from simpul.prevention.models import (
    EventQuestion,
    OutreachEvent,
    Participant,
    ParticipantCount,
    RaisedIssue,
    RiskIndicator,
    VillageIndicator,
    Volunteer,
    VolunteerReport,
    VolunteerTraining,
)
from simpul.regions import codes as region_codes
from simpul.regions.models import Region

_NOTHING = Q(pk__in=[])


Perms = tuple[Perm, ...]


def grants_for(user: User, perms: Perms) -> list[Grant]:
    """The user's memberships whose role holds any of `perms`."""
    return [g for g in principal_for(user).grants if any(p in g.perms for p in perms)]


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


def events_with_counts(user: User, perms: Perms = permissions.READ) -> QuerySet[OutreachEvent]:
    """The user's events with `people` (participants counted) and `tested` (participants with
    a test code), as subqueries so the two counts do not multiply each other through joins."""
    return (
        events_for(user, perms)
        .select_related("village", "owner_agency")
        .annotate(
            people=Subquery(
                ParticipantCount.objects.filter(event=OuterRef("pk"))
                .order_by()
                .values("event")
                .annotate(n=Sum("count"))
                .values("n")[:1]
            ),
            tested=Subquery(
                Participant.objects.filter(event=OuterRef("pk"))
                .order_by()
                .values("event")
                .annotate(n=Count("id"))
                .values("n")[:1]
            ),
        )
    )


def participants_total(events: QuerySet[OutreachEvent]) -> int:
    """People counted at `events` (a scoped queryset from `events_for`)."""
    total = ParticipantCount.objects.filter(event__in=events).aggregate(n=Sum("count"))["n"]
    return int(total or 0)


def volunteer_reports_for(user: User, perms: Perms = permissions.READ) -> QuerySet[VolunteerReport]:
    return VolunteerReport.objects.filter(volunteer__in=volunteers_for(user, perms))


def event_questions(event: OutreachEvent) -> QuerySet[EventQuestion]:
    """The test questions of an event the caller already holds in scope (`get_event_for`, or
    the open phone test's token), in test order."""
    return EventQuestion.objects.filter(event=event).select_related("question").order_by("position")


def issues_of(event: OutreachEvent) -> QuerySet[RaisedIssue]:
    """The issues raised at an event the caller already holds in scope."""
    return RaisedIssue.objects.filter(event=event)


def risk_indicators() -> QuerySet[RiskIndicator]:
    """The indicators of the vulnerability score (configuration, not protected)."""
    return RiskIndicator.objects.all()


def _in_jurisdictions(user: User, field: str) -> Q:
    q = _NOTHING
    for code in jurisdiction_codes(user):
        q |= Region.subtree_filter(field, code)
    return q


def indicator_values_count(user: User) -> int:
    """Village indicator values stored for villages in the user's jurisdictions."""
    return VillageIndicator.objects.filter(_in_jurisdictions(user, "region__code")).count()


def coverage_villages(user: User, area: Region, *, limit: int = 3000) -> list[Region]:
    """The villages of `area` to show on the coverage page. A wide area (province, regency)
    lists only villages with something to show: indicator values, or outreach the user reaches
    (another agency's events outside the user's reach never list a village)."""
    villages = villages_for_area(area)
    if area.level in (Region.Level.PROVINCE, Region.Level.REGENCY):
        with_data = Q(code__in=VillageIndicator.objects.values("region_id")) | Q(
            code__in=events_for(user).values("village_id")
        )
        villages = villages.filter(with_data)
    return list(villages.select_related("parent").order_by("code")[:limit])
