"""The daily deadline job with time travel: reminders before a limit passes, once; stalled
files after 90 days; a reminder is done once its limit stops running."""

from datetime import UTC, datetime, time, timedelta

import pytest

from simpul.jobs.schedule import SCHEDULE
from simpul.justice import actions, queries
from simpul.justice.actions import PerpetratorInput, SentenceInput
from simpul.justice.codes import Clock
from simpul.justice.codes import EventCode as E
from simpul.justice.models import Reminder
from simpul.justice.tasks import justice_deadlines
from tests.justice.support import ago, convicted, justice_case, opened, step
from tests.referrals.support import user

pytestmark = pytest.mark.django_db


def at(day):
    return datetime.combine(day, time(3, 0), tzinfo=UTC)


def test_reminders_before_the_limit_once_and_done_when_it_stops(world):
    p = opened(justice_case(), reported=20)
    step(p, "polisi.sambas", E.INVESTIGATION, 19)
    step(p, "polisi.sambas", E.SPDP, 18)
    actions.assign_prosecutor(user("polisi.sambas"), p, user("jaksa.sambas"))
    step(p, "polisi.sambas", E.FILE_HANDED_OVER, 3)  # the prosecutor has 7 days: due in 4
    handed = ago(3)
    # Six days before the limit: nothing yet (reminders come 5 days before).
    assert actions.raise_reminders(now=at(handed + timedelta(days=1))) == 0
    assert actions.raise_reminders(now=at(handed + timedelta(days=2))) == 1
    assert actions.raise_reminders(now=at(handed + timedelta(days=3))) == 0  # idempotent
    reminder = Reminder.objects.get()
    assert (reminder.user, reminder.clock, reminder.due_on) == (
        user("jaksa.sambas"),
        Clock.FILE_REVIEW,
        handed + timedelta(days=7),
    )
    assert list(queries.deadlines_this_week(user("jaksa.sambas"))) == [reminder]
    assert list(queries.deadlines_this_week(user("polisi.sambas"))) == []
    step(p, "jaksa.sambas", E.P19, 1, note="Lengkapi berkas.")
    reminder.refresh_from_db()
    assert reminder.done_at is not None
    assert list(queries.deadlines_this_week(user("jaksa.sambas"))) == []


def test_stalled_after_90_days_for_both_users(world):
    p = opened(justice_case(), reported=30)
    actions.assign_prosecutor(user("polisi.sambas"), p, user("jaksa.sambas"))
    last = ago(30)
    assert actions.raise_reminders(now=at(last + timedelta(days=89))) == 0
    assert actions.raise_reminders(now=at(last + timedelta(days=90))) == 2
    assert actions.raise_reminders(now=at(last + timedelta(days=91))) == 0
    assert set(Reminder.objects.values_list("user__username", "clock")) == {
        ("polisi.sambas", Clock.STALLED),
        ("jaksa.sambas", Clock.STALLED),
    }


def test_the_job_is_scheduled_daily():
    entry = next(e for e in SCHEDULE if e.name == "justice_deadlines")
    assert (entry.task, entry.every) == (justice_deadlines, timedelta(days=1))


def test_restitution_payment_reminder_after_the_final_verdict(world):
    p = convicted(justice_case())
    jaksa = user("jaksa.sambas")
    defendant = actions.add_defendant(jaksa, p, PerpetratorInput(kind="person", full_name="Budi"))
    charge = actions.add_charge(jaksa, defendant, law="uu21_2007", article="2_1", aggravations=[])
    actions.record_sentence(
        jaksa,
        charge,
        SentenceInput(prison_months=48, restitution_ordered=True, restitution_amount=25_000_000),
    )
    step(p, "jaksa.sambas", E.FINAL, 2)
    final = ago(2)
    # PERMA 1/2022: 30 days from the final verdict; the reminder comes 5 days before.
    assert actions.raise_reminders(now=at(final + timedelta(days=24))) == 0
    assert actions.raise_reminders(now=at(final + timedelta(days=25))) == 1
    reminder = Reminder.objects.get(clock=Clock.RESTITUTION_PAYMENT)
    assert (reminder.user, reminder.due_on) == (jaksa, final + timedelta(days=30))


def test_the_deadline_list_pages_and_filters(world, signed_in):
    """55 open reminders of the prosecutor (52 this week, 3 later): 25 a page; the limit
    filter and "all open" change the count."""
    jaksa = user("jaksa.sambas")
    today = ago(0)
    for i in range(55):
        p = opened(justice_case(), reported=10)
        actions.assign_prosecutor(user("polisi.sambas"), p, jaksa)
        Reminder.objects.create(
            proceeding=p,
            user=jaksa,
            clock=Clock.STALLED if i < 5 else Clock.FILE_REVIEW,
            started_on=today,
            due_on=today + timedelta(days=30 if i >= 52 else 2),
            raised_at=at(today),
        )
    client = signed_in("jaksa.sambas")
    first = client.get("/justice/deadlines/").content.decode()
    assert 'data-count="52"' in first
    assert first.count("data-clock=") == 25
    assert 'rel="next"' in first
    third = client.get("/justice/deadlines/?page=3").content.decode()
    assert third.count("data-clock=") == 2
    stalled = client.get("/justice/deadlines/?clock=stalled").content.decode()
    assert 'data-count="5"' in stalled
    assert stalled.count('data-clock="stalled"') == 5
    everything = client.get("/justice/deadlines/?when=all&page=3").content.decode()
    assert 'data-count="55"' in everything
    assert everything.count("data-clock=") == 5
    assert 'href="?when=all&amp;page=2"' in everything
    # A code that is no limit is ignored, not an error.
    assert 'data-count="52"' in client.get("/justice/deadlines/?clock=nope").content.decode()
