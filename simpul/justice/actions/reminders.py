"""The daily deadline job's action: a reminder for the responsible user before each legal
limit passes, and for both users once a proceeding has had no event for 90 days. Idempotent:
a reminder is raised once per (proceeding, user, clock, start)."""

from datetime import date, datetime, timedelta

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.cases.queries import case_workers_by_case
from simpul.justice.codes import Clock
from simpul.justice.models import Proceeding, ProceedingEvent, Reminder, Restitution
from simpul.justice.queries import (
    ENDED,
    RESTITUTION_OPEN,
    deadlines_of,
    with_restitution_payment_running,
)
from simpul.justice.rules.clocks import REMIND_DAYS_BEFORE, STALLED_AFTER_DAYS

CHUNK = 500


def raise_reminders(now: datetime | None = None) -> int:
    """Raise every reminder due by `now` (pass it explicitly to travel in time). Returns how
    many new reminders were raised."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    created = 0
    proceedings = (
        Proceeding.objects.exclude(stage__in=ENDED)
        .select_related("investigator", "prosecutor")
        .prefetch_related(Prefetch("events", queryset=ProceedingEvent.objects.order_by("seq")))
        .order_by("pk")
    )
    paginator = Paginator(proceedings, CHUNK)
    for number in paginator.page_range:
        chunk = list(paginator.page(number).object_list)
        restitution = with_restitution_payment_running([p.pk for p in chunk])
        for proceeding in chunk:
            created += _raise_for(proceeding, proceeding.pk in restitution, today, moment)
    created += _raise_restitution_overdue(today, moment)
    if created:
        audit("justice.reminders_raised", count=created)
    return created


def _raise_restitution_overdue(today: date, moment: datetime) -> int:
    """After the due date with less than awarded paid: one reminder for the prosecutor (the
    investigator while none is assigned) and one for the case's worker, per proceeding and
    due date."""
    overdue = list(
        Restitution.objects.filter(state__in=RESTITUTION_OPEN, due_on__lt=today)
        .select_related("proceeding", "proceeding__prosecutor", "proceeding__investigator")
        .order_by("proceeding_id", "due_on")
    )
    workers = case_workers_by_case(list({r.proceeding.case_id for r in overdue}))
    created = 0
    for r in overdue:
        p = r.proceeding
        assert r.due_on is not None
        users = {p.prosecutor or p.investigator, workers.get(p.case_id)}
        for user in users - {None}:
            assert user is not None
            created += _raise(p, user, Clock.RESTITUTION_OVERDUE, r.due_on, r.due_on, moment)
    return created


def _raise_for(proceeding: Proceeding, restitution: bool, today: date, moment: datetime) -> int:
    created = 0
    users: dict[str, User | None] = {
        "police": proceeding.investigator,
        "prosecutor": proceeding.prosecutor,
    }
    events = list(proceeding.events.all())
    for deadline in deadlines_of(proceeding, events, with_restitution=restitution):
        if deadline.due_on - timedelta(days=REMIND_DAYS_BEFORE) > today:
            continue
        user = users[deadline.responsible] or proceeding.investigator
        created += _raise(
            proceeding, user, deadline.clock, deadline.started_on, deadline.due_on, moment
        )
    last = proceeding.last_event_on
    if last and (today - last).days >= STALLED_AFTER_DAYS:
        due = last + timedelta(days=STALLED_AFTER_DAYS)
        for user in {u for u in users.values() if u is not None}:
            created += _raise(proceeding, user, Clock.STALLED, last, due, moment)
    return created


def _raise(
    proceeding: Proceeding, user: User, clock: str, started: date, due: date, moment: datetime
) -> int:
    if Reminder.objects.filter(
        proceeding=proceeding, user=user, clock=clock, started_on=started
    ).exists():
        return 0
    try:
        with transaction.atomic():
            Reminder.objects.create(
                proceeding=proceeding,
                user=user,
                clock=clock,
                started_on=started,
                due_on=due,
                raised_at=moment,
            )
    except IntegrityError:  # raised meanwhile by a concurrent run
        return 0
    return 1
