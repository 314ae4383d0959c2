"""The registers as paged lists: departures and check-ins, filtered and searchable by
reference or person code. Filters ride along in every page link; each list costs the same
number of queries however long it grows (tests/migration/test_lists.py pins it)."""

import uuid

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.migration import codes, queries, stats
from simpul.migration.capabilities import Duty, may
from simpul.migration.codes import Country, ProceduralStatus, ReturnKind, Stage
from simpul.migration.views.common import duties, menu

PAGE_SIZE = 50
MAX_SEARCH = 40


def page_of(request: HttpRequest, rows: QuerySet, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """One page of `rows` and the current filters as a query string without the page, for
    the pager's links (so filters persist across pages)."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def search_text(request: HttpRequest) -> str:
    return " ".join(request.GET.get("q", "").split())[:MAX_SEARCH]


def choice(request: HttpRequest, name: str, allowed: list[str], default: str = "") -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


CHECKIN_STATUSES = [
    ("overdue", _("Overdue")),
    ("open", _("Due, not yet contacted")),
    ("done", _("Contacted")),
    ("all", _("All")),
]


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def checkin_list(request: HttpRequest) -> HttpResponse:
    """Scheduled and recorded check-ins; "overdue" first for the village officer's round."""
    user = acting_user(request)
    today = timezone.localdate()
    status = choice(request, "status", [c for c, _label in CHECKIN_STATUSES], "overdue")
    q = search_text(request)
    if status == "overdue":
        rows = queries.overdue_checkins(user, today).order_by("due_on", "created_at")
    else:
        rows = queries.checkins_for(user).exclude(departure__stage=Stage.CANCELLED)
        if status == "open":
            rows = rows.filter(outcome="").order_by("due_on", "created_at")
        elif status == "done":
            rows = rows.exclude(outcome="").order_by("-contacted_on", "-created_at")
        else:
            rows = rows.order_by("-due_on", "-created_at")
    if q:
        rows = rows.filter(Q(departure__reference__iexact=q) | Q(person__code__iexact=q))
    page, query = page_of(
        request,
        rows.select_related("departure", "person", "scope_region", "referred_intake"),
    )
    audit(
        "checkin.list",
        request=request,
        record_type="migration.checkin",
        count=len(page.object_list),
    )
    return render(
        request,
        "migration/checkin_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": CHECKIN_STATUSES,
            "q": q,
            "today": today,
            "menu": menu(user, "migration:checkin_list"),
        },
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def departure_list(request: HttpRequest) -> HttpResponse:
    """Every departure in scope, filtered by stage, procedural status and destination."""
    user = acting_user(request)
    stage = choice(request, "stage", list(Stage.values))
    status = choice(request, "status", list(ProceduralStatus.values))
    country = choice(request, "country", list(Country.values))
    q = search_text(request)
    rows = queries.departures_for(user)
    if stage:
        rows = rows.filter(stage=stage)
    if status:
        rows = rows.filter(procedural_status=status)
    if country:
        rows = rows.filter(destination_country=country)
    if q:
        rows = rows.filter(Q(reference__iexact=q) | Q(person__code__iexact=q))
    page, query = page_of(
        request,
        rows.select_related("person", "scope_region").order_by("-planned_on", "-created_at"),
    )
    audit(
        "departure.list",
        request=request,
        record_type="migration.departure",
        count=len(page.object_list),
    )
    return render(
        request,
        "migration/departure_list.html",
        {
            "page": page,
            "query": query,
            "stage": stage,
            "status": status,
            "country": country,
            "q": q,
            "stages": Stage.choices,
            "statuses": ProceduralStatus.choices,
            "countries": Country.choices,
            "menu": menu(user, "migration:departure_list"),
            "duties": duties(user),
        },
    )


SCREENED = [("no", _("Not yet screened")), ("yes", _("Screened"))]


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def return_list(request: HttpRequest) -> HttpResponse:
    """Returns and deportations in scope, those not yet screened first, so the 3,000 rows of
    one deportee list can be worked through; filtered by screening, kind, entry point and
    import, searchable by person code or list reference."""
    user = acting_user(request)
    screened = choice(request, "screened", [c for c, _label in SCREENED])
    kind = choice(request, "kind", list(ReturnKind.values))
    point = choice(request, "point", [p.code for p in codes.CROSSING_POINTS])
    batches = list(queries.batches_for(user).order_by("-created_at")[:20])
    batch = choice(request, "batch", [str(b.id) for b in batches])
    q = search_text(request)
    rows = queries.returns_with_screening(user)
    if screened:
        rows = rows.filter(is_screened=screened == "yes")
    if kind:
        rows = rows.filter(kind=kind)
    if point:
        rows = rows.filter(entry_point=point)
    if batch:
        rows = rows.filter(batch_id=uuid.UUID(batch))
    if q:
        rows = rows.filter(Q(person__code__iexact=q) | Q(batch__list_reference__iexact=q))
    page, query = page_of(
        request,
        rows.select_related("person", "scope_region", "referred_intake").order_by(
            "is_screened", "-returned_on", "-created_at"
        ),
    )
    area = stats.area_for(user)
    audit(
        "return.list",
        request=request,
        record_type="migration.returnevent",
        count=len(page.object_list),
    )
    return render(
        request,
        "migration/return_list.html",
        {
            "page": page,
            "query": query,
            "screened": screened,
            "kind": kind,
            "point": point,
            "batch": batch,
            "q": q,
            "screened_choices": SCREENED,
            "kinds": ReturnKind.choices,
            "points": [(p.code, p.name) for p in codes.CROSSING_POINTS],
            "batches": batches,
            "per_month": stats.returns_per_entry_point(area) if area else None,
            "menu": menu(user, "migration:return_list"),
            "can_record": may(user, Duty.RETURNS),
        },
    )
