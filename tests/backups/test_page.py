"""The system administrator's backups page: last backups and drills with outcome, RPO and RTO,
and a warning (also on the home page's waiting work) once no drill has succeeded in 8 days."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from simpul.backups.choices import FailureReason, Outcome
from simpul.backups.models import Backup, RestoreDrill
from simpul.backups.templatetags.backups_tags import duration_text
from tests.cases.helpers import indonesian


def _work(html: str) -> list[tuple[str, int]]:
    return [
        (key, int(n)) for key, n in re.findall(r'<li data-work="([^"]+)" data-count="(\d+)"', html)
    ]


def _drill(finished_at, outcome=Outcome.OK, reason="", backup=None) -> RestoreDrill:
    return RestoreDrill.objects.create(
        backup=backup,
        backup_path=backup.path if backup else "",
        backup_created_at=backup.started_at if backup else None,
        started_at=finished_at - timedelta(seconds=30),
        finished_at=finished_at,
        outcome=outcome,
        failure_reason=reason,
        rpo_seconds=7260.0 if outcome == Outcome.OK else None,
        rto_seconds=12.5 if outcome == Outcome.OK else None,
        tables_checked=80,
        rows_checked=1234,
        audit_entries_verified=56,
    )


@pytest.mark.django_db
def test_the_page_shows_drills_with_rpo_and_rto_and_warns_after_eight_days(signed_in):
    client = signed_in("sysadmin")
    # No drill at all: warned on the page and on the home page.
    page = client.get("/backups/").content.decode()
    assert 'id="drill-warning"' in page
    assert indonesian("No restore drill yet.") in page
    assert ("backups.drill_overdue", 1) in _work(client.get("/").content.decode())

    now = timezone.now()
    backup = Backup.objects.create(
        started_at=now - timedelta(days=7, hours=2),
        finished_at=now - timedelta(days=7, hours=2),
        outcome=Outcome.OK,
        path="/srv/backups/simpul-postgresql-x.simpulbak",
        size_bytes=2_500_000,
        vendor="postgresql",
        key_id="b1",
        tables=80,
        rows=1234,
        audit_entries=56,
    )
    good = _drill(now - timedelta(days=7), backup=backup)
    failed = _drill(now - timedelta(days=1), Outcome.FAILED, FailureReason.WRONG_KEY, backup)

    page = client.get("/backups/").content.decode()
    assert 'id="drill-warning"' not in page and 'id="drill-ok"' in page
    assert f'<tr data-drill="{good.pk}" data-outcome="ok">' in page
    assert 'data-rpo="7260.0"' in page and 'data-rto="12.5"' in page
    assert f'<tr data-drill="{failed.pk}" data-outcome="failed">' in page
    assert indonesian("Wrong backup key") in page  # the reason's label, never its code
    assert ">wrong_key<" not in page
    assert f'<tr data-backup="{backup.pk}" data-outcome="ok">' in page
    assert "backups.drill_overdue" not in client.get("/").content.decode()

    # Eight days and a little after the good drill (the failed one does not count).
    with time_machine.travel(now + timedelta(days=1, minutes=5), tick=False):
        client = signed_in("sysadmin")
        page = client.get("/backups/").content.decode()
        assert 'id="drill-warning"' in page and 'id="drill-ok"' not in page
        home = client.get("/").content.decode()
        assert ("backups.drill_overdue", 1) in _work(home)
        assert 'data-work="backups.drill_overdue" data-count="1" class="urgent"' in home


@pytest.mark.django_db
def test_only_the_system_administrator_sees_the_page_and_the_warning(signed_in):
    for username in ("admin.sambas", "supervisor.sambas", "gt.kalbar"):
        client = signed_in(username)
        assert client.get("/backups/").status_code == 403, username
        assert "backups.drill_overdue" not in client.get("/").content.decode(), username


def test_durations_read_as_seconds_minutes_hours_and_days():
    with translation.override("en"):
        assert [duration_text(s) for s in (4.24, 720, 3 * 3600 + 300, 2 * 86400 + 4 * 3600)] == [
            "4.2 s",
            "12 min",
            "3 h 5 min",
            "2 d 4 h",
        ]
