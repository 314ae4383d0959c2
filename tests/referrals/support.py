"""A case of the Sambas UPTD PPA with a canary victim, consent to share with the police and
the prosecutor, built through the real actions."""

from datetime import date, timedelta

from simpul.accounts.models import Agency, User
from simpul.cases import actions as case_actions
from simpul.cases.models import Case
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.regions.models import Region

CANARY_NAME = "Kenanga Puspitasari Wulandaru"
CANARY_NIK = "6101095507090003"


def agency(key: str) -> Agency:
    names = {
        "sambas": "UPTD PPA Kabupaten Sambas",
        "police": "Unit PPA Polres Sambas",
        "kejari": "Kejaksaan Negeri Sambas",
        "iom": "IOM Indonesia, Pontianak",
        "aruk": "Tim Terpadu PLBN Aruk",
        "tpi": "UPTD PPA Kota Tanjungpinang",
    }
    return Agency.objects.get(name=names[key])


def user(username: str) -> User:
    return User.objects.get(username=username)


def canary_case(*, services_stage: bool = False) -> tuple[Case, Person]:
    worker, supervisor = user("pekerja.sambas"), user("supervisor.sambas")
    person, _ = create_person(
        worker,
        IdentityData(full_name=CANARY_NAME, nik=CANARY_NIK, sex="F", birth_date="2009-07-15"),
        owner_agency=agency("sambas"),
        scope_region=Region.objects.get(pk="61.01.09.2002"),
    )
    case = case_actions.open_case(supervisor, victims=[person], assigned_to=worker)
    case_actions.record_consent(
        worker,
        case,
        person,
        items=["interview", "sharing"],
        share_with=[agency("police"), agency("kejari")],
    )
    if services_stage:
        case.refresh_from_db()
        case_actions.submit_assessment(
            worker, case, "Butuh layanan.", expected_version=case.version
        )
        case_actions.approve_assessment(supervisor, case, approve=True)
        case.refresh_from_db()
        due = date.today() + timedelta(days=7)
        case_actions.submit_plan(
            worker,
            case,
            "Aman dan pulih.",
            [("legal_aid", agency("police"), due)],
            expected_version=case.version,
        )
        case_actions.approve_plan(supervisor, case, approve=True)
    case.refresh_from_db()
    return case, person
