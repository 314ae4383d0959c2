"""Shared steps for the case tests: cases built through the real actions, and the pages'
messages compared in the reader's language (Indonesian) without depending on the compiled
catalogue."""

from datetime import date, timedelta

from django.test import Client
from django.utils.translation import gettext, override

from simpul.cases import actions as case_actions
from simpul.cases.models import Case
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.referrals.actions import accept_referral, send_referral
from simpul.referrals.models import Referral
from simpul.regions.models import Region
from tests.referrals.support import agency, canary_case, user


def indonesian(msgid: str, **values: object) -> str:
    with override("id"):
        text = gettext(msgid)
    return text % values if values else text


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def step(client: Client, case: Case, name: str, data: dict):
    return client.post(f"/cases/{case.id}/step/{name}/", data)


def plan_data(goals: str, version: int, rows: list[tuple[str, object, str]]) -> dict:
    """The plan step's POST: goals and the rows of its formset (prefix "items")."""
    data: dict = {
        "goals": goals,
        "version": version,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
    }
    for i, (service, agency_pk, due) in enumerate(rows):
        data |= {
            f"items-{i}-service": service,
            f"items-{i}-responsible_agency": agency_pk,
            f"items-{i}-due_on": due,
        }
    return data


def other_case() -> Case:
    """A second case of the same agency, with its own victim."""
    person, _ = create_person(
        user("pekerja.sambas"),
        IdentityData(full_name="Mawar Sekar Ayu", sex="F", birth_date="2008-02-01"),
        owner_agency=agency("sambas"),
        scope_region=Region.objects.get(pk="61.01.09.2002"),
    )
    return case_actions.open_case(
        user("supervisor.sambas"), victims=[person], assigned_to=user("pekerja.sambas")
    )


def in_days(n: int) -> date:
    return date.today() + timedelta(days=n)


def assessed(case: Case) -> Case:
    """The case with its assessment approved (stage: planning)."""
    case_actions.submit_assessment(
        user("pekerja.sambas"), case, "Butuh layanan.", expected_version=case.version
    )
    case_actions.approve_assessment(user("supervisor.sambas"), case, approve=True)
    case.refresh_from_db()
    return case


def referred(case: Case, to: str, receiver: str, sections: list[str], **kw) -> Referral:
    referral = send_referral(
        user("pekerja.sambas"), case, agency(to), reason="Layanan", sections=sections, **kw
    )
    return accept_referral(user(receiver), referral)


__all__ = ["agency", "canary_case", "user"]
