"""The health endpoints (`simpul.jobs.health` has the checks): JSON, no sign-in, no personal
data, 200 when healthy and 503 when not, never cached."""

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from simpul.accounts.access import public
from simpul.jobs.health import Health, database_health, scheduler_health, worker_health


def _answer(health: Health) -> JsonResponse:
    return JsonResponse(health.as_json(), status=200 if health.healthy else 503)


@public
@never_cache
@require_GET
def web(request: HttpRequest) -> JsonResponse:
    return _answer(database_health())


@public
@never_cache
@require_GET
def worker(request: HttpRequest) -> JsonResponse:
    return _answer(worker_health(timezone.now()))


@public
@never_cache
@require_GET
def scheduler(request: HttpRequest) -> JsonResponse:
    return _answer(scheduler_health(timezone.now()))
