"""Reads of the victim's status page.

The public page has no signed-in user: the case code and the secret together are the
authority, so the one record they open is found by the secret's keyed hash, never by a
search. What the page shows is built here from the owning apps' seams and holds no name, no
other person, no perpetrator and no place more exact than "a shelter"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from simpul.cases.codes import Service
from simpul.cases.models import Case, PlanItem
from simpul.identity.crypto import blind_index
from simpul.justice import queries as justice_queries
from simpul.justice.codes import PaymentStatus, RestitutionState
from simpul.reintegration import queries as reintegration_queries
from simpul.shelters import queries as shelter_queries
from simpul.shelters.codes import StayStatus
from simpul.victim_status.choices import (
    PROCEEDING_IN_WORDS,
    STEPS_IN_ORDER,
    RecoveryStep,
    recovery_step,
)
from simpul.victim_status.models import StatusSecret

SECRET_KIND = "victim_status"


def secret_index(secret: str) -> str:
    """The stored form of a secret: typed in any case, with or without its dashes."""
    return blind_index(SECRET_KIND, "".join(secret.split()).replace("-", "").upper())


def live_secret(secret: str, case_code: str) -> StatusSecret | None:
    """The live secret that opens this case code's page, or None (unknown, revoked, or issued
    for another case: the same answer for each, so nothing is learnt from a wrong guess)."""
    found = (
        StatusSecret.objects.select_related("case")
        .filter(secret_index=secret_index(secret), revoked_at__isnull=True)
        .first()
    )
    if found is None or found.case.code != case_code.strip().upper():
        return None
    return found


def live_secrets(case: Case) -> dict[str, StatusSecret]:
    """The live secret of each victim of a case, by person id (for the case worker's page)."""
    return {
        str(s.person_id): s
        for s in StatusSecret.objects.filter(case=case, revoked_at__isnull=True).select_related(
            "issued_by"
        )
    }


@dataclass(frozen=True)
class Appointment:
    service: str
    on: date
    agency: str

    @property
    def service_label(self) -> str:
        return str(Service(self.service).label) if self.service in Service.values else ""


@dataclass(frozen=True)
class ShelterStatus:
    status: str
    since: date | None
    until: date | None


@dataclass
class VictimStatus:
    case_code: str
    step: RecoveryStep
    steps: list[tuple[RecoveryStep, str]]  # each step with "done", "now" or "later"
    since: date
    next_appointment: Appointment | None
    shelter: ShelterStatus | None
    services_done: int
    visits: list[tuple[int, date, date | None]] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)


def status_of(secret: StatusSecret, *, today: date | None = None) -> VictimStatus:
    case = secret.case
    today = today or timezone.localdate()
    step = recovery_step(
        case.stage, reintegration_queries.plan_status_for_victim(case.pk, secret.person_id)
    )
    now = STEPS_IN_ORDER.index(step)
    steps = [
        (s, "done" if i < now else "now" if i == now else "later")
        for i, s in enumerate(STEPS_IN_ORDER)
    ]
    items = PlanItem.objects.filter(case=case, is_task=False).exclude(service="")
    upcoming = (
        items.filter(done_at__isnull=True, due_on__gte=today)
        .select_related("responsible_agency")
        .order_by("due_on", "pk")
        .first()
    )
    appointment = (
        Appointment(upcoming.service, upcoming.due_on, upcoming.responsible_agency.name)
        if upcoming is not None
        else None
    )
    stay = shelter_queries.open_stay_of(secret.person_id)
    shelter = None
    if stay is not None:
        since: datetime | None = stay.checked_in_at
        shelter = ShelterStatus(
            stay.status,
            timezone.localdate(since) if since else stay.planned_on,
            stay.stay_until if stay.status != StayStatus.PLANNED else None,
        )
    return VictimStatus(
        case_code=case.code,
        step=step,
        steps=steps,
        since=timezone.localdate(case.opened_at),
        next_appointment=appointment,
        shelter=shelter,
        services_done=items.filter(done_at__isnull=False).count(),
        visits=reintegration_queries.visits_for_victim(case.pk, secret.person_id),
        extra=justice_in_words(case.pk, secret.person_id),
    )


def justice_in_words(case_id: object, person_id: object) -> list[tuple[str, str]]:
    """The proceeding's stage and the victim's restitution, in plain words (no number, no
    name, nothing about the perpetrator)."""
    found = justice_queries.victim_justice_status(person_id, case_id)  # type: ignore[arg-type]
    if not found.stage:
        return []
    lines = [(_("Your case at the police and in court"), str(PROCEEDING_IN_WORDS[found.stage]))]
    title = _("Restitution (compensation from the perpetrator)")
    due = ""
    if found.due_on:
        on = formats.date_format(found.due_on, "DATE_FORMAT")
        due = " " + _("It was due on %(day)s.") % {"day": on}
    if found.restitution == RestitutionState.REFUSED:
        text = _("You chose not to claim restitution.")
    elif found.payment == PaymentStatus.FULL:
        text = _("Your restitution has been paid in full.")
    elif found.payment == PaymentStatus.PARTLY:
        text = _("Restitution is not yet paid in full: part of it has been paid.") + due
    elif found.payment == PaymentStatus.UNPAID:
        text = _("Restitution is not yet paid in full: nothing has been paid yet.") + due
    elif found.restitution == RestitutionState.AWARDED:
        text = _("The court awarded you restitution. It is to be paid once the decision is final.")
    elif found.restitution:
        text = _("Your claim for restitution is on its way.")
    else:
        text = _(
            "No claim for restitution is recorded for you. You have the right to ask for it "
            "(UU 21/2007 Pasal 48); ask your case worker."
        )
    lines.append((title, text))
    return lines


def victims_of(case: Case) -> list[tuple[object, StatusSecret | None]]:
    """Each victim of a case (for its owner side) with the live secret, if any."""
    live = live_secrets(case)
    return [
        (v.person, live.get(str(v.person_id)))
        for v in case.victims.select_related("person").order_by("person__code")
    ]
