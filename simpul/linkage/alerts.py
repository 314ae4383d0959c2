"""Alerts from linkage: a new return, shelter admission or intake that matches an open
missing-migrant report, and a new intake that matches a known victim.

Raised at the end of every run for the records created since the previous run, and within a
minute of the save for one record (`raise_for_record`, run by the worker: the task queued by
`simpul.linkage.actions.check_new_return` and its siblings). A missing
report's alert goes to the agency that owns the report (the village) and the officer who
filed it; a known victim's goes to the agency owning the case and its case worker, who
confirms or dismisses the link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q

from simpul.audit.log import record as audit
from simpul.cases.models import CaseVictim, Stage
from simpul.intake.models import IntakePerson
from simpul.linkage.models import AlertKind, LinkageAlert, LinkedPair, LinkedRecord, PairStatus
from simpul.migration.codes import MissingStatus
from simpul.migration.models import MissingReport, ReturnEvent
from simpul.shelters import queries as shelter_queries


@dataclass(frozen=True)
class Event:
    kind: str  # "return", "shelter" or "intake"
    source_id: str
    person_id: str
    agency_id: int
    on: date | None
    intake_id: str | None = None


def _since(queryset: Any, field: str, since: datetime | None) -> Any:
    return queryset.filter(**{f"{field}__gte": since}) if since is not None else queryset


def new_events(
    since: datetime | None,
    *,
    return_id: Any = None,
    intake_id: Any = None,
    shelter_person_id: Any = None,
) -> list[Event]:
    """Events created since `since`; or only the events of one record (a return, an intake,
    a person admitted to a shelter) when one of the ids is given."""
    one = any(x is not None for x in (return_id, intake_id, shelter_person_id))
    returns = ReturnEvent.objects.all()
    concerned = IntakePerson.objects.filter(role=IntakePerson.Role.CONCERNED)
    if one:
        returns = returns.filter(pk=return_id) if return_id is not None else returns.none()
        concerned = concerned.filter(intake_id=intake_id) if intake_id else concerned.none()
    events: list[Event] = []
    for rid, pid, agency, on in _since(returns, "created_at", since).values_list(
        "id", "person_id", "owner_agency_id", "returned_on"
    ):
        events.append(Event("return", str(rid), str(pid), agency, on))
    for iid, pid, agency, at in _since(concerned, "intake__created_at", since).values_list(
        "intake_id", "person_id", "intake__owner_agency_id", "intake__received_at"
    ):
        events.append(Event("intake", str(iid), str(pid), agency, at.date(), intake_id=str(iid)))
    # A shelter admission is a check-in (`shelters.actions.check_in`), whichever agency runs
    # the shelter.
    if not one or shelter_person_id is not None:
        for stay_id, pid, agency, on in shelter_queries.admissions(
            since, person_id=shelter_person_id
        ):
            events.append(Event("shelter", f"stay-{stay_id}", str(pid), agency, on))
    return events


def _clusters(person_ids: set[str], cluster_of: dict[str, str] | None) -> dict[str, str]:
    if cluster_of is not None:
        return {p: cluster_of[p] for p in person_ids if p in cluster_of}
    found: dict[str, str] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), 5000):
        for pid, cid in LinkedRecord.objects.filter(
            person_id__in=ids[start : start + 5000]
        ).values_list("person_id", "cluster_id"):
            found[str(pid)] = cid
    return found


def _direct_pairs(targets: set[str]) -> dict[tuple[str, str], float]:
    """Scored pairs (any status) touching `targets`, keyed (other, target) and reversed."""
    if not targets:
        return {}
    found: dict[tuple[str, str], float] = {}
    query = Q(person_a_id__in=list(targets)) | Q(person_b_id__in=list(targets))
    for a, b, p in LinkedPair.objects.filter(query).values_list(
        "person_a_id", "person_b_id", "probability"
    ):
        found[(str(a), str(b))] = p
        found[(str(b), str(a))] = p
    return found


def _best_link(person_ids: set[str]) -> dict[str, float]:
    best: dict[str, float] = {}
    ids = list(person_ids)
    query = Q(person_a_id__in=ids) | Q(person_b_id__in=ids)
    for a, b, p in LinkedPair.objects.filter(query, status=PairStatus.LINKED).values_list(
        "person_a_id", "person_b_id", "probability"
    ):
        for x in (str(a), str(b)):
            if x in person_ids:
                best[x] = max(best.get(x, 0.0), p)
    return best


def raise_alerts(*, since: datetime | None, cluster_of: dict[str, str] | None) -> int:
    """Create the alerts for events since `since`; returns how many were new."""

    reports = list(
        MissingReport.objects.filter(status=MissingStatus.OPEN).values_list(
            "id", "person_id", "owner_agency_id", "created_by_id"
        )
    )
    victims = list(
        CaseVictim.objects.exclude(case__stage=Stage.CLOSED).values_list(
            "case_id",
            "person_id",
            "case__owner_agency_id",
            "case__assigned_to_id",
            "case__intake_id",
        )
    )
    if not reports and not victims:
        return 0
    all_events = new_events(since)
    if not all_events:
        return 0
    report_persons = {str(r[1]) for r in reports}
    victim_persons = {str(v[1]) for v in victims}
    targets = report_persons | victim_persons
    target_clusters = _clusters(targets, cluster_of)
    # Only events whose person shares a cluster or a scored pair with a target matter.
    interesting = set(target_clusters.values())
    if cluster_of is not None:
        near = {p for p, c in cluster_of.items() if c in interesting}
    else:
        near = {
            str(p)
            for p in LinkedRecord.objects.filter(cluster_id__in=interesting).values_list(
                "person_id", flat=True
            )
        }
    direct = _direct_pairs(targets)
    near |= {a for a, _b in direct}
    events = [e for e in all_events if e.person_id in near or e.person_id in targets]
    if not events:
        return 0
    event_persons = {e.person_id for e in events}
    clusters = {**target_clusters, **_clusters(event_persons, cluster_of)}
    best = _best_link(event_persons)

    reports_by_cluster: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for report in reports:
        cid = clusters.get(str(report[1]))
        if cid:
            reports_by_cluster[cid].append(report)
    victims_by_cluster: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for victim in victims:
        cid = clusters.get(str(victim[1]))
        if cid:
            victims_by_cluster[cid].append(victim)

    def probability(event_person: str, other: str) -> float | None:
        if event_person == other:
            return 1.0
        if (event_person, other) in direct:
            return direct[(event_person, other)]
        if clusters.get(event_person) and clusters.get(event_person) == clusters.get(other):
            return best.get(event_person, 1.0)
        return None

    alerts: list[LinkageAlert] = []
    for event in events:
        cid = clusters.get(event.person_id)
        candidates = list(reports_by_cluster.get(cid, [])) if cid else []
        candidates += [r for r in reports if (event.person_id, str(r[1])) in direct]
        seen: set[Any] = set()
        for report_id, person_id, agency_id, created_by in candidates:
            if report_id in seen or agency_id == event.agency_id:
                continue
            seen.add(report_id)
            p = probability(event.person_id, str(person_id))
            if p is None:
                continue
            alerts.append(_missing_alert(event, report_id, person_id, agency_id, created_by, p))
        if event.kind != "intake":
            continue
        known = list(victims_by_cluster.get(cid, [])) if cid else []
        known += [v for v in victims if (event.person_id, str(v[1])) in direct]
        seen = set()
        for case_id, person_id, agency_id, assigned_to, case_intake in known:
            if case_id in seen or (case_intake is not None and str(case_intake) == event.intake_id):
                continue
            seen.add(case_id)
            p = probability(event.person_id, str(person_id))
            if p is None:
                continue
            alerts.append(_victim_alert(event, case_id, person_id, agency_id, assigned_to, p))
    if not alerts:
        return 0
    before = LinkageAlert.objects.count()
    LinkageAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    created = LinkageAlert.objects.count() - before
    if created:
        audit("linkage.alert", record_type="linkage.linkagealert", count=created)
    return created


def related_persons(person_id: str, matches: Iterable[Any]) -> dict[str, float]:
    """person id -> probability that it is the same person as `person_id`: the person itself,
    its own cluster (at its strongest link), each real-time match (`realtime.Match`) and the
    match's cluster (at the match's probability)."""
    related: dict[str, float] = {person_id: 1.0}
    own = LinkedRecord.objects.filter(person_id=person_id).values_list("cluster_id", flat=True)
    by_cluster: dict[str, float] = {}
    for cluster_id in own:
        by_cluster[cluster_id] = _best_link({person_id}).get(person_id, 1.0)
    for match in matches:
        related[match.person_id] = max(related.get(match.person_id, 0.0), match.probability)
        if match.cluster_id:
            by_cluster[match.cluster_id] = max(
                by_cluster.get(match.cluster_id, 0.0), match.probability
            )
    if by_cluster:
        for pid, cid in LinkedRecord.objects.filter(cluster_id__in=list(by_cluster)).values_list(
            "person_id", "cluster_id"
        ):
            related[str(pid)] = max(related.get(str(pid), 0.0), by_cluster[cid])
    return related


def raise_for_record(events: list[Event], related: dict[str, dict[str, float]]) -> int:
    """The alerts of one new record's events, given for each event person the persons it may
    be (`related_persons`). Idempotent: an alert already raised (the unique kind, persons and
    source) is not raised again, so a second run of the same check adds nothing."""
    alerts: list[LinkageAlert] = []
    for event in events:
        near = related.get(event.person_id, {event.person_id: 1.0})
        reports = MissingReport.objects.filter(
            status=MissingStatus.OPEN, person_id__in=list(near)
        ).exclude(owner_agency_id=event.agency_id)
        for report_id, person_id, agency_id, created_by in reports.values_list(
            "id", "person_id", "owner_agency_id", "created_by_id"
        ):
            alerts.append(
                _missing_alert(
                    event, report_id, person_id, agency_id, created_by, near[str(person_id)]
                )
            )
        if event.kind != "intake":
            continue
        victims = CaseVictim.objects.filter(person_id__in=list(near)).exclude(
            case__stage=Stage.CLOSED
        )
        if event.intake_id:
            victims = victims.exclude(case__intake_id=event.intake_id)
        for case_id, person_id, agency_id, assigned_to in victims.values_list(
            "case_id", "person_id", "case__owner_agency_id", "case__assigned_to_id"
        ):
            alerts.append(
                _victim_alert(
                    event, case_id, person_id, agency_id, assigned_to, near[str(person_id)]
                )
            )
    return _store(alerts)


def _store(alerts: list[LinkageAlert]) -> int:
    """Create the alerts not raised before (by their unique key); audited as one count."""
    fresh = [
        a
        for a in {_key(a): a for a in alerts}.values()
        if not LinkageAlert.objects.filter(
            kind=a.kind,
            person_id=a.person_id,
            matched_person_id=a.matched_person_id,
            source_kind=a.source_kind,
            source_id=a.source_id,
        ).exists()
    ]
    if not fresh:
        return 0
    LinkageAlert.objects.bulk_create(fresh, ignore_conflicts=True)
    audit("linkage.alert", record_type="linkage.linkagealert", count=len(fresh))
    return len(fresh)


def _key(alert: LinkageAlert) -> tuple[Any, ...]:
    return (
        alert.kind,
        str(alert.person_id),
        str(alert.matched_person_id),
        alert.source_kind,
        alert.source_id,
    )


def _missing_alert(
    event: Event, report_id: Any, person_id: Any, agency_id: Any, created_by: Any, p: float
) -> LinkageAlert:
    """The event's person may be the person of an open missing report: for its agency and the
    officer who filed it."""
    return LinkageAlert(
        kind=AlertKind.MISSING_MATCH,
        agency_id=agency_id,
        user_id=created_by,
        person_id=event.person_id,
        matched_person_id=person_id,
        source_kind=event.kind,
        source_id=event.source_id,
        source_agency_id=event.agency_id,
        source_date=event.on,
        missing_report_id=report_id,
        probability=p,
    )


def _victim_alert(
    event: Event, case_id: Any, person_id: Any, agency_id: Any, assigned_to: Any, p: float
) -> LinkageAlert:
    """A new intake's person may be a known victim: for the case's agency and case worker."""
    return LinkageAlert(
        kind=AlertKind.KNOWN_VICTIM,
        agency_id=agency_id,
        user_id=assigned_to,
        person_id=event.person_id,
        matched_person_id=person_id,
        source_kind=event.kind,
        source_id=event.source_id,
        source_agency_id=event.agency_id,
        source_date=event.on,
        case_id=case_id,
        intake_id=event.intake_id,
        probability=p,
    )
