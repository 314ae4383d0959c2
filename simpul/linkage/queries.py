"""Every read of linkage data, scoped: review pairs touch a person in the reviewer's scope,
alerts belong to the reader's agency, statistics count clusters, not records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.cases.models import CaseVictim
from simpul.core.disclosure import Cell, suppress_table
from simpul.core.scoping import get_in_scope, region_subtree
from simpul.core.work import WaitingWork
from simpul.identity.models import Person
from simpul.identity.queries import persons_for
from simpul.intake.models import IntakePerson
from simpul.linkage.models import (
    AlertStatus,
    LinkageAlert,
    LinkageRun,
    LinkedPair,
    LinkedRecord,
    PairStatus,
)
from simpul.migration.codes import MissingStatus
from simpul.migration.models import Departure, MissingReport, ReturnEvent


def review_perm() -> Perm:
    """Who may review candidate pairs (case supervisors hold it)."""
    return Perm.REVIEW_LINKAGE


def can_review(user: User) -> bool:
    return principal_for(user).has_perm(review_perm())


def review_queue(user: User, *, status: str = PairStatus.REVIEW) -> QuerySet[LinkedPair]:
    """Pairs waiting for review where the reviewer can see at least one of the two persons."""
    if not can_review(user):
        return LinkedPair.objects.none()
    visible = persons_for(user).values("id")
    return (
        LinkedPair.objects.filter(status=status)
        .filter(Q(person_a__in=visible) | Q(person_b__in=visible))
        .select_related("person_a", "person_b", "person_a__owner_agency", "person_b__owner_agency")
        .order_by("-probability", "id")
    )


def pairs_for(user: User) -> QuerySet[LinkedPair]:
    """Pairs of any status where the reviewer can see at least one of the two persons."""
    if not can_review(user):
        return LinkedPair.objects.none()
    visible = persons_for(user).values("id")
    return LinkedPair.objects.filter(Q(person_a__in=visible) | Q(person_b__in=visible))


def get_pair_for(user: User, pair_id: object, *, request: HttpRequest | None = None) -> LinkedPair:
    """The pair, or Http404 for both missing and out of scope; a refusal of a pair that exists
    is audited (`core.scoping.get_in_scope`)."""
    scoped = pairs_for(user).select_related("person_a", "person_b")
    return get_in_scope(user, scoped, pair_id, action="linkage.pair.access", request=request)


def visible_person_ids(user: User, person_ids: list[Any]) -> set[str]:
    return {
        str(p) for p in persons_for(user).filter(pk__in=person_ids).values_list("id", flat=True)
    }


def alert_agency_ids(user: User) -> set[int]:
    return {g.agency_id for g in principal_for(user).grants_with(Perm.VIEW_RECORDS)}


def alerts_for(user: User, *, status: str | None = AlertStatus.OPEN) -> QuerySet[LinkageAlert]:
    alerts = LinkageAlert.objects.filter(agency_id__in=alert_agency_ids(user)).select_related(
        "person", "matched_person", "source_agency", "missing_report", "case", "agency"
    )
    if status:
        alerts = alerts.filter(status=status)
    return alerts.order_by("-created_at", "-id")


def get_alert_for(
    user: User, alert_id: object, *, request: HttpRequest | None = None
) -> LinkageAlert:
    """The alert if it belongs to one of the reader's agencies, else Http404; a refusal of an
    alert that exists is audited (`core.scoping.get_in_scope`)."""
    scoped = alerts_for(user, status=None)
    return get_in_scope(user, scoped, alert_id, action="linkage.alert.access", request=request)


def open_alert_count(user: User) -> int:
    return alerts_for(user).count()


def waiting_work(user: User) -> list[WaitingWork]:
    """Open linkage alerts for the agencies where the user can act on them (a returnee who
    may be a missing person, an intake that may be a known victim). Shown only while one is
    open: most days there is none, and the item is urgent when there is."""
    agencies = {g.agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)}
    if not agencies:
        return []
    count = LinkageAlert.objects.filter(agency_id__in=agencies, status=AlertStatus.OPEN).count()
    if not count:
        return []
    return [
        WaitingWork(
            key="linkage.alerts_open",
            label=_("Open linkage alerts"),
            count=count,
            url=reverse("linkage:alert_list"),
            urgent=True,
        )
    ]


def runs() -> QuerySet[LinkageRun]:
    return LinkageRun.objects.order_by("-requested_at", "-id")


def get_run(run_id: int) -> LinkageRun:
    try:
        return LinkageRun.objects.get(pk=run_id)
    except LinkageRun.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Counted:
    """Persons counted once: `records` rows, `persons` distinct clusters, `merged` the
    records that turned out to be someone already counted."""

    records: int
    persons: int

    @property
    def merged(self) -> int:
        return self.records - self.persons


def count_persons(person_ids: QuerySet[Any] | list[Any]) -> Counted:
    """Count distinct people among `person_ids` (a values queryset or list of person ids):
    linked persons by cluster, persons not linked yet as themselves."""
    ids = list(person_ids) if not isinstance(person_ids, list) else person_ids
    unique = {str(p) for p in ids}
    clusters: set[str] = set()
    linked: set[str] = set()
    listed = list(unique)
    for start in range(0, len(listed), 5000):
        for pid, cid in LinkedRecord.objects.filter(
            person_id__in=listed[start : start + 5000]
        ).values_list("person_id", "cluster_id"):
            linked.add(str(pid))
            clusters.add(cid)
    return Counted(records=len(unique), persons=len(clusters) + len(unique - linked))


def aggregate_persons(user: User) -> QuerySet[Person] | None:
    """The persons an aggregate role's statistics cover: those located in the jurisdictions of
    its VIEW_AGGREGATES grants (a grant without a jurisdiction is national, as for the
    migration statistics and the coordination table). None without such a grant."""
    grants = principal_for(user).grants_with(Perm.VIEW_AGGREGATES)
    if not grants:
        return None
    codes = {g.jurisdiction_code for g in grants}
    if None in codes or "" in codes:
        return Person.objects.all()
    q = Q(pk__in=[])
    for code in codes:
        q |= region_subtree("scope_region__code", str(code))
    return Person.objects.filter(q)


def statistics(persons: QuerySet[Person] | None = None) -> dict[str, Counted]:
    """Counts each person once (no identities, no small-area breakdown), over `persons`
    (the viewer's jurisdiction, `aggregate_persons`) or, without it, the whole country."""

    def within(qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs if persons is None else qs.filter(person_id__in=persons.values("id"))

    if persons is None:
        total_records = Person.objects.count()
        linked = LinkedRecord.objects.count()
        clusters = LinkedRecord.objects.values("cluster_id").distinct().count()
        everyone = Counted(total_records, clusters + (total_records - linked))
    else:
        everyone = count_persons(list(persons.values_list("id", flat=True)))
    return {
        "persons": everyone,
        "victims": count_persons(
            within(CaseVictim.objects.all()).values_list("person_id", flat=True)
        ),
        "intake_persons": count_persons(
            within(IntakePerson.objects.filter(role=IntakePerson.Role.CONCERNED)).values_list(
                "person_id", flat=True
            )
        ),
        "missing_open": count_persons(
            within(MissingReport.objects.filter(status=MissingStatus.OPEN)).values_list(
                "person_id", flat=True
            )
        ),
        "returns": count_persons(
            within(ReturnEvent.objects.all()).values_list("person_id", flat=True)
        ),
    }


def suppressed_statistics(stats: dict[str, Counted]) -> dict[str, dict[str, Cell]]:
    """The figures an aggregate role sees: records = persons + merged on every row, so each row
    goes through `core.disclosure` (counts 1-10 hidden, and the figure that gives one away)."""
    keys = list(stats)
    table = suppress_table(
        [[stats[k].persons, stats[k].merged] for k in keys], 2, column_totals=False
    )
    assert table.row_totals is not None
    return {
        k: {
            "persons": table.cells[i][0],
            "merged": table.cells[i][1],
            "records": table.row_totals[i],
        }
        for i, k in enumerate(keys)
    }


def cluster_sizes() -> list[tuple[int, int]]:
    """(cluster size, how many clusters of that size), for the statistics page."""
    sizes = (
        LinkedRecord.objects.values("cluster_id")
        .annotate(n=Count("person_id"))
        .values("n")
        .annotate(clusters=Count("cluster_id"))
        .order_by("n")
    )
    return [(row["n"], row["clusters"]) for row in sizes]


def registries_of(person_ids: list[Any]) -> dict[str, list[str]]:
    """Which registries refer to each person (names of registries, not their contents)."""

    found: dict[str, list[str]] = {str(p): [] for p in person_ids}
    for label, model in (
        ("intake", IntakePerson),
        ("case", CaseVictim),
        ("departure", Departure),
        ("missing_report", MissingReport),
        ("return", ReturnEvent),
    ):
        manager: Any = model._default_manager
        for pid in manager.filter(person_id__in=person_ids).values_list("person_id", flat=True):
            if label not in found[str(pid)]:
                found[str(pid)].append(label)
    return found


def cluster_of(person_id: Any) -> str | None:
    return (
        LinkedRecord.objects.filter(person_id=person_id)
        .values_list("cluster_id", flat=True)
        .first()
    )


def person_for_pair(pair: LinkedPair, side: str) -> Person:
    return pair.person_a if side == "a" else pair.person_b
