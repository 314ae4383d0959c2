"""Reads of handovers (berita acara serah terima), scoped.

A handover is seen by the role's scope over its owner (the handing-over agency: grants,
agency, jurisdiction, national), by the shelter officers of that agency, and by the case
workers, supervisors and shelter officers of the receiving agency from the moment it is sent
(a draft is the sender's own)."""

import uuid
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.cases.models import CaseVictim
from simpul.core.scoping import get_in_scope, scope_q
from simpul.core.work import WaitingWork
from simpul.identity.crypto import open_text
from simpul.identity.models import Person
from simpul.migration.models import ReturnEvent
from simpul.shelters.codes import HANDOVER_WAITING, RECEIVING_AGENCY_TYPES, HandoverStatus
from simpul.shelters.models import CustodyDocument, Handover, Stay
from simpul.shelters.queries import SHELTER_ROLES, member_agencies
from simpul.shelters.sealing import aad

# Who at the receiving agency is asked to acknowledge (their home page counts the handovers).
RECEIVER_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR, Role.SHELTER_OFFICER})


def handovers_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Handover]:
    q = scope_q(user, Handover, perm)
    grants = principal_for(user).grants_with(perm)
    own = {g.agency_id for g in grants if g.role in SHELTER_ROLES}
    if own:
        q |= Q(owner_agency_id__in=own)
    receiving = {g.agency_id for g in grants if g.role in RECEIVER_ROLES}
    if receiving:
        q |= Q(to_agency_id__in=receiving) & ~Q(status=HandoverStatus.DRAFT)
    return Handover.objects.filter(q)


def get_handover_for(
    user: User,
    handover_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Handover:
    scoped = handovers_for(user, perm).select_related(
        "stay",
        "stay__shelter",
        "stay__person",
        "case",
        "to_agency",
        "owner_agency",
        "return_event",
    )
    return get_in_scope(user, scoped, handover_id, action="handover.access", request=request)


def handovers_to_acknowledge(user: User) -> QuerySet[Handover]:
    """Sent to (or received by) one of the user's agencies and not yet acknowledged."""
    grants = principal_for(user).grants_with(Perm.EDIT_RECORDS)
    ids = {g.agency_id for g in grants if g.role in RECEIVER_ROLES}
    return (
        Handover.objects.filter(to_agency_id__in=ids, status__in=HANDOVER_WAITING)
        .select_related("owner_agency", "to_agency")
        .order_by("handover_on", "created_at")
    )


def escalated_for(user: User) -> QuerySet[Handover]:
    """For supervisors of either agency: handovers not acknowledged in time."""
    ids = {g.agency_id for g in principal_for(user).grants_with(Perm.APPROVE_CASES)}
    return Handover.objects.filter(
        Q(owner_agency_id__in=ids) | Q(to_agency_id__in=ids),
        status__in=HANDOVER_WAITING,
        escalated_at__isnull=False,
    ).select_related("owner_agency", "to_agency")


def handover_list(user: User, *, status: str = "", waiting: bool = False) -> QuerySet[Handover]:
    qs = handovers_for(user)
    if waiting:
        qs = qs.filter(status__in=HANDOVER_WAITING)
    elif status in HandoverStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("owner_agency", "to_agency", "stay__person").order_by(
        "-handover_on", "-created_at", "pk"
    )


def handovers_of_stay(user: User, stay: Stay) -> QuerySet[Handover]:
    return handovers_for(user).filter(stay=stay).select_related("to_agency")


def handovers_of_return(return_event: ReturnEvent) -> QuerySet[Handover]:
    """The handovers that continue a return, for a caller holding the return in scope: its
    page shows their number, receiving agency and status (no person, no escort)."""
    return (
        Handover.objects.filter(return_event=return_event)
        .exclude(status=HandoverStatus.CANCELLED)
        .select_related("to_agency")
        .order_by("created_at")
    )


def receiving_agencies(region_id: str | None = None) -> QuerySet[Agency]:
    """UPTD PPA and Dinas Sosial agencies, those of `region_id` (a regency) when given."""
    qs = Agency.objects.filter(is_active=True, agency_type__in=RECEIVING_AGENCY_TYPES)
    if region_id:
        qs = qs.filter(jurisdiction_id=region_id)
    return qs.order_by("name")


def escort_candidates(agency_id: int) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True, memberships__agency_id=agency_id, memberships__is_active=True
        )
        .distinct()
        .order_by("first_name", "username")
    )


def other_victims(stay: Stay) -> list[Person]:
    """The other victims of the stay's case (who may be handed over with the stay's person)."""
    if not stay.case_id:
        return []
    return [
        v.person
        for v in CaseVictim.objects.filter(case_id=stay.case_id)
        .exclude(person_id=stay.person_id)
        .select_related("person")
        .order_by("id")
    ]


def held_documents(stay: Stay) -> QuerySet[CustodyDocument]:
    return stay.documents.filter(returned_at__isnull=True)


def escorts_text(handover: Handover) -> str:
    return open_text(handover.escorts_sealed, aad("handover", "escorts", handover.pk))


def other_documents_text(handover: Handover) -> str:
    return open_text(
        handover.other_documents_sealed, aad("handover", "other_documents", handover.pk)
    )


def is_party(user: User, handover: Handover) -> bool:
    """A member of the handing-over or the receiving agency (the PDF is for these two)."""
    mine = member_agencies(user)
    return handover.owner_agency_id in mine or handover.to_agency_id in mine


def may_send(user: User, handover: Handover) -> bool:
    return handover.owner_agency_id in member_agencies(user, Perm.EDIT_RECORDS)


def may_acknowledge(user: User, handover: Handover) -> bool:
    grants = principal_for(user).grants_with(Perm.EDIT_RECORDS)
    return any(g.agency_id == handover.to_agency_id and g.role in RECEIVER_ROLES for g in grants)


def is_late(handover: Handover, now: datetime, days: int) -> bool:
    return bool(
        handover.status in HANDOVER_WAITING
        and handover.sent_at
        and (now - handover.sent_at).days >= days
    )


def waiting_work(user: User) -> list[WaitingWork]:
    """Handovers to acknowledge (members of the receiving agency who take cases or run
    shelters); handovers not acknowledged in time (supervisors of either agency)."""
    principal = principal_for(user)
    items: list[WaitingWork] = []
    url = reverse("shelters:handover_list")
    if any(g.role in RECEIVER_ROLES for g in principal.grants_with(Perm.EDIT_RECORDS)):
        waiting = handovers_to_acknowledge(user)
        items.append(
            WaitingWork(
                "shelters.handovers_to_acknowledge",
                gettext_lazy("Handovers to acknowledge"),
                waiting.count(),
                url + "?direction=in",
                urgent=waiting.filter(escalated_at__isnull=False).exists(),
            )
        )
    if principal.has_perm(Perm.APPROVE_CASES):
        late = escalated_for(user).count()
        items.append(
            WaitingWork(
                "shelters.handovers_late",
                gettext_lazy("Handovers not acknowledged in time"),
                late,
                url + "?late=1",
                urgent=late > 0,
            )
        )
    return items
