"""The village register and the district/province statistics."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from simpul.accounts.access import acting_user, require_any_perm, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.disclosure import LEGEND
from simpul.migration import queries, stats
from simpul.migration.capabilities import Duty, may
from simpul.migration.codes import ProceduralStatus
from simpul.migration.views.common import duties, menu


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Who is away and where, overdue check-ins, missing people and returns."""
    user = acting_user(request)
    if not may(user, Duty.DEPARTURES) and (may(user, Duty.RETURNS) or may(user, Duty.SCREENING)):
        return redirect("migration:return_list")
    today = timezone.localdate()
    reg = queries.village_register(user, today)
    audit(
        "departure.list",
        request=request,
        record_type="migration.departure",
        count=len(reg.away) + len(reg.planned),
    )
    return render(
        request,
        "migration/register.html",
        {
            "reg": reg,
            "today": today,
            "menu": menu(user, "migration:register"),
            "duties": duties(user),
            "statuses": ProceduralStatus,
        },
    )


@require_any_perm(Perm.VIEW_RECORDS, Perm.VIEW_AGGREGATES)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    area = stats.area_for(user)
    if area is None:
        raise PermissionDenied
    tables = stats.departure_tables(area)
    returns = stats.returns_per_entry_point(area)
    audit(
        "migration.statistics",
        request=request,
        record_type="migration.departure",
        count=sum(r.total for r in tables["area"]),
    )
    return render(
        request,
        "migration/statistics.html",
        {
            "area": area,
            "legend": LEGEND,
            "tables": tables,
            "returns": returns,
            "statuses": list(ProceduralStatus),
            "menu": menu(user, "migration:statistics"),
        },
    )
