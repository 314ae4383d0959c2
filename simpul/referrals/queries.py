"""Reads of referrals: incoming for an agency, outgoing overdue, coordination aggregates."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.core.scoping import region_subtree
from simpul.referrals.models import Referral, ReferralStatus


def incoming_for(user: User) -> QuerySet[Referral]:
    ids = {g.agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)}
    return (
        Referral.objects.filter(to_agency_id__in=ids, status=ReferralStatus.SENT)
        .select_related("case", "from_agency")
        .order_by("due_at")
    )


def incoming_referral_for(user: User, referral_id: int) -> Referral:
    """A referral sent to one of the user's agencies; 404 otherwise."""
    ids = {g.agency_id for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)}
    referral = Referral.objects.filter(pk=referral_id, to_agency_id__in=ids).first()
    if referral is None:
        raise Http404
    return referral


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


def coordination_table(user: User) -> list[Any]:
    """Counts per sending and receiving agency within the coordinator's jurisdiction; no case
    codes, no identities (a task force sees aggregates only)."""
    grants = principal_for(user).grants_with(Perm.VIEW_AGGREGATES)
    if not grants:
        return []
    codes = [g.jurisdiction_code for g in grants if g.jurisdiction_code]
    agencies = Agency.objects.all()
    if len(codes) == len(grants):  # a national grant (no jurisdiction) sees every agency
        q = Q()
        for code in codes:
            q |= region_subtree("jurisdiction__code", code)
        agencies = agencies.filter(q)
    now = timezone.now()
    rows = (
        Referral.objects.filter(Q(from_agency__in=agencies) | Q(to_agency__in=agencies))
        .values("from_agency__name", "to_agency__name")
        .annotate(
            sent=Count("id"),
            accepted=Count("id", filter=Q(status=ReferralStatus.ACCEPTED)),
            declined=Count("id", filter=Q(status=ReferralStatus.DECLINED)),
            waiting=Count("id", filter=Q(status=ReferralStatus.SENT)),
            overdue=Count("id", filter=Q(status=ReferralStatus.SENT, due_at__lt=now)),
        )
        .order_by("-overdue", "from_agency__name")
    )
    return list(rows)
