"""Every read of migration records, scoped by `simpul.core.scoping`, and the village register."""

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.core.scoping import get_in_scope, visible_to
from simpul.core.work import WaitingWork
from simpul.identity.crypto import open_text
from simpul.migration.capabilities import Duty, may
from simpul.migration.codes import CheckInOutcome, MissingStatus, ProceduralStatus, Stage
from simpul.migration.models import (
    CheckIn,
    CheckInNotice,
    Departure,
    ImmigrationDecision,
    ImportBatch,
    ImportJob,
    MissingReport,
    MissingReportEvent,
    NoticeKind,
    ReturnEvent,
    Screening,
)
from simpul.migration.schedule import GRACE_DAYS, UNREACHABLE_STREAK, unreachable_streak
from simpul.migration.sealing import aad

M = TypeVar("M", bound=Model)


def departures_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Departure]:
    return visible_to(user, Departure, perm)


def checkins_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[CheckIn]:
    return visible_to(user, CheckIn, perm)


def missing_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[MissingReport]:
    return visible_to(user, MissingReport, perm)


def returns_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[ReturnEvent]:
    return visible_to(user, ReturnEvent, perm)


def returns_of_person(person_id: uuid.UUID) -> QuerySet[ReturnEvent]:
    """The returns recorded for one person, for a caller that already holds the person in
    scope (a shelter linking a resident's accompanied return to the border record): entry
    point and date only are shown."""
    return ReturnEvent.objects.filter(person_id=person_id).order_by("-returned_on", "pk")


def returns_with_screening(user: User) -> QuerySet[Any]:  # ReturnEvent + is_screened
    """Returns in scope, each marked `is_screened` (whether any screening was recorded on it),
    for the return list's "not yet screened first" order."""
    return returns_for(user).annotate(
        is_screened=Exists(Screening.objects.filter(return_event_id=OuterRef("pk")))
    )


def screenings_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Screening]:
    return visible_to(user, Screening, perm)


def decisions_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[ImmigrationDecision]:
    return visible_to(user, ImmigrationDecision, perm)


def batches_for(user: User) -> QuerySet[ImportBatch]:
    return visible_to(user, ImportBatch)


def _get(
    user: User,
    model: type[M],
    record_id: uuid.UUID | str,
    perm: Perm,
    request: HttpRequest | None,
    *,
    action: str,
) -> M:
    """The record if in scope (`core.scoping.get_in_scope`); a refusal is audited as
    `action` (a name in `simpul.audit.catalogue`)."""
    scoped = visible_to(user, model, perm)
    return get_in_scope(user, scoped, record_id, action=action, request=request)


def get_departure_for(
    user: User,
    departure_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Departure:
    return _get(user, Departure, departure_id, perm, request, action="departure.access")


def get_missing_for(
    user: User,
    report_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> MissingReport:
    return _get(user, MissingReport, report_id, perm, request, action="missing.access")


def get_return_for(
    user: User,
    return_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> ReturnEvent:
    return _get(user, ReturnEvent, return_id, perm, request, action="return.access")


def get_screening_for(
    user: User,
    screening_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Screening:
    return _get(user, Screening, screening_id, perm, request, action="screening.access")


def get_checkin_for(
    user: User,
    checkin_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> CheckIn:
    return _get(user, CheckIn, checkin_id, perm, request, action="checkin.access")


def get_decision_for(
    user: User,
    decision_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> ImmigrationDecision:
    return _get(
        user, ImmigrationDecision, decision_id, perm, request, action="immigration_decision.access"
    )


# Sealed details: opened only for a caller that has already checked the reveal permission.


def departure_contacts(departure: Departure) -> tuple[str, dict[str, str]]:
    employer = open_text(
        departure.employer_sealed, aad("departure", "employer_sealed", departure.id)
    )
    raw = open_text(
        departure.family_contact_sealed,
        aad("departure", "family_contact_sealed", departure.id),
    )
    return employer, (json.loads(raw) if raw else {})


def missing_details(report: MissingReport) -> tuple[str, str]:
    employer = open_text(
        report.last_known_employer_sealed,
        aad("missingreport", "last_known_employer_sealed", report.id),
    )
    circumstances = open_text(
        report.circumstances_sealed, aad("missingreport", "circumstances_sealed", report.id)
    )
    return employer, circumstances


def missing_history(report: MissingReport) -> list[tuple[MissingReportEvent, str]]:
    return [
        (e, open_text(e.note_sealed, aad("missingreportevent", "note", e.id)))
        for e in report.events.select_related("by").all()
    ]


def checkin_note(checkin: CheckIn) -> str:
    return open_text(checkin.note_sealed, aad("checkin", "note_sealed", checkin.id))


# The village register.


def _same_person(returns: QuerySet[ReturnEvent], departure: Departure) -> QuerySet[ReturnEvent]:
    q = Q(person_id=departure.person_id)
    if departure.person.nik_index:
        q |= Q(person__nik_index=departure.person.nik_index)
    return returns.filter(q, returned_on__gte=departure.left_on)


def returns_of_departure(user: User, departure: Departure) -> list[ReturnEvent]:
    """Returns the user can see for the departure's person (same vault person, or the same
    NIK recorded by a post as a new person), on or after the departure."""
    return list(_same_person(returns_for(user), departure).order_by("-returned_on"))


@dataclass
class RegisterRow:
    departure: Departure
    next_due: date | None = None
    overdue: int = 0
    unreachable: int = 0
    missing: MissingReport | None = None
    returned: ReturnEvent | None = None


@dataclass
class Register:
    away: list[RegisterRow] = field(default_factory=list)
    planned: list[RegisterRow] = field(default_factory=list)
    overdue: list[RegisterRow] = field(default_factory=list)
    unreachable: list[RegisterRow] = field(default_factory=list)
    missing: list[MissingReport] = field(default_factory=list)
    returned: list[tuple[ReturnEvent, Departure | None]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.away) + len(self.planned) + len(self.missing) + len(self.returned)


def village_register(user: User, today: date, *, limit: int = 500) -> Register:
    """Who is away and where, overdue and unreachable check-ins, open missing reports and
    recent returns, for the villages in the user's scope."""
    departures = list(
        departures_for(user)
        .exclude(stage=Stage.CANCELLED)
        .select_related("person", "scope_region")
        .order_by("scope_region_id", "-planned_on")[:limit]
    )
    ids = [d.id for d in departures]
    checkins = checkins_for(user).filter(departure_id__in=ids)
    due: dict[uuid.UUID, list[date]] = defaultdict(list)
    overdue: dict[uuid.UUID, int] = defaultdict(int)
    for dep_id, due_on in checkins.filter(outcome="", due_on__isnull=False).values_list(
        "departure_id", "due_on"
    ):
        if due_on is None:
            continue
        due[dep_id].append(due_on)
        if due_on + timedelta(days=GRACE_DAYS) < today:
            overdue[dep_id] += 1
    outcomes: dict[uuid.UUID, list[str]] = defaultdict(list)
    for dep_id, outcome in (
        checkins.exclude(outcome="")
        .order_by("-contacted_on", "-created_at")
        .values_list("departure_id", "outcome")
    ):
        outcomes[dep_id].append(outcome)
    open_missing = {
        m.person_id: m
        for m in missing_for(user)
        .filter(status=MissingStatus.OPEN)
        .select_related("person", "scope_region")
    }
    recent_returns = list(
        returns_for(user).select_related("person", "scope_region").order_by("-returned_on")[:limit]
    )
    by_person: dict[object, ReturnEvent] = {}
    by_nik: dict[str, ReturnEvent] = {}
    for r in reversed(recent_returns):  # latest wins
        by_person[r.person_id] = r
        if r.person.nik_index:
            by_nik[r.person.nik_index] = r

    register = Register(missing=list(open_missing.values()))
    matched: dict[uuid.UUID, Departure] = {}
    for d in departures:
        ret = by_person.get(d.person_id) or (
            by_nik.get(d.person.nik_index) if d.person.nik_index else None
        )
        if ret is not None and ret.returned_on < d.left_on:
            ret = None
        row = RegisterRow(
            departure=d,
            next_due=min(due[d.id]) if due[d.id] else None,
            overdue=overdue[d.id],
            unreachable=unreachable_streak(outcomes[d.id]),
            missing=open_missing.get(d.person_id),
            returned=ret,
        )
        if ret is not None:
            matched[ret.id] = d
            continue
        (register.away if d.stage == Stage.AWAY else register.planned).append(row)
        if row.overdue:
            register.overdue.append(row)
        if row.unreachable >= UNREACHABLE_STREAK:
            register.unreachable.append(row)
    register.returned = [(r, matched.get(r.id)) for r in recent_returns]
    return register


# Waiting work for the home page (`simpul.core.work`).


def overdue_checkins(user: User, today: date) -> QuerySet[CheckIn]:
    """Scheduled check-ins still without a contact GRACE_DAYS after their due date, for
    departures that did not get cancelled."""
    return (
        checkins_for(user)
        .filter(outcome="", due_on__lt=today - timedelta(days=GRACE_DAYS))
        .exclude(departure__stage=Stage.CANCELLED)
    )


def import_jobs_for(user: User) -> QuerySet[ImportJob]:
    """Queued deportee list imports of the agencies for which the user may import (edits
    records there)."""
    agencies = {g.agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)}
    return ImportJob.objects.filter(owner_agency_id__in=agencies)


def get_import_job_for(
    user: User, import_id: uuid.UUID | str, *, request: HttpRequest | None = None
) -> ImportJob:
    """A queued deportee list import, for the users who may import for its agency; Http404
    otherwise, the refusal audited (the row holds no identity: counts, and the row errors
    sealed)."""
    return get_in_scope(
        user, import_jobs_for(user), import_id, action="return.import.access", request=request
    )


def unreachable_noticed(user: User) -> int:
    """Departures in scope, still away, that the hourly job found unreachable at the latest
    check-ins (a `CheckInNotice`) with no contact reached since."""
    reached_later = CheckIn.objects.filter(
        departure_id=OuterRef("departure_id"), contacted_on__gt=OuterRef("on")
    ).exclude(outcome__in=["", CheckInOutcome.UNREACHABLE])
    return (
        CheckInNotice.objects.filter(
            kind=NoticeKind.UNREACHABLE,
            departure__in=departures_for(user).filter(stage=Stage.AWAY).values("id"),
        )
        .exclude(Exists(reached_later))
        .values("departure_id")
        .distinct()
        .count()
    )


def unscreened_returns(user: User) -> QuerySet[ReturnEvent]:
    """Returns in scope that nobody has screened yet (no screening links to them)."""
    return returns_for(user).exclude(
        Exists(Screening.objects.filter(return_event_id=OuterRef("pk")))
    )


def waiting_work(user: User, today: date | None = None) -> list[WaitingWork]:
    """Overdue check-ins (for agencies that register departures), open missing-person alerts
    (for agencies that take missing reports) and returns not yet screened (for agencies that
    receive returns), each counted in the user's scope. Only for roles that edit records."""
    if not principal_for(user).has_perm(Perm.EDIT_RECORDS):
        return []
    today = today or timezone.localdate()
    items: list[WaitingWork] = []
    if may(user, Duty.MISSING):
        items.append(
            WaitingWork(
                key="migration.missing_open",
                label=_("Open missing-person alerts"),
                count=missing_for(user).filter(status=MissingStatus.OPEN).count(),
                url=reverse("migration:missing_list") + "?status=open",
                urgent=True,
            )
        )
    if may(user, Duty.DEPARTURES):
        items.append(
            WaitingWork(
                key="migration.checkins_overdue",
                label=_("Overdue check-ins"),
                count=overdue_checkins(user, today).count(),
                url=reverse("migration:checkin_list") + "?status=overdue",
                urgent=True,
            )
        )
        unreachable = unreachable_noticed(user)
        if unreachable:  # shown only while someone is unreachable (the hourly job's notices)
            items.append(
                WaitingWork(
                    key="migration.unreachable",
                    label=_("Migrants unreachable at their check-ins"),
                    count=unreachable,
                    url=reverse("migration:register") + "#unreachable",
                    urgent=True,
                )
            )
    if may(user, Duty.RETURNS):
        items.append(
            WaitingWork(
                key="migration.returns_unscreened",
                label=_("Returns not yet screened"),
                count=unscreened_returns(user).count(),
                url=reverse("migration:return_list") + "?screened=no",
            )
        )
    return items


# Village counts for the prevention vulnerability score (simpul.prevention.registry).
# Aggregates only: a count per village, never a record, so they carry no user scope; the
# caller shows them under disclosure control (core.disclosure) for areas in its jurisdiction.


def departures_by_village(
    village_codes: list[str], since: date, until: date
) -> dict[str, tuple[int, int]]:
    """village code -> (departures that left in [since, until], of which non-procedural).
    A departure counts on the day it left (`departed_on`, else `planned_on`); cancelled ones
    never left. Villages without a departure are absent."""
    rows = (
        Departure.objects.filter(scope_region_id__in=village_codes)
        .exclude(stage=Stage.CANCELLED)
        .annotate(left=Coalesce("departed_on", "planned_on"))
        .filter(left__gte=since, left__lte=until)
        .order_by()
        .values_list("scope_region_id")
        .annotate(
            total=Count("id"),
            non_procedural=Count("id", filter=Q(procedural_status=ProceduralStatus.NON_PROCEDURAL)),
        )
    )
    return {code: (total, np_count) for code, total, np_count in rows}


def returns_by_village(village_codes: list[str], since: date, until: date) -> dict[str, int]:
    """village code -> returns and deportations that arrived in [since, until]. The same return
    recorded by two agencies (same natural key) counts once. Villages without one are absent."""
    rows = (
        ReturnEvent.objects.filter(
            scope_region_id__in=village_codes, returned_on__gte=since, returned_on__lte=until
        )
        .order_by()
        .values_list("scope_region_id")
        .annotate(n=Count("natural_key", distinct=True))
    )
    return {code: n for code, n in rows}
