"""The hourly check-in job: overdue and unreachable check-ins become notices for the village
officer, once per departure, kind and date, audited, and shown on the officer's home page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from simpul.accounts.models import User
from simpul.audit.models import AuditEvent
from simpul.jobs import tasks
from simpul.jobs.actions import enqueue
from simpul.migration import actions
from simpul.migration.models import CheckInNotice, NoticeKind
from simpul.migration.queries import waiting_work
from tests.jobs.support import drain
from tests.migration.builders import identity, register
from tests.migration.conftest import people  # noqa: F401  (the migration tests' users)

pytestmark = pytest.mark.django_db(transaction=True)  # drain() closes the connection


def _run_job() -> int:
    job = enqueue(tasks.checkin_notices)
    drain()
    return DBTaskResult.objects.get(pk=job.pk).return_value


def _contact(user, departure, days_ago: int, outcome: str) -> None:
    actions.record_check_in(
        user,
        departure,
        actions.CheckInInput(
            contacted_on=timezone.localdate() - timedelta(days=days_ago),
            outcome=outcome,
            contact_with="family",
        ),
    )


def test_overdue_and_unreachable_check_ins_are_noticed_once_and_reach_the_officer(
    people,  # noqa: F811
    signed_in,
):
    desa = User.objects.get(username="desa.sebunga")
    today = timezone.localdate()
    overdue = register(desa, already_left=True, departed_on=today - timedelta(days=200))
    silent = register(
        desa,
        identity(name="Rina", serial=9002),
        already_left=True,
        departed_on=today - timedelta(days=20),
    )
    _contact(desa, silent, 9, "unreachable")
    _contact(desa, silent, 2, "unreachable")

    assert _run_job() == 4  # three overdue check-ins (months 1, 3, 6) and one unreachable
    notices = CheckInNotice.objects.order_by("kind", "on")
    assert [(n.departure_id, n.kind) for n in notices] == [
        *[(overdue.pk, NoticeKind.OVERDUE)] * 3,
        (silent.pk, NoticeKind.UNREACHABLE),
    ]
    assert {(n.agency_id, n.user_id) for n in notices} == {(overdue.owner_agency_id, desa.pk)}
    assert notices.get(kind=NoticeKind.UNREACHABLE).on == today - timedelta(days=2)
    audited = AuditEvent.objects.filter(action="checkin.notice")
    assert [(e.count, e.record_type) for e in audited] == [(4, "migration.checkinnotice")]

    # Idempotent: the next hourly run records nothing new and audits nothing.
    assert _run_job() == 0
    assert (CheckInNotice.objects.count(), audited.count()) == (4, 1)

    work = {w.key: w.count for w in waiting_work(desa)}
    assert (work["migration.unreachable"], work["migration.checkins_overdue"]) == (1, 3)
    home = signed_in("desa.sebunga").get("/").content.decode()
    assert re.search(r'data-work="migration.unreachable" data-count="1"', home)

    # The neighbouring village's officer sees none of Sebunga's notices.
    assert "migration.unreachable" not in {w.key for w in waiting_work(people.kaliau)}

    # Reached again: the item goes away (shown only while someone is unreachable).
    _contact(desa, silent, 0, "well")
    assert "migration.unreachable" not in {w.key for w in waiting_work(desa)}
