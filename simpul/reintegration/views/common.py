"""What the reintegration views share: the module menu and one page of a list."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.reintegration.cohorts import may_see_cohorts

PAGE_SIZE = 25


def menu(user: User, current: str) -> list[dict[str, object]]:
    records = principal_for(user).has_perm(Perm.VIEW_RECORDS)
    entries: list[tuple[str, object, bool]] = [
        ("reintegration:list", _("Reintegration plans"), records),
        ("reintegration:overdue", _("Overdue visits"), records),
        ("reintegration:cohorts", _("Cohort report"), may_see_cohorts(user)),
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
