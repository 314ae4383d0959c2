"""The scheduler enqueues each periodic job once per slot, across restarts and two schedulers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from simpul.jobs.actions import enqueue_slots
from simpul.jobs.models import Job, ScheduledSlot
from simpul.jobs.schedule import SCHEDULE, Periodic, due_slots
from tests.jobs import sample_tasks
from tests.jobs.support import start

EVERY_MINUTE = [Periodic("noop", sample_tasks.noop, every=timedelta(minutes=1))]


def _counts() -> tuple[int, int, int]:
    return ScheduledSlot.objects.count(), DBTaskResult.objects.count(), Job.objects.count()


def test_slots_are_aligned_on_the_period_and_offset():
    daily = Periodic("d", sample_tasks.noop, every=timedelta(days=1), offset=timedelta(hours=18))
    now = datetime(2026, 12, 3, 17, 59, tzinfo=UTC)
    assert daily.slot_start(now) == datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    assert daily.slot_start(now + timedelta(minutes=1)) == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    assert EVERY_MINUTE[0].slot_start(datetime(2026, 12, 3, 10, 7, 59, tzinfo=UTC)) == datetime(
        2026, 12, 3, 10, 7, tzinfo=UTC
    )


@pytest.mark.django_db
def test_a_restarted_scheduler_does_not_enqueue_the_same_slot_again():
    t0 = datetime(2026, 12, 3, 10, 0, 5, tzinfo=UTC)
    with time_machine.travel(t0, tick=False) as clock:
        assert len(enqueue_slots(due_slots(timezone.now(), EVERY_MINUTE))) == 1
        clock.move_to(t0 + timedelta(seconds=40))  # a restart within the same minute
        assert enqueue_slots(due_slots(timezone.now(), EVERY_MINUTE)) == []
        assert _counts() == (1, 1, 1)
        clock.move_to(t0 + timedelta(seconds=60))
        assert len(enqueue_slots(due_slots(timezone.now(), EVERY_MINUTE))) == 1
    assert _counts() == (2, 2, 2)
    slot = ScheduledSlot.objects.order_by("slot_start").first()
    assert slot.slot_start == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert DBTaskResult.objects.filter(pk=slot.result_id).exists()


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_started_together_enqueue_each_slot_once():
    began = timezone.now()
    first, second = start("scheduler", "--once"), start("scheduler", "--once")
    outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    ended = timezone.now()
    assert [first.returncode, second.returncode] == [0, 0], outputs
    expected = {
        (p.name, start_) for p in SCHEDULE for start_ in {p.slot_start(began), p.slot_start(ended)}
    }
    slots = set(ScheduledSlot.objects.values_list("job_name", "slot_start"))
    # Each scheduler ran one pass; together they made each slot of the moment once.
    assert slots <= expected
    assert {name for name, _ in slots} == {p.name for p in SCHEDULE}
    assert _counts() == (len(slots), len(slots), len(slots))
    assert sum(o.count("Enqueued ") for o in outputs) == len(slots)
