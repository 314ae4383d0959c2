"""Reads for the job page. Job rows carry no identities, so the page is for the system
administrator (who sees no case data) and needs no record scoping."""

from django.db.models import QuerySet
from django_tasks.base import TaskResultStatus

from simpul.jobs.models import Job, WorkerHeartbeat


def jobs(status: str = "", task_name: str = "") -> QuerySet[Job]:
    rows = Job.objects.select_related("result").order_by("-created_at")
    if status in TaskResultStatus.values:
        rows = rows.filter(result__status=status)
    if task_name:
        rows = rows.filter(task_name=task_name)
    return rows


def task_names() -> list[str]:
    return list(Job.objects.order_by("task_name").values_list("task_name", flat=True).distinct())


def workers() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.order_by("-beat_at")
