from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tasks.base import TaskResultStatus

from simpul.accounts.access import require_perm
from simpul.accounts.roles import Perm
from simpul.jobs import queries

PAGE_SIZE = 50


@require_perm(Perm.MANAGE_AGENCIES)
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in TaskResultStatus.values else ""
    task_name = request.GET.get("task", "")[:200]
    page = Paginator(queries.jobs(status, task_name), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/job_list.html",
        {
            "page": page,
            "status": status,
            "task_name": task_name,
            "statuses": TaskResultStatus.choices,
            "task_names": queries.task_names(),
            "workers": queries.workers(),
        },
    )
