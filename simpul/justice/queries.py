"""Every read of the justice chain, scoped by `simpul.core.scoping`.

Need to know: the assigned investigator and prosecutor (granted on the proceeding) see it whole;
another agency that sees the case sees each proceeding's stage and event dates only
(`case_track`); anyone else gets a 404 and the refusal is audited.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.cases.models import Case
from simpul.cases.queries import cases_for
from simpul.core.scoping import get_in_scope, visible_to
from simpul.core.work import WaitingWork
from simpul.identity.models import Person
from simpul.justice.codes import (
    Clock,
    LicenceStatus,
    PaymentStatus,
    PerpetratorKind,
    RestitutionState,
    Stage,
)
from simpul.justice.models import (
    Defendant,
    LicenceSanction,
    LpskApplication,
    Perpetrator,
    PlacementCompany,
    Proceeding,
    ProceedingEvent,
    Reminder,
    Restitution,
    Sentence,
    StatisticsSnapshot,
)
from simpul.justice.models.statistics import STALE_AFTER
from simpul.justice.rules.clocks import STALLED_AFTER_DAYS, Deadline, deadlines
from simpul.justice.sealing import open_event_note

JUSTICE_ROLES = frozenset({Role.POLICE_INVESTIGATOR, Role.PROSECUTOR})
ENDED = (Stage.STOPPED, Stage.EXECUTED)


def proceedings_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Proceeding]:
    return visible_to(user, Proceeding, perm)


def get_proceeding_for(
    user: User, proceeding_id: uuid.UUID | str, *, request: HttpRequest | None = None
) -> Proceeding:
    scoped = proceedings_for(user).select_related("case", "investigator", "prosecutor")
    return get_in_scope(user, scoped, proceeding_id, action="proceeding.access", request=request)


def is_investigator(user: User, proceeding: Proceeding) -> bool:
    return proceeding.investigator_id == user.pk


def is_prosecutor(user: User, proceeding: Proceeding) -> bool:
    return proceeding.prosecutor_id == user.pk


@dataclass(frozen=True)
class ProceedingFilters:
    stage: str = "open"  # "open", "all" or a Stage value
    stalled: bool = False
    q: str = ""


def my_proceedings(user: User, filters: ProceedingFilters | None = None) -> QuerySet[Proceeding]:
    """The proceedings the user works on (as investigator or prosecutor), newest event first."""
    f = filters or ProceedingFilters()
    qs = proceedings_for(user).filter(Q(investigator=user) | Q(prosecutor=user))
    if f.stage == "open":
        qs = qs.exclude(stage__in=ENDED)
    elif f.stage in Stage.values:
        qs = qs.filter(stage=f.stage)
    if f.stalled:
        qs = qs.exclude(stage__in=ENDED).filter(last_event_on__lte=stalled_cutoff())
    if f.q:
        qs = qs.filter(Q(code__iexact=f.q.strip()) | Q(case__code__iexact=f.q.strip()))
    return qs.select_related("case").order_by("-last_event_on", "code")


def stalled_cutoff(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=STALLED_AFTER_DAYS)


def events_of(proceeding: Proceeding) -> list[ProceedingEvent]:
    return list(proceeding.events.select_related("recorded_by").order_by("seq"))


def event_note(event: ProceedingEvent) -> str:
    return open_event_note(event)


def restitution_payment_runs(proceeding: Proceeding) -> bool:
    """Whether the proceeding's restitution payment limit still runs (see
    `with_restitution_payment_running`)."""
    return bool(with_restitution_payment_running([proceeding.pk]))


def deadlines_of(
    proceeding: Proceeding,
    events: list[ProceedingEvent] | None = None,
    *,
    with_restitution: bool | None = None,
) -> list[Deadline]:
    evs = events if events is not None else events_of(proceeding)
    runs = restitution_payment_runs(proceeding) if with_restitution is None else with_restitution
    return deadlines(
        proceeding.regime, [(e.code, e.occurred_on) for e in evs], restitution_ordered=runs
    )


def with_restitution_payment_running(proceeding_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these proceedings have a sentence ordering restitution that is not yet settled
    (two queries): the payment limit stops once the proceeding has restitution records and
    every one is paid in full, refused, closed or turned into substitute detention. A
    proceeding with an order but no record yet keeps its clock (nobody has been paid)."""
    ordered = set(
        Sentence.objects.filter(
            charge__defendant__proceeding_id__in=proceeding_ids, restitution_ordered=True
        ).values_list("charge__defendant__proceeding_id", flat=True)
    )
    if not ordered:
        return ordered
    settled = {
        row["proceeding_id"]
        for row in Restitution.objects.filter(proceeding_id__in=ordered)
        .values("proceeding_id")
        .annotate(unsettled=Count("pk", filter=~Q(state__in=RESTITUTION_SETTLED)))
        if row["unsettled"] == 0
    }
    return ordered - settled


def fresh_statistics(now: datetime | None = None) -> StatisticsSnapshot | None:
    """The newest stored justice statistics, unless older than `STALE_AFTER`."""
    moment = now or timezone.now()
    return (
        StatisticsSnapshot.objects.filter(computed_at__gt=moment - STALE_AFTER)
        .order_by("-computed_at")
        .first()
    )


# What the deadline list shows of a reminder and its proceeding (the rest is not loaded).
REMINDER_LIST_FIELDS = (
    "proceeding",
    "clock",
    "due_on",
    "started_on",
    "proceeding__code",
    "proceeding__case",
    "proceeding__investigator",
    "proceeding__prosecutor",
)


def open_reminders(user: User, due_by: date | None = None) -> QuerySet[Reminder]:
    """The user's open reminders on proceedings they see; and a restitution-overdue reminder
    on a case they see (the case worker, who does not see the proceeding itself).

    The user's own open reminders are few (an index on user, done_at), so their proceedings
    are listed first and only those are checked against the scope; filtering the reminders
    through the scope subquery made the database walk every proceeding's access grants."""
    mine = Reminder.objects.filter(user=user, done_at__isnull=True)
    if due_by is not None:
        mine = mine.filter(due_on__lte=due_by)
    ids = set(mine.values_list("proceeding_id", flat=True))
    seen = set(proceedings_for(user).filter(pk__in=ids).values_list("pk", flat=True))
    via_case = (
        set(
            Proceeding.objects.filter(
                pk__in=ids - seen, case__in=cases_for(user).values("pk")
            ).values_list("pk", flat=True)
        )
        if ids - seen
        else set()
    )
    return (
        mine.filter(
            Q(proceeding_id__in=seen)
            | Q(clock=Clock.RESTITUTION_OVERDUE, proceeding_id__in=via_case)
        )
        .select_related("proceeding")
        .only(*REMINDER_LIST_FIELDS)
        .order_by("due_on", "pk")
    )


def deadlines_this_week(user: User, today: date | None = None) -> QuerySet[Reminder]:
    day = today or timezone.localdate()
    return open_reminders(user, due_by=day + timedelta(days=7))


def next_hearings(user: User, today: date | None = None) -> QuerySet[Proceeding]:
    day = today or timezone.localdate()
    return (
        my_proceedings(user, ProceedingFilters(stage="all"))
        .filter(next_hearing_on__gte=day)
        .order_by("next_hearing_on")
    )


def defendants_with_charges(proceeding: Proceeding) -> list[Defendant]:
    return list(
        proceeding.defendants.select_related("perpetrator", "perpetrator__person").prefetch_related(
            "charges", "charges__sentence"
        )
    )


def case_victims(proceeding: Proceeding) -> list[Person]:
    """The victims of the proceeding's case (the proceeding's users were checked already)."""
    return [v.person for v in proceeding.case.victims.select_related("person")]


def perpetrators_for(user: User) -> QuerySet[Perpetrator]:
    return visible_to(user, Perpetrator)


def prosecutors() -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.PROSECUTOR,
        )
        .distinct()
        .order_by("username")
    )


def case_for_justice(user: User, case_id: object, *, request: HttpRequest | None = None) -> Case:
    """A case the user sees (any agency on it): 404 and an audited refusal otherwise."""
    return get_in_scope(user, cases_for(user), case_id, action="case.access", request=request)


@dataclass(frozen=True)
class TrackRow:
    code: str
    stage: str
    events: list[tuple[str, date]]  # (event code, date): no numbers, notes or reasons
    restitution: list[str] = field(default_factory=list)  # states, one per victim
    lpsk: list[str] = field(default_factory=list)  # LPSK statuses, one per application


def case_track(
    user: User, case_id: object, *, request: HttpRequest | None = None
) -> tuple[Case, list[TrackRow]]:
    """The case (if the user sees it: any agency on it; else 404, refusal audited) and the
    stages and dates of its proceedings: no numbers, notes or reasons."""
    case = case_for_justice(user, case_id, request=request)
    proceedings = (
        Proceeding.objects.filter(case=case)
        .order_by("reported_on", "code")
        .prefetch_related(
            Prefetch("events", queryset=ProceedingEvent.objects.order_by("seq")),
            Prefetch("restitutions", queryset=Restitution.objects.order_by("created_at")),
            Prefetch("lpsk_applications", queryset=LpskApplication.objects.order_by("applied_on")),
        )
    )
    rows = [
        TrackRow(
            p.code,
            p.stage,
            [(e.code, e.occurred_on) for e in p.events.all()],
            [r.state for r in p.restitutions.all()],
            [a.status for a in p.lpsk_applications.all()],
        )
        for p in proceedings
    ]
    return case, rows


def restitutions_of(proceeding: Proceeding) -> list[Restitution]:
    """The victims' restitutions of a proceeding the user was checked for, with their ledgers."""
    return list(
        proceeding.restitutions.select_related("victim")
        .prefetch_related("entries")
        .order_by("created_at")
    )


def lpsk_of(proceeding: Proceeding) -> list[LpskApplication]:
    return list(
        proceeding.lpsk_applications.select_related("victim")
        .prefetch_related("changes")
        .order_by("applied_on", "created_at")
    )


def restitution_status(r: Restitution | None) -> str:
    """A plain payment status code for one restitution."""
    if r is None or not r.awarded_total:
        return PaymentStatus.NOT_AWARDED
    if r.paid_total >= r.awarded_total:
        return PaymentStatus.FULL
    return PaymentStatus.PARTLY if r.paid_total > 0 else PaymentStatus.UNPAID


@dataclass(frozen=True)
class VictimJusticeStatus:
    stage: str  # the Stage code of the case's latest proceeding, "" when there is none
    restitution: str  # a RestitutionState code, "" when no restitution is recorded
    payment: str  # a PaymentStatus code
    due_on: date | None


def victim_justice_status(
    person_id: uuid.UUID | str, case_id: uuid.UUID | str
) -> VictimJusticeStatus:
    """Plain codes for the victim's own status page (the shelter issue): the stage of the
    case's latest proceeding and the victim's restitution in it. Never perpetrator details,
    numbers or notes. The caller checks that the reader may see this victim on this case."""
    proceeding = (
        Proceeding.objects.filter(case_id=case_id).order_by("-reported_on", "-created_at").first()
    )
    if proceeding is None:
        return VictimJusticeStatus("", "", PaymentStatus.NOT_AWARDED, None)
    restitution = Restitution.objects.filter(proceeding=proceeding, victim__pk=person_id).first()
    return VictimJusticeStatus(
        proceeding.stage,
        restitution.state if restitution else "",
        restitution_status(restitution),
        restitution.due_on if restitution else None,
    )


UNKNOWN_COMPANY = "unknown"


@dataclass(frozen=True)
class LicenceCheck:
    """Public data only: the company's name, its licence status and number."""

    name: str
    status: str  # a LicenceStatus code, or UNKNOWN_COMPANY when not in the register
    licence_number: str

    @property
    def flagged(self) -> bool:
        return self.status != LicenceStatus.ACTIVE


def company_licence_status(name_or_nib: str, today: date | None = None) -> LicenceCheck:
    """The placement-company register's answer for a name or NIB (public data only; no
    user check: name, status and licence number are public). A suspension whose end date has
    passed reads as active again; one that has not started yet as active still."""
    text = " ".join(name_or_nib.split())
    return company_licences([text], today).get(text) or LicenceCheck("", UNKNOWN_COMPANY, "")


def _status_on(
    status: str, suspended_from: date | None, suspended_to: date | None, day: date
) -> str:
    """A suspension whose end date has passed, or that has not started yet, reads active."""
    if status == LicenceStatus.SUSPENDED and (
        (suspended_to is not None and suspended_to < day)
        or (suspended_from is not None and suspended_from > day)
    ):
        return LicenceStatus.ACTIVE
    return status


# When the register and a proceeding's record of the same company disagree, the stricter
# status is the answer: a revocation recorded in a proceeding is not undone by an older entry.
_STRICTNESS: dict[str, int] = {
    LicenceStatus.NONE: 0,
    LicenceStatus.ACTIVE: 1,
    LicenceStatus.SUSPENDED: 2,
    LicenceStatus.REVOKED: 3,
}


def company_licences(names: list[str], today: date | None = None) -> dict[str, LicenceCheck]:
    """`company_licence_status` for several names or NIBs at once (two queries: the register,
    and the companies met in proceedings): keyed by the text as given (spaces collapsed)."""
    texts = {" ".join(n.split()) for n in names} - {""}
    if not texts:
        return {}
    day = today or timezone.localdate()
    lowered = [t.lower() for t in texts]
    defendants = list(
        Perpetrator.objects.filter(kind=PerpetratorKind.COMPANY)
        .annotate(lname=Lower("company_name"))
        .filter(Q(lname__in=lowered) | Q(nib__in=texts) | Q(licence_number__in=texts))
        .order_by("-updated_at")
    )
    registered = list(
        PlacementCompany.objects.annotate(lname=Lower("name")).filter(
            Q(lname__in=lowered) | Q(nib__in=texts) | Q(licence_number__in=texts)
        )
    )
    result: dict[str, LicenceCheck] = {}
    for text in texts:
        candidates: list[LicenceCheck] = []
        matches = [
            c
            for c in defendants
            if text in (c.nib, c.licence_number) or c.company_name.lower() == text.lower()
        ]
        # A company with a licence on record wins over a namesake recorded without one; the
        # newest record of the company among the proceedings.
        company = next((c for c in matches if c.licence_status != LicenceStatus.NONE), None) or (
            matches[0] if matches else None
        )
        if company is not None:
            status = _status_on(
                company.licence_status, company.suspended_from, company.suspended_to, day
            )
            candidates.append(LicenceCheck(company.company_name, status, company.licence_number))
        for entry in registered:
            if text in (entry.nib, entry.licence_number) or entry.name.lower() == text.lower():
                status = _status_on(
                    entry.licence_status, entry.suspended_from, entry.suspended_to, day
                )
                candidates.append(LicenceCheck(entry.name, status, entry.licence_number))
        if not candidates:
            result[text] = LicenceCheck(text, UNKNOWN_COMPANY, "")
            continue
        result[text] = max(candidates, key=lambda c: _STRICTNESS.get(c.status, 0))
    return result


@dataclass(frozen=True)
class CompanyFilters:
    q: str = ""  # name, NIB or licence number (part of the name)
    status: str = ""  # a LicenceStatus code, or "" for all


def company_register(filters: CompanyFilters | None = None) -> QuerySet[PlacementCompany]:
    """The register, for every signed-in user: public business data only."""
    f = filters or CompanyFilters()
    qs = PlacementCompany.objects.all()
    if f.status in LicenceStatus.values:
        qs = qs.filter(licence_status=f.status)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(nib=f.q) | Q(licence_number__iexact=f.q))
    return qs.order_by("name", "pk")


def get_company(company_id: int | str) -> PlacementCompany:
    try:
        return PlacementCompany.objects.get(pk=company_id)
    except (PlacementCompany.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def company_sanctions(company: PlacementCompany) -> list[LicenceSanction]:
    return list(company.sanctions.select_related("recorded_by").order_by("-decided_on", "-pk"))


def placement_company_check(
    company: str, licence: str, *, placement_channel: bool
) -> LicenceCheck | None:
    """For a departure (the migration registry): the register's answer for its placement
    company (by name, else by licence number), or None when the departure names none and did
    not go through a placement company. A P3MI departure naming no company reads as unknown."""
    text = company.strip() or licence.strip()
    if not text:
        return LicenceCheck("", UNKNOWN_COMPANY, "") if placement_channel else None
    return company_licence_status(text)


RESTITUTION_SETTLED = (
    RestitutionState.PAID,
    RestitutionState.SUBSTITUTE_DETENTION,
    RestitutionState.CLOSED,
    RestitutionState.REFUSED,
)
RESTITUTION_OPEN = (
    RestitutionState.DUE,
    RestitutionState.PARTLY_PAID,
    RestitutionState.ENFORCEMENT,
)


def waiting_work(user: User) -> list[WaitingWork]:
    """For the police investigator and the prosecutor: deadlines this week, next hearings
    (prosecutors), stalled files. Nothing for other roles."""
    roles = set(principal_for(user).roles)
    if not roles & JUSTICE_ROLES:
        overdue = open_reminders(user).filter(clock=Clock.RESTITUTION_OVERDUE).count()
        if not overdue:
            return []
        return [
            WaitingWork(
                "justice.restitution_overdue",
                gettext_lazy("Restitution overdue on your cases"),
                overdue,
                reverse("justice:deadlines"),
                urgent=True,
            )
        ]
    due = deadlines_this_week(user).count()
    stalled = my_proceedings(user, ProceedingFilters(stalled=True)).count()
    items = [
        WaitingWork(
            "justice.deadlines",
            gettext_lazy("Legal deadlines this week"),
            due,
            reverse("justice:deadlines"),
            urgent=due > 0,
        ),
        WaitingWork(
            "justice.stalled",
            gettext_lazy("Proceedings without an event for 90 days"),
            stalled,
            reverse("justice:list") + "?stalled=1",
            urgent=stalled > 0,
        ),
    ]
    if Role.PROSECUTOR in roles:
        items.append(
            WaitingWork(
                "justice.hearings",
                gettext_lazy("Hearings coming up"),
                next_hearings(user).count(),
                reverse("justice:deadlines") + "#hearings",
            )
        )
    return items
