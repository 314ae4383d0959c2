"""A case of the Sambas UPTD PPA referred to the police and the prosecutor's office, and a
proceeding driven through the real actions."""

from datetime import date, timedelta

from simpul.cases import actions as case_actions
from simpul.cases.models import Case
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.justice import actions
from simpul.justice.actions import EventInput
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import VerdictOutcome
from simpul.justice.models import Proceeding
from simpul.regions.models import Region
from tests.cases.helpers import referred
from tests.referrals.support import agency, canary_case, user


def justice_case() -> Case:
    case, _person = canary_case()
    referred(case, "police", "polisi.sambas", ["events"])
    referred(case, "kejari", "jaksa.sambas", ["events"])
    case.refresh_from_db()
    return case


def ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def opened(case: Case, *, reported: int = 60) -> Proceeding:
    return actions.open_proceeding(
        user("polisi.sambas"), case, reported_on=ago(reported), police_report_number="LP/B/12/2026"
    )


def step(p: Proceeding, who: str, code: str, days_ago: int, **kw) -> None:
    actions.append_event(user(who), p, EventInput(code, ago(days_ago), **kw))
    p.refresh_from_db()


def to_p21(p: Proceeding) -> None:
    """Investigation, SPDP, prosecutor, file handed over, P-19 and back, P-21."""
    police, jaksa = "polisi.sambas", "jaksa.sambas"
    step(p, police, E.INVESTIGATION, 55)
    step(p, police, E.SPDP, 54, document_number="SPDP/7/2026")
    actions.assign_prosecutor(user(police), p, user(jaksa))
    p.refresh_from_db()
    step(p, jaksa, E.P16, 53)
    step(p, police, E.FILE_HANDED_OVER, 40, document_number="BP/3/2026")
    step(p, jaksa, E.P19, 38, note="Lengkapi keterangan saksi korban.")
    step(p, police, E.FILE_HANDED_OVER, 30)
    step(p, jaksa, E.P21, 28)


def convicted(case: Case) -> Proceeding:
    """Through P-21, the court steps and a conviction."""
    p = opened(case, reported=120)
    to_p21(p)
    jaksa = "jaksa.sambas"
    for code, days in [(E.P22, 25), (E.P29, 24), (E.P31, 23), (E.COURT_REGISTERED, 22)]:
        step(p, jaksa, code, days)
    step(
        p,
        jaksa,
        E.FIRST_HEARING,
        20,
        victim_testified=True,
        protective_measures=["without_defendant"],
        next_hearing_on=ago(12),
    )
    step(p, jaksa, E.DEMAND, 12)
    step(p, jaksa, E.VERDICT, 5, verdict_outcome=VerdictOutcome.CONVICTED)
    return p


def two_victim_case() -> tuple[Case, list]:
    """A case with two victims (consent to share with the police and the prosecutor),
    referred to both."""
    worker, supervisor = user("pekerja.sambas"), user("supervisor.sambas")
    persons = []
    for name, nik in (
        ("Melati Ayu Kusumastuti", "6101095507090011"),
        ("Seruni Dewi Anggraini", "6101095507090012"),
    ):
        person, _created = create_person(
            worker,
            IdentityData(full_name=name, nik=nik, sex="F", birth_date="2001-03-15"),
            owner_agency=agency("sambas"),
            scope_region=Region.objects.get(pk="61.01.09.2002"),
        )
        persons.append(person)
    case = case_actions.open_case(supervisor, victims=persons, assigned_to=worker)
    for person in persons:
        case_actions.record_consent(
            worker,
            case,
            person,
            items=["interview", "sharing"],
            share_with=[agency("police"), agency("kejari")],
        )
    referred(case, "police", "polisi.sambas", ["events"])
    referred(case, "kejari", "jaksa.sambas", ["events"])
    case.refresh_from_db()
    return case, persons


def finalised(case: Case, *, final_days_ago: int = 2) -> Proceeding:
    """Convicted (verdict 5 days ago), then final and binding."""
    p = convicted(case)
    step(p, "jaksa.sambas", E.FINAL, final_days_ago)
    return p
