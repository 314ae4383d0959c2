"""Reads of referrals: incoming for an agency, outgoing overdue, coordination aggregates."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import acting_agency_ids
from simpul.accounts.roles import Perm
from simpul.core.disclosure import suppress_table
from simpul.core.scoping import get_in_scope, region_subtree
from simpul.core.work import WaitingWork
from simpul.referrals.models import Referral, ReferralStatus


def incoming_for(user: User) -> QuerySet[Referral]:
    ids = acting_agency_ids(user)
    return (
        Referral.objects.filter(to_agency_id__in=ids, status=ReferralStatus.SENT)
        .select_related("case", "from_agency")
        .order_by("due_at")
    )


@dataclass(frozen=True)
class ReferralFilters:
    direction: str = "in"  # "in": sent to the user's agencies; "out": sent by them
    status: str = ""  # "" any, or a ReferralStatus value
    overdue: bool = False  # still waiting past its due time

    @classmethod
    def from_query(cls, data: Any) -> "ReferralFilters":
        status = data.get("status", "")
        return cls(
            direction="out" if data.get("direction") == "out" else "in",
            status=status if status in ReferralStatus.values else "",
            overdue=data.get("overdue") == "1",
        )


def referral_list(user: User, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    """Referrals to (in) or from (out) the agencies where the user edits records; outgoing
    ones for the agencies the user supervises or of the cases the user works. Joined, so a
    page costs the same however long the list."""
    f = filters or ReferralFilters()
    principal = principal_for(user)
    if f.direction == "in":
        ids = acting_agency_ids(user)
        qs = Referral.objects.filter(to_agency_id__in=ids)
    else:
        supervised = [g.agency_id for g in principal.grants_with(Perm.APPROVE_CASES)]
        qs = Referral.objects.filter(Q(from_agency_id__in=supervised) | Q(sent_by=user))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(status=ReferralStatus.SENT, due_at__lt=timezone.now())
    return qs.select_related("case", "from_agency", "to_agency").order_by("due_at", "pk")


def waiting_work(user: User) -> list[WaitingWork]:
    """Referrals waiting for this user's agencies to answer (urgent when one is past due),
    for every role that edits records (any agency can be asked to take a case); outgoing
    referrals nobody answered in time, for supervisors."""
    principal = principal_for(user)
    items: list[WaitingWork] = []
    url = reverse("cases:referrals")
    if principal.has_perm(Perm.EDIT_RECORDS):
        incoming = referral_list(user, ReferralFilters(direction="in", status=ReferralStatus.SENT))
        late = incoming.filter(due_at__lt=timezone.now()).exists()
        items.append(
            WaitingWork(
                "referrals.incoming",
                gettext_lazy("Referrals waiting for your answer"),
                incoming.count(),
                url + "?direction=in&status=sent",
                urgent=late,
            )
        )
    if principal.has_perm(Perm.APPROVE_CASES):
        overdue = referral_list(user, ReferralFilters(direction="out", overdue=True)).count()
        items.append(
            WaitingWork(
                "referrals.overdue_outgoing",
                gettext_lazy("Referrals not answered in time"),
                overdue,
                url + "?direction=out&overdue=1",
                urgent=overdue > 0,
            )
        )
    return items


def incoming_referral_for(
    user: User, referral_id: int, *, request: HttpRequest | None = None
) -> Referral:
    """A referral sent to one of the user's agencies; 404 otherwise, and a refused attempt on a
    referral that exists is audited (`referral.access`, denied) like every protected read."""
    ids = acting_agency_ids(user)
    scoped = Referral.objects.filter(to_agency_id__in=ids)
    return get_in_scope(user, scoped, referral_id, action="referral.access", request=request)


def overdue_outgoing_for(user: User) -> QuerySet[Referral]:
    """For supervisors: their agency's referrals nobody answered in time."""
    ids = {g.agency_id for g in principal_for(user).grants_with(Perm.APPROVE_CASES)}
    return (
        Referral.objects.filter(
            from_agency_id__in=ids, status=ReferralStatus.SENT, due_at__lt=timezone.now()
        )
        .select_related("case", "to_agency")
        .order_by("due_at")
    )


class CoordinationRows(list[dict[str, Any]]):
    """The rows of the coordination table, plus its totals row (`totals`)."""

    totals: dict[str, Any] | None = None


COORDINATION_COLUMNS = ("accepted", "declined", "waiting")  # sent = their sum


def coordination_table(user: User) -> CoordinationRows:
    """Counts per sending and receiving agency within the coordinator's jurisdiction; no case
    codes, no identities (a task force sees aggregates only). Every figure goes through
    `core.disclosure`: counts 1-10 are hidden, and so are the figures that would give them away
    (sent = accepted + declined + waiting; overdue is a column of its own)."""
    grants = principal_for(user).grants_with(Perm.VIEW_AGGREGATES)
    if not grants:
        return CoordinationRows()
    codes = [g.jurisdiction_code for g in grants if g.jurisdiction_code]
    agencies = Agency.objects.all()
    if len(codes) == len(grants):  # a national grant (no jurisdiction) sees every agency
        q = Q()
        for code in codes:
            q |= region_subtree("jurisdiction__code", code)
        agencies = agencies.filter(q)
    now = timezone.now()
    raw: list[dict[str, Any]] = [
        dict(r)
        for r in Referral.objects.filter(Q(from_agency__in=agencies) | Q(to_agency__in=agencies))
        .values("from_agency__name", "to_agency__name")
        .annotate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(status=ReferralStatus.ACCEPTED)),
            declined=Count("id", filter=Q(status=ReferralStatus.DECLINED)),
            waiting=Count("id", filter=Q(status=ReferralStatus.SENT)),
            overdue=Count("id", filter=Q(status=ReferralStatus.SENT, due_at__lt=now)),
        )
        # By name only: an order by a count would place a hidden figure among shown ones.
        .order_by("from_agency__name", "to_agency__name")
    ]
    table = suppress_table([[r[c] for c in COORDINATION_COLUMNS] for r in raw], 3)
    overdue = suppress_table([[r["overdue"]] for r in raw], 1, row_totals=False)
    assert table.row_totals is not None and table.column_totals is not None
    assert table.total is not None and overdue.column_totals is not None
    rows = CoordinationRows()
    for i, r in enumerate(raw):
        cells = dict(zip(COORDINATION_COLUMNS, table.cells[i], strict=True))
        rows.append(
            {
                "from_agency__name": r["from_agency__name"],
                "to_agency__name": r["to_agency__name"],
                "sent": table.row_totals[i],
                **cells,
                "overdue": overdue.cells[i][0],
            }
        )
    rows.totals = {
        "sent": table.total,
        **dict(zip(COORDINATION_COLUMNS, table.column_totals, strict=True)),
        "overdue": overdue.column_totals[0],
    }
    return rows
