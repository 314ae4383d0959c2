"""Every read of intakes, scoped by `simpul.core.scoping`."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.accounts.roles import Perm, Role
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.scoping import can_access, get_in_scope, region_subtree, visible_to
from simpul.core.work import WaitingWork
from simpul.identity.crypto import open_text
from simpul.identity.models import Person
from simpul.identity.queries import MIN_REASON_LENGTH, reveal_identity
from simpul.intake.models import Intake, IntakePerson, Status
from simpul.intake.sealing import close_reason_aad, contact_aad, narrative_aad, note_aad

# The roles that triage a UPTD PPA's reports: its hotline operators and case supervisors.
# (A case worker, police investigator or prosecutor works cases, never the report queue.)
TRIAGE_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.CASE_SUPERVISOR})


class Urgency:
    IMMEDIATE_DANGER = "immediate_danger"
    CHILD = "child"


def triage_agency_ids(user: User) -> list[int]:
    """The agencies whose reports the user triages (a triage role with edit rights there)."""
    return [
        g.agency_id
        for g in principal_for(user).grants_with(Perm.EDIT_RECORDS)
        if g.role in TRIAGE_ROLES
    ]


def triages(user: User) -> bool:
    return bool(triage_agency_ids(user))


def intakes_for(user: User, perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[Intake]:
    return visible_to(user, Intake, perm)


def triage_queue(user: User) -> QuerySet[Intake]:
    """Untriaged intakes, immediate danger first, then the oldest."""
    return (
        intakes_for(user)
        .filter(status=Status.NEW)
        .select_related("scope_region", "owner_agency")
        .order_by("-immediate_danger", "-child_involved", "received_at")
    )


def triaged_not_done(user: User) -> QuerySet[Intake]:
    """Triaged reports that have not yet reached a case, a referral or a reasoned close
    (decision "screen", or "open a case" waiting for the screening): they stay on the
    operator's worklist until then, the oldest triage first."""
    return (
        intakes_for(user)
        .filter(status=Status.TRIAGED)
        .select_related("scope_region", "owner_agency")
        .order_by("-immediate_danger", "-child_involved", "triaged_at", "received_at")
    )


@dataclass(frozen=True)
class ReportFilters:
    status: str = ""
    channel: str = ""
    urgency: str = ""
    received_from: date | None = None
    received_to: date | None = None
    region: str = ""  # a region code: the report's place in its subtree
    reference: str = ""
    person: str = ""  # a person's code: the reports naming that person (concerned or reporter)


def reports(user: User, filters: ReportFilters | None = None) -> QuerySet[Intake]:
    """Every report in the user's scope, filtered; the newest first. A constant number of
    queries whatever the number of rows (regions and agencies joined)."""
    f = filters or ReportFilters()
    rows = intakes_for(user).select_related("scope_region", "owner_agency")
    if f.status:
        rows = rows.filter(status=f.status)
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.urgency == Urgency.IMMEDIATE_DANGER:
        rows = rows.filter(immediate_danger=True)
    elif f.urgency == Urgency.CHILD:
        rows = rows.filter(child_involved=True)
    if f.received_from:
        rows = rows.filter(received_at__date__gte=f.received_from)
    if f.received_to:
        rows = rows.filter(received_at__date__lte=f.received_to)
    if f.region:
        rows = rows.filter(region_subtree("scope_region__code", f.region))
    if f.reference.strip():
        rows = rows.filter(reference__icontains=f.reference.strip())
    if f.person.strip():
        code = f.person.strip().upper()
        named = IntakePerson.objects.filter(person__code=code).values("intake_id")
        rows = rows.filter(Q(pk__in=named) | Q(reporter__code=code))
    return rows.order_by("-received_at", "-pk")


def waiting_work(user: User) -> list[WaitingWork]:
    """For the roles that triage (hotline operators, case supervisors): reports waiting for
    triage (urgent while one of them has someone in immediate danger) and triaged reports not
    yet done. Nothing for a role that never triages. One query."""
    agencies = triage_agency_ids(user)
    if not agencies:
        return []
    counts = (
        intakes_for(user, Perm.EDIT_RECORDS)
        .filter(owner_agency_id__in=agencies)
        .aggregate(
            new=Count("pk", filter=Q(status=Status.NEW)),
            danger=Count("pk", filter=Q(status=Status.NEW, immediate_danger=True)),
            triaged=Count("pk", filter=Q(status=Status.TRIAGED)),
        )
    )
    url = reverse("intake:list")
    return [
        WaitingWork(
            key="intake.waiting_triage",
            label=_("Reports waiting for triage"),
            count=counts["new"],
            url=f"{url}?status={Status.NEW}",
            urgent=counts["danger"] > 0,
        ),
        WaitingWork(
            key="intake.triaged_not_done",
            label=_("Triaged reports not yet done"),
            count=counts["triaged"],
            url=f"{url}?status={Status.TRIAGED}",
        ),
    ]


def get_intake_for(
    user: User,
    intake_id: uuid.UUID | str,
    *,
    perm: Perm = Perm.VIEW_RECORDS,
    request: HttpRequest | None = None,
) -> Intake:
    scoped = intakes_for(user, perm).select_related("scope_region", "reporter")
    return get_in_scope(user, scoped, intake_id, action="intake.access", request=request)


def narrative_of(intake: Intake) -> str:
    return open_text(intake.narrative_sealed, narrative_aad(intake.id))


def notes_of(intake: Intake) -> list[tuple[object, str]]:
    return [(n, open_text(n.text_sealed, note_aad(intake.id))) for n in intake.notes.all()]


def reporter_contact_of(intake: Intake) -> str:
    """The public reporter's (or anonymous caller's) contact, in clear. Callers audit the
    reveal."""
    if not intake.reporter_contact_sealed:
        return ""
    return open_text(intake.reporter_contact_sealed, contact_aad(intake.id))


def close_reason_of(intake: Intake) -> str:
    if not intake.close_reason_sealed:
        return ""
    return open_text(intake.close_reason_sealed, close_reason_aad(intake.id))


@dataclass(frozen=True)
class ReporterShown:
    """Who reported, as the report page shows it before a reveal: masked."""

    anonymous: bool
    person: Person | None  # the hotline caller, kept in the identity vault
    phone_recorded: bool  # the caller's phone is in the vault (shown masked)
    contact_recorded: bool  # a public reporter's (or anonymous caller's) sealed contact

    @property
    def reachable(self) -> bool:
        return self.person is not None or self.contact_recorded


def reporter_of(intake: Intake) -> ReporterShown:
    person = intake.reporter
    return ReporterShown(
        anonymous=intake.reporter_anonymous,
        person=person,
        phone_recorded=bool(person and person.phone_index),
        contact_recorded=bool(intake.reporter_contact_sealed),
    )


@dataclass(frozen=True)
class RevealedReporter:
    name: str = ""
    phone: str = ""
    contact: str = ""


def refused_reporter_reveal(
    user: User, intake_id: object, why: str, request: HttpRequest | None
) -> None:
    audit(
        "intake.reveal_reporter",
        actor=user,
        request=request,
        record_type="intake.intake",
        record_id=str(intake_id),
        reason=why,
        outcome=Outcome.DENIED,
    )


def reveal_reporter(
    user: User, intake: Intake, reason: str, *, request: HttpRequest | None = None
) -> RevealedReporter:
    """The caller's name and phone and the reporter's contact in clear, for someone who
    handles the report (edits it in scope), may reveal identities and states why. Audited as
    `intake.reveal_reporter` with the reason (and the caller's identity as `person.reveal`);
    every refusal audited as a denied `intake.reveal_reporter` before it is raised, as for
    any identity (`identity.queries.reveal_identity`)."""
    reason = " ".join(reason.split())
    if not principal_for(user).has_perm(Perm.REVEAL_IDENTITY):
        refused_reporter_reveal(user, intake.pk, "no_permission", request)
        raise PermissionDenied(_("You may not reveal identities."))
    if request is not None and not two_factor_verified(request.user):
        refused_reporter_reveal(user, intake.pk, "no_second_factor", request)
        raise PermissionDenied(_("You may not reveal identities."))
    if len(reason) < MIN_REASON_LENGTH:
        refused_reporter_reveal(user, intake.pk, "no_reason", request)
        raise ValueError(
            gettext("State why you need to reach the reporter (at least 10 characters).")
        )
    if not can_access(user, intake, Perm.EDIT_RECORDS):
        refused_reporter_reveal(user, intake.pk, "out_of_scope", request)
        raise Http404
    name = phone = ""
    fields = []
    if intake.reporter is not None:
        data = reveal_identity(user, intake.reporter, reason, request=request)
        name, phone = data.full_name, data.phone
        fields += ["reporter_name", *(["reporter_phone"] if phone else [])]
    contact = reporter_contact_of(intake)
    if contact:
        fields.append("reporter_contact")
    audit(
        "intake.reveal_reporter",
        actor=user,
        request=request,
        record=intake,
        fields=fields,
        reason=reason,
    )
    return RevealedReporter(name=name, phone=phone, contact=contact)
