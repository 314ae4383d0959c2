"""The job page: the system administrator only; status, attempts, progress, log and error."""

import pytest
from django.utils import translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.jobs.actions import enqueue, fail
from simpul.jobs.models import Job
from tests.jobs import sample_tasks


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _failed_job() -> Job:
    job = enqueue(sample_tasks.fails_once_for_good)
    DBTaskResult.objects.filter(pk=job.pk).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w1"]
    )
    result = DBTaskResult.objects.get(pk=job.pk)
    try:
        raise ValueError("Kenanga Puspitasari 6101095507090003")
    except ValueError as exc:
        assert fail(result, exc) == TaskResultStatus.FAILED
    return job


@pytest.mark.django_db
def test_the_system_administrator_sees_jobs_filtered_by_status_and_task(signed_in):
    failed = _failed_job()
    for n in range(3):
        enqueue(sample_tasks.noop, n=n)
    admin = signed_in("sysadmin")

    everything = admin.get("/jobs/")
    assert everything.status_code == 200
    assert everything.context["page"].paginator.count == 4
    assert b"Pekerjaan latar belakang" in everything.content

    only_failed = admin.get("/jobs/", {"status": "FAILED"})
    assert [j.pk for j in only_failed.context["page"]] == [failed.pk]
    body = only_failed.content.decode()
    assert "builtins.ValueError" in body
    assert "attempt 1 failed (builtins.ValueError); gave up" in body
    assert "Kenanga" not in body and "6101095507090003" not in body

    noop = admin.get("/jobs/", {"task": "noop", "status": "READY"})
    assert noop.context["page"].paginator.count == 3
    assert admin.get("/jobs/", {"task": "nothing"}).context["page"].paginator.count == 0


@pytest.mark.django_db
def test_the_job_page_is_paged_fifty_at_a_time(signed_in):
    for n in range(51):
        enqueue(sample_tasks.noop, n=n)
    admin = signed_in("sysadmin")
    assert len(admin.get("/jobs/").context["page"]) == 50
    assert len(admin.get("/jobs/", {"page": 2}).context["page"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin.sambas", "supervisor.sambas", "gt.kalbar"])
def test_no_one_but_the_system_administrator_opens_the_job_page(signed_in, username):
    _failed_job()
    response = signed_in(username).get("/jobs/")
    assert response.status_code == 403
    assert b"builtins.ValueError" not in response.content


@pytest.mark.django_db
def test_the_job_page_is_in_the_system_administrators_navigation(signed_in):
    assert b'href="/jobs/"' in signed_in("sysadmin").get("/").content
    assert b'href="/jobs/"' not in signed_in("admin.sambas").get("/").content
