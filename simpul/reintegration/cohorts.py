"""The cohort report: mean scores per visit by return year, exploitation type and sex, and
score changes against the plan services delivered between visits. Only scored visits count;
a cell of fewer than 11 visits shows "<11" and no mean (`core.disclosure`).

Who sees which plans: aggregate roles (task force, analysts) the plans of cases located in
their jurisdictions (a grant without one: the whole country); roles that see records (case
workers and supervisors above all) the plans of the cases their own agencies own."""

import itertools
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import acting_agency_ids
from simpul.accounts.roles import Perm
from simpul.cases.codes import Exploitation
from simpul.core.disclosure import Cell, suppress_count
from simpul.core.scoping import region_subtree
from simpul.reintegration.choices import ServiceStatus, Sex
from simpul.reintegration.instrument import text
from simpul.reintegration.models import Instrument, PlanService, ReintegrationPlan, Visit

BREAKDOWNS = {
    "year": _("Year of return"),
    "exploitation": _("Type of exploitation"),
    "sex": _("Sex"),
}
SERVICE_BUCKETS = ("0", "1", "2", "3+")


def may_see_cohorts(user: User) -> bool:
    p = principal_for(user)
    return p.has_perm(Perm.VIEW_AGGREGATES) or p.has_perm(Perm.VIEW_RECORDS)


def cohort_plans(user: User) -> QuerySet[ReintegrationPlan]:
    p = principal_for(user)
    q = Q(pk__in=[])
    for g in p.grants_with(Perm.VIEW_AGGREGATES):
        if not g.jurisdiction_code:
            return ReintegrationPlan.objects.all()
        q |= region_subtree("case__scope_region__code", str(g.jurisdiction_code))
    if p.has_perm(Perm.VIEW_RECORDS):
        q |= Q(case__owner_agency_id__in=acting_agency_ids(user, Perm.VIEW_RECORDS))
    return ReintegrationPlan.objects.filter(q)


@dataclass
class MeanCell:
    count: Cell
    mean: str  # "" when hidden or empty

    @classmethod
    def of(cls, values: list[Decimal]) -> "MeanCell":
        count = suppress_count(len(values))
        if count.suppressed or not values:
            return cls(count, "")
        return cls(count, f"{sum(values) / len(values):.2f}")


def _visits(plans: QuerySet[ReintegrationPlan]) -> list[dict[str, Any]]:
    rows: Any = (
        Visit.objects.filter(plan__in=plans.values("pk"), done_on__isnull=False)
        .values(
            "plan_id",
            "month",
            "done_on",
            "composite",
            "scores",
            "plan__returned_on",
            "plan__cohort_sex",
            "plan__case__exploitation_types",
        )
        .order_by("plan_id", "month")
    )
    return list(rows)


def _groups(visit: dict[str, Any], breakdown: str) -> list[str]:
    if breakdown == "year":
        return [str(visit["plan__returned_on"].year)]
    if breakdown == "sex":
        return [visit["plan__cohort_sex"] or ""]
    return list(visit["plan__case__exploitation_types"] or []) or ["Other"]


def _group_label(breakdown: str, key: str) -> str:
    if breakdown == "sex":
        return str(Sex(key).label) if key in Sex.values else key
    if breakdown == "exploitation":
        return str(Exploitation(key).label) if key in Exploitation.values else key
    return key


def report(user: User, breakdown: str = "year") -> dict[str, Any]:
    if breakdown not in BREAKDOWNS:
        breakdown = "year"
    plans = cohort_plans(user)
    months = [0, *settings.REINTEGRATION_VISIT_MONTHS]
    visits = _visits(plans)
    cells: dict[str, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    overall: dict[int, list[Decimal]] = defaultdict(list)
    dims: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for v in visits:
        composite = Decimal(v["composite"])
        for g in _groups(v, breakdown):
            cells[g][v["month"]].append(composite)
        overall[v["month"]].append(composite)
        for key, value in (v["scores"].get("dimensions") or {}).items():
            dims[v["month"]][key].append(Decimal(value))
    rows = [
        {"label": _group_label(breakdown, g), "cells": [MeanCell.of(cells[g][m]) for m in months]}
        for g in sorted(cells)
    ]
    labels = dimension_labels()  # in the instrument's order
    found = {k for per in dims.values() for k in per}
    dimension_keys = [k for k in labels if k in found] + sorted(found - set(labels))
    return {
        "breakdown": breakdown,
        "months": months,
        "rows": rows,
        "overall": [MeanCell.of(overall[m]) for m in months],
        "dimensions": [
            {
                "key": k,
                "label": labels.get(k, k),
                "cells": [MeanCell.of(dims[m][k]) for m in months],
            }
            for k in dimension_keys
        ],
        "services": change_by_services(plans, visits),
    }


def dimension_labels() -> dict[str, str]:
    """The dimensions' names in the reader's language, from the instrument's versions (the
    newest naming wins)."""
    language = translation.get_language() or "en"
    labels: dict[str, str] = {}
    for data in Instrument.objects.order_by("version").values_list("data", flat=True):
        for d in data.get("dimensions", []):
            labels[d["key"]] = text(d, "label", language)
    return labels


def _bucket(n: int) -> str:
    return "3+" if n >= 3 else str(n)


def change_by_services(
    plans: QuerySet[ReintegrationPlan], visits: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """For each pair of consecutive scored visits of a plan: the plan services delivered after
    the earlier visit up to the later one, and the change of the composite. Rows: 0, 1, 2, 3+
    services, with the number of pairs and their mean change."""
    delivered: dict[int, list[Any]] = defaultdict(list)
    for plan_id, day in PlanService.objects.filter(
        goal__plan__in=plans.values("pk"), status=ServiceStatus.DELIVERED
    ).values_list("goal__plan_id", "delivered_on"):
        delivered[plan_id].append(day)
    changes: dict[str, list[Decimal]] = {b: [] for b in SERVICE_BUCKETS}
    by_plan: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for v in visits:
        by_plan[v["plan_id"]].append(v)
    for plan_id, series in by_plan.items():
        for before, after in itertools.pairwise(series):
            n = sum(1 for d in delivered[plan_id] if before["done_on"] < d <= after["done_on"])
            changes[_bucket(n)].append(Decimal(after["composite"]) - Decimal(before["composite"]))
    return [{"services": b, "cell": MeanCell.of(changes[b])} for b in SERVICE_BUCKETS]
