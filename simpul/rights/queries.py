"""Reads of the rights checklist. The case is the scope: every read starts from a case the
user holds through `cases.queries.get_case_for`."""

import uuid
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format

from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.cases.codes import Service
from simpul.cases.models import Case, CaseVictim
from simpul.cases.queries import cases_for, get_case_for
from simpul.identity.crypto import open_text
from simpul.identity.models import Person
from simpul.justice.queries import case_track
from simpul.rights.choices import LEGAL_BASIS, LinkKind, Right
from simpul.rights.models import VictimRight
from simpul.rights.sealing import aad
from simpul.shelters.queries import stays_of_case


def editable_cases(user: User) -> QuerySet[Case]:
    """Cases whose checklist the user may change: the owner side who edit records (the case
    worker, the supervisor); an agency the case was referred to reads it on the case page."""
    return cases_for(user, Perm.EDIT_RECORDS, include_referrals=False)


def get_editable_case(
    user: User, case_id: uuid.UUID | str, *, request: HttpRequest | None = None
) -> Case:
    """A case of `editable_cases` (404 otherwise, the refusal audited as `case.access`)."""
    return get_case_for(
        user, case_id, perm=Perm.EDIT_RECORDS, include_referrals=False, request=request
    )


def may_edit(user: User, case: Case) -> bool:
    return editable_cases(user).filter(pk=case.pk).exists()


def victims(case: Case) -> list[Person]:
    return [
        v.person
        for v in CaseVictim.objects.filter(case=case).select_related("person").order_by("id")
    ]


@dataclass
class RightRow:
    right: str
    label: str
    basis: str
    row: VictimRight | None


@dataclass
class VictimChecklist:
    person: Person
    rows: list[RightRow] = field(default_factory=list)

    @property
    def fulfilled(self) -> int:
        return sum(1 for r in self.rows if r.row and r.row.fulfilled_on)


def checklist(case: Case) -> list[VictimChecklist]:
    """Per victim, every right in the law's order with its row (None when nothing recorded):
    two queries however many victims."""
    stored = {
        (r.person_id, r.right): r
        for r in VictimRight.objects.filter(case=case).select_related("informed_by")
    }
    return [
        VictimChecklist(
            person,
            [
                RightRow(code, str(label), LEGAL_BASIS[code], stored.get((person.pk, code)))
                for code, label in Right.choices
            ],
        )
        for person in victims(case)
    ]


def right_of(case: Case, person: Person, right: str) -> VictimRight | None:
    return VictimRight.objects.filter(case=case, person=person, right=right).first()


def note_of(row: VictimRight) -> str:
    return open_text(row.note_sealed, aad(row.pk))


def link_choices(user: User, case: Case) -> list[tuple[str, str]]:
    """What may fulfil a right of this case, as ("kind:id", label): its services delivered and
    referrals (cases app), its shelter stays (shelters app) and its court proceedings
    (justice app, by code)."""
    choices: list[tuple[str, str]] = []
    for s in case.services.order_by("delivered_on", "pk"):
        choices.append(
            (
                f"{LinkKind.SERVICE}:{s.pk}",
                f"{LinkKind.SERVICE.label}: {s.get_service_display()}, "
                + date_format(s.delivered_on, "SHORT_DATE_FORMAT"),
            )
        )
    for r in case.referrals.select_related("to_agency").order_by("sent_at", "pk"):
        service = str(Service(r.service).label) if r.service in Service.values else ""
        choices.append(
            (
                f"{LinkKind.REFERRAL}:{r.pk}",
                f"{LinkKind.REFERRAL.label}: {r.to_agency.name}"
                + (f", {service}" if service else ""),
            )
        )
    for stay in stays_of_case(case.pk):
        choices.append(
            (f"{LinkKind.STAY}:{stay.pk}", f"{LinkKind.STAY.label}: {stay.shelter.name}")
        )
    _case, track = case_track(user, case.pk)
    for row in track:
        choices.append(
            (f"{LinkKind.PROCEEDING}:{row.code}", f"{LinkKind.PROCEEDING.label}: {row.code}")
        )
    return choices


def link_label(user: User, case: Case, row: VictimRight) -> str:
    if not row.link_kind:
        return ""
    wanted = f"{row.link_kind}:{row.link_id}"
    return dict(link_choices(user, case)).get(wanted, str(LinkKind(row.link_kind).label))
