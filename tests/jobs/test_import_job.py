"""A large deportee list uploaded on the page is imported by a worker: the file is kept sealed
until the job has run, the page shows a progress bar and then the all-or-nothing result, a
re-run creates nothing, and every imported return is queued for its linkage check.

Here with the job tests, not in tests/migration: these transactional tests must run after the
concurrent-writer tests (tests/conftest.py orders tests/jobs after them)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from simpul.audit.models import AuditEvent
from simpul.jobs.models import Job
from simpul.migration import importer
from simpul.migration.models import ImportJob, ReturnEvent
from tests.cases.helpers import indonesian
from tests.jobs.support import drain
from tests.migration.conftest import people  # noqa: F401  (the migration tests' users)
from tests.migration.test_import import HEADER, _csv, _row, _state

pytestmark = pytest.mark.django_db(transaction=True)  # drain() closes the connection


def _upload(client, content: bytes):
    return client.post(
        "/migration/returns/import/",
        {"file": SimpleUploadedFile("deportasi.csv", content, "text/csv"), "encoding": "utf-8"},
    )


def _page(client, job: ImportJob) -> str:
    return client.get(f"/migration/returns/import/{job.pk}/progress/").content.decode()


@pytest.fixture
def small_inline_limit(monkeypatch):
    """Every test file here is a "large" one (above 2 KB instead of 256 KB)."""
    monkeypatch.setattr(importer, "INLINE_MAX_BYTES", 2048)


def test_a_large_list_is_imported_by_the_worker_with_a_progress_bar(
    people,  # noqa: F811
    signed_in,
    small_inline_limit,
):
    client = signed_in("pos.aruk")
    content = _csv([_row(i) for i in range(40)])
    assert len(content) > 2048
    before = _state()
    response = _upload(client, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/migration/returns/import/{job.pk}/"
    # Queued, nothing imported yet; the file is kept sealed (never in the clear).
    assert _state() == before and job.status == "queued" and job.content_sealed
    assert b"Rina Marlina" not in job.content_sealed.encode() and job.file_format == "csv"
    waiting = client.get(f"/migration/returns/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in waiting and '<progress max="100" value="0">' in waiting
    assert 'aria-live="polite"' in waiting

    drain()  # what `simpul worker` does

    job.refresh_from_db()
    assert importer.import_errors(job) == []
    assert (job.status, job.progress, job.rows_created, job.rows_skipped) == ("done", 100, 40, 0)
    assert job.content_sealed == ""  # the file is erased once imported
    assert ReturnEvent.objects.count() == before[0] + 40
    done = _page(client, job)
    assert "every 2s" not in done and '<progress max="100" value="100">' in done
    assert 'id="import-report"' in done and 'data-status="done"' in done
    [task] = Job.objects.filter(task_name="import_return_list")
    assert task.progress == 100 and "40 created" in task.log
    # Every imported return was queued for its one-record linkage check (and checked).
    checks = Job.objects.filter(task_name="check_return")
    assert checks.count() == 40
    assert set(
        DBTaskResult.objects.filter(pk__in=checks.values("pk")).values_list("status", flat=True)
    ) == {"SUCCESSFUL"}
    assert AuditEvent.objects.filter(action="return.import.queue", count=None).count() == 1

    # The same file again: a second job that creates nothing (safe to re-run).
    assert _upload(client, content).status_code == 302
    drain()
    again = ImportJob.objects.order_by("-created_at").first()
    assert (again.status, again.rows_created, again.rows_skipped) == ("done", 0, 40)
    assert ReturnEvent.objects.count() == before[0] + 40
    # Another agency's user cannot see the job.
    assert signed_in("desa.sebunga").get(f"/migration/returns/import/{job.pk}/").status_code in (
        403,
        404,
    )


def test_a_large_list_with_a_bad_row_imports_nothing_and_names_the_row(
    people,  # noqa: F811
    signed_in,
    small_inline_limit,
):
    client = signed_in("pos.aruk")
    rows = [_row(i) for i in range(40)]
    rows[6][HEADER.index("titik_masuk")] = "PELABUHAN ANTAH"
    before = _state()
    assert _upload(client, _csv(rows)).status_code == 302
    drain()
    job = ImportJob.objects.get()
    assert (job.status, job.error_count, job.rows_created, job.content_sealed) == (
        "rejected",
        1,
        0,
        "",
    )
    assert _state() == before  # all or nothing
    assert [(e.row, e.column) for e in importer.import_errors(job)] == [(8, "titik_masuk")]
    page = client.get(f"/migration/returns/import/{job.pk}/").content.decode()
    assert 'data-status="rejected"' in page and '<td class="num">8</td>' in page
    assert indonesian("Row") in page
    assert not Job.objects.filter(task_name="check_return").exists()


def test_a_small_list_is_still_imported_while_the_page_waits(
    people,  # noqa: F811
    signed_in,
):
    client = signed_in("pos.aruk")
    response = _upload(client, _csv([_row(i) for i in range(3)]))
    assert response.status_code == 200 and 'id="import-report"' in response.content.decode()
    assert not ImportJob.objects.exists() and ReturnEvent.objects.count() == 3


def test_the_command_queues_a_list_for_the_worker(
    people,  # noqa: F811
    tmp_path,
):
    path = tmp_path / "deportasi.csv"
    path.write_bytes(_csv([_row(i) for i in range(5)]))
    out = io.StringIO()
    call_command("import_returns", str(path), "--user", "pos.aruk", "--queue", stdout=out)
    job = ImportJob.objects.get()
    assert f"/migration/returns/import/{job.pk}/" in out.getvalue() and job.status == "queued"
    assert ReturnEvent.objects.count() == 0
    drain()
    job.refresh_from_db()
    assert (job.status, job.rows_created, ReturnEvent.objects.count()) == ("done", 5, 5)
