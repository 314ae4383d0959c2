"""What the shelter views share: the module menu and one page of a list."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm

PAGE_SIZE = 25


def menu(user: User, current: str) -> list[dict[str, object]]:
    principal = principal_for(user)
    records = principal.has_perm(Perm.VIEW_RECORDS)
    stats = records or principal.has_perm(Perm.VIEW_AGGREGATES)
    entries: list[tuple[str, object, bool]] = [
        ("shelters:board", _("Shelter board"), records),
        ("shelters:stay_list", _("Stays"), records),
        ("shelters:handover_list", _("Handovers"), records),
        ("shelters:shelter_list", _("Shelters"), stats or principal.has_perm(Perm.MANAGE_AGENCIES)),
        ("shelters:occupancy", _("Occupancy"), stats),
    ]
    return [
        {"name": name, "label": label, "active": name == current}
        for name, label, shown in entries
        if shown
    ]


def page_of(request: HttpRequest, rows: QuerySet, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
