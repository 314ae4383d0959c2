from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from simpul.accounts.access import require_perm
from simpul.accounts.roles import Perm
from simpul.backups import queries


@require_perm(Perm.MANAGE_AGENCIES)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backups/overview.html",
        {
            "status": queries.drill_status(),
            "backups": queries.backups(),
            "drills": queries.drills(),
            "key_configured": bool(settings.BACKUP_KEYS),
            "warning_days": queries.DRILL_WARNING_AFTER.days,
        },
    )
