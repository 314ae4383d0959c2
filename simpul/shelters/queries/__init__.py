"""Every read of the shelters app, scoped: the registry, stays, the board, occupancy.

The registry (name, type, regency, beds) is not personal data: every role that sees records or
statistics reads it. The address is sealed and opened only for the operating agency's members
and system administrators (`may_see_address`), by a view that audits the reveal. Stays are
protected records: `stays_for` starts from `core.scoping` (grants, agency and national scopes)
and adds the stays of the shelters the user's own agency operates, which is how a shelter
officer (scope "assigned") sees the residents of their shelter.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.cases.codes import Service
from simpul.core.scoping import get_in_scope, scope_q
from simpul.core.work import WaitingWork
from simpul.identity.crypto import open_text
from simpul.referrals.models import Referral, ReferralStatus
from simpul.referrals.queries import ReferralFilters, referral_list
from simpul.shelters.codes import (
    OPEN_STATUSES,
    RESIDENT_STATUSES,
    StayStatus,
)
from simpul.shelters.models import (
    BedInventory,
    CustodyDocument,
    MovementRestriction,
    Shelter,
    Stay,
)
from simpul.shelters.queries.occupancy import (
    UTILISATION_HIGH,
    UTILISATION_LOW,
    OccupancyRow,
    day_figures,
    day_figures_of_all,
    in_province,
    inventory_on,
    occupancy_report,
    percentile,
    provinces_with_shelters,
    residents_per_year,
)
from simpul.shelters.sealing import aad

__all__ = [
    "UTILISATION_HIGH",
    "UTILISATION_LOW",
    "OccupancyRow",
    "day_figures",
    "day_figures_of_all",
    "in_province",
    "inventory_on",
    "occupancy_report",
    "percentile",
    "provinces_with_shelters",
    "residents_per_year",
]

# A stay whose end or a restriction whose review falls within this many days is "due".
DUE_WITHIN_DAYS = 2
SHELTER_ROLES = frozenset({Role.SHELTER_OFFICER})


# --- The registry -------------------------------------------------------------------------


def may_see_registry(user: User) -> bool:
    p = principal_for(user)
    return any(
        p.has_perm(perm) for perm in (Perm.VIEW_RECORDS, Perm.VIEW_AGGREGATES, Perm.MANAGE_AGENCIES)
    )


def shelters_for(user: User) -> QuerySet[Shelter]:
    if not may_see_registry(user):
        return Shelter.objects.none()
    return Shelter.objects.select_related("operator_agency", "region")


def get_shelter_for(user: User, shelter_id: int) -> Shelter:
    """A shelter of the registry (not personal data: 404 only when missing or the user sees
    no registry at all)."""
    try:
        return shelters_for(user).get(pk=shelter_id)
    except (Shelter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def member_agencies(user: User, perm: Perm | None = None) -> set[int]:
    """The agencies where the user holds a role (with `perm`, when given)."""
    grants = principal_for(user).grants
    return {g.agency_id for g in grants if perm is None or perm in g.perms}


def may_manage(user: User, shelter: Shelter) -> bool:
    """Register, change beds, open and close: the operating agency's staff who edit records,
    or a system administrator."""
    if principal_for(user).has_perm(Perm.MANAGE_AGENCIES):
        return True
    return shelter.operator_agency_id in member_agencies(user, Perm.EDIT_RECORDS)


def may_see_address(user: User, shelter: Shelter) -> bool:
    """Only the operating agency's members and system administrators."""
    if principal_for(user).has_perm(Perm.MANAGE_AGENCIES):
        return True
    return shelter.operator_agency_id in member_agencies(user)


def open_address(shelter: Shelter) -> str:
    """The sealed address, for a caller that checked `may_see_address` and audits the reveal."""
    if not shelter.address_sealed:
        return ""
    return open_text(shelter.address_sealed, aad("shelter", "address", shelter.pk))


def residents_count(shelter: Shelter) -> int:
    return Stay.objects.filter(shelter=shelter, status__in=RESIDENT_STATUSES).count()


@dataclass(frozen=True)
class Beds:
    beds: int
    blocked: int
    occupied: int
    planned: int

    @property
    def usable(self) -> int:
        return max(self.beds - self.blocked, 0)

    @property
    def available(self) -> int:
        return max(self.usable - self.occupied, 0)


def beds_now(shelter: Shelter) -> Beds:
    inv = inventory_on(shelter, timezone.localdate())
    counts = Stay.objects.filter(shelter=shelter).aggregate(
        occupied=Count("id", filter=Q(status__in=RESIDENT_STATUSES)),
        planned=Count("id", filter=Q(status=StayStatus.PLANNED)),
    )
    return Beds(
        beds=inv.beds if inv else 0,
        blocked=inv.blocked if inv else 0,
        occupied=counts["occupied"],
        planned=counts["planned"],
    )


def beds_for(shelters: list[Shelter]) -> dict[int, Beds]:
    """`beds_now` for a page of shelters in two queries, however long the page."""
    today = timezone.localdate()
    ids = [s.pk for s in shelters]
    inventory = {
        i.shelter_id: i
        for i in BedInventory.objects.filter(shelter_id__in=ids, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("shelter_id", "valid_from")
    }
    counts: dict[int, dict[str, Any]] = {
        row["shelter_id"]: dict(row)
        for row in Stay.objects.filter(shelter_id__in=ids)
        .values("shelter_id")
        .annotate(
            occupied=Count("id", filter=Q(status__in=RESIDENT_STATUSES)),
            planned=Count("id", filter=Q(status=StayStatus.PLANNED)),
        )
    }
    result: dict[int, Beds] = {}
    for pk in ids:
        inv = inventory.get(pk)
        row = counts.get(pk, {})
        result[pk] = Beds(
            beds=inv.beds if inv else 0,
            blocked=inv.blocked if inv else 0,
            occupied=row.get("occupied", 0),
            planned=row.get("planned", 0),
        )
    return result


# --- Stays --------------------------------------------------------------------------------


def stays_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Stay]:
    """The role's scope (grants; agency, jurisdiction, national), plus, for a shelter officer,
    every stay of the shelters their agency operates."""
    q = scope_q(user, Stay, perm)
    own = {g.agency_id for g in principal_for(user).grants_with(perm) if g.role in SHELTER_ROLES}
    if own:
        q |= Q(owner_agency_id__in=own)
    return Stay.objects.filter(q)


def get_stay_for(
    user: User,
    stay_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Stay:
    scoped = stays_for(user, perm).select_related("shelter", "person", "case", "referral")
    return get_in_scope(user, scoped, stay_id, action="stay.access", request=request)


@dataclass(frozen=True)
class StayFilters:
    status: str = "here"  # "here" (checked in or absent), "open", "all" or a StayStatus
    shelter: int | None = None
    due: bool = False  # stay ends within DUE_WITHIN_DAYS
    documents: bool = False  # documents still held
    q: str = ""

    @classmethod
    def from_query(cls, data: Any) -> "StayFilters":
        status = data.get("status", "here")
        if status not in [*StayStatus.values, "here", "open", "all"]:
            status = "here"
        try:
            shelter = int(data.get("shelter", "")) if data.get("shelter") else None
        except ValueError:
            shelter = None
        return cls(
            status=status,
            shelter=shelter,
            due=data.get("due") == "1",
            documents=data.get("documents") == "1",
            q=" ".join(str(data.get("q", "")).split())[:40],
        )


def stay_list(user: User, filters: StayFilters | None = None) -> QuerySet[Stay]:
    f = filters or StayFilters()
    qs = stays_for(user)
    if f.status == "here":
        qs = qs.filter(status__in=RESIDENT_STATUSES)
    elif f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status != "all":
        qs = qs.filter(status=f.status)
    if f.shelter:
        qs = qs.filter(shelter_id=f.shelter)
    if f.due:
        qs = qs.filter(
            status__in=RESIDENT_STATUSES,
            stay_until__lte=timezone.localdate() + timedelta(days=DUE_WITHIN_DAYS),
        )
    if f.documents:
        qs = qs.filter(documents__returned_at__isnull=True).distinct()
    if f.q:
        qs = qs.filter(person__code__iexact=f.q)
    return qs.select_related("shelter", "person").order_by("checked_in_at", "created_at", "pk")


def documents_held(stay: Stay) -> QuerySet[CustodyDocument]:
    return stay.documents.filter(returned_at__isnull=True)


def restrictions_due(user: User) -> QuerySet[MovementRestriction]:
    soon = timezone.localdate() + timedelta(days=DUE_WITHIN_DAYS)
    return MovementRestriction.objects.filter(
        stay__in=stays_for(user).filter(status__in=RESIDENT_STATUSES),
        lifted_at__isnull=True,
        review_on__lte=soon,
    ).select_related("stay", "stay__person")


def held_after_checkout(user: User) -> QuerySet[CustodyDocument]:
    """Documents still held for a person who has left: each is a flag on the board."""
    return CustodyDocument.objects.filter(
        stay__in=stays_for(user).filter(status=StayStatus.CHECKED_OUT),
        returned_at__isnull=True,
    ).select_related("stay", "stay__person", "stay__shelter")


def admissions_waiting(user: User) -> QuerySet[Referral]:
    """Referrals for temporary shelter accepted by the user's agency that no stay answers yet
    (a cancelled stay does not answer one)."""
    answered = Stay.objects.filter(referral__isnull=False).exclude(status=StayStatus.CANCELLED)
    return (
        referral_list(user, ReferralFilters(direction="in", status=ReferralStatus.ACCEPTED))
        .filter(service=Service.SHELTER)
        .exclude(pk__in=answered.values("referral_id"))
    )


def get_admission_for(user: User, referral_id: object, request: HttpRequest | None) -> Referral:
    return get_in_scope(
        user, admissions_waiting(user), referral_id, action="referral.access", request=request
    )


def operated_shelters(user: User) -> QuerySet[Shelter]:
    return Shelter.objects.filter(operator_agency_id__in=member_agencies(user, Perm.EDIT_RECORDS))


def waiting_work(user: User) -> list[WaitingWork]:
    """The shelter officer's board, counted on the home page."""
    if not any(g.role in SHELTER_ROLES for g in principal_for(user).grants):
        return []
    url = reverse("shelters:board")
    stays = reverse("shelters:stay_list")
    here = stay_list(user, StayFilters(status="here")).count()
    due = (
        stay_list(user, StayFilters(status="here", due=True)).count()
        + restrictions_due(user).count()
    )
    held = held_after_checkout(user).count()
    waiting = admissions_waiting(user).count()
    return [
        WaitingWork(
            "shelters.admissions_waiting",
            gettext_lazy("Admissions waiting"),
            waiting,
            url + "#admissions",
        ),
        WaitingWork(
            "shelters.reviews_due",
            gettext_lazy("Stay reviews and extensions due"),
            due,
            url + "#due",
            urgent=due > 0,
        ),
        WaitingWork(
            "shelters.documents_after_exit",
            gettext_lazy("Documents still held after check-out"),
            held,
            url + "#documents",
            urgent=held > 0,
        ),
        WaitingWork(
            "shelters.residents", gettext_lazy("Residents here now"), here, stays + "?status=here"
        ),
    ]


def admissions(
    since: datetime | None = None, *, person_id: Any = None
) -> list[tuple[uuid.UUID, uuid.UUID, int, date]]:
    """Check-ins for linkage's alerts, unscoped (the worker's read): (stay id, person id, the
    operating agency, the day checked in); those since `since`, or those of one person."""
    stays = Stay.objects.filter(checked_in_at__isnull=False)
    if person_id is not None:
        stays = stays.filter(person_id=person_id)
    if since is not None:
        stays = stays.filter(checked_in_at__gte=since)
    return [
        (stay_id, pid, agency_id, timezone.localdate(at))
        for stay_id, pid, agency_id, at in stays.order_by("checked_in_at", "pk").values_list(
            "pk", "person_id", "owner_agency_id", "checked_in_at"
        )
    ]


def open_stay_of(person_id: Any) -> Stay | None:
    """The person's open stay (planned, checked in or temporarily absent), unscoped: for the
    victim's own status page, which is opened with the case code and its secret."""
    return (
        Stay.objects.filter(person_id=person_id, status__in=OPEN_STATUSES)
        .order_by("-created_at")
        .first()
    )


def stays_of_case(case_id: uuid.UUID) -> QuerySet[Stay]:
    """The stays a case records (not cancelled), for a caller that already holds the case in
    scope (e.g. the rights checklist linking a stay as what fulfils a right)."""
    return (
        Stay.objects.filter(case_id=case_id)
        .exclude(status=StayStatus.CANCELLED)
        .select_related("shelter")
        .order_by("created_at", "pk")
    )
