"""Building blocks of the shelter tests: shelters, residents and stays through the real
actions (the world fixture's agencies and accounts)."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.regions.models import Region
from simpul.shelters import actions
from simpul.shelters.codes import ConsentBasis, ShelterKind
from simpul.shelters.models import Shelter, Stay

RPTC = "RPTC Tanjungpinang"
_serial = itertools.count(1)


def officer() -> User:
    return User.objects.get(username="shelter.tpi")


def make_shelter(
    beds: int = 2,
    blocked: int = 0,
    *,
    kind: str = ShelterKind.RPTC,
    address: str = "Jl. Sei Timun No. 7, Senggarang",
    name: str = "RPTC Senggarang",
) -> Shelter:
    return actions.register_shelter(
        officer(),
        actions.ShelterInput(
            name=name,
            kind=kind,
            operator_agency=Agency.objects.get(name=RPTC),
            region=Region.objects.get(code="21.72"),
            address=address,
            beds=beds,
            blocked=blocked,
            blocked_reason="Atap bocor" if blocked else "",
        ),
    )


def resident(actor: User | None = None, name: str = "") -> Person:
    """A person recorded at the shelter's door by its officer."""
    actor = actor or officer()
    n = next(_serial)
    person, _ = create_person(
        actor,
        IdentityData(full_name=name or f"Penghuni Uji {n}", sex="F", birth_date="1999"),
        owner_agency=Agency.objects.get(name=RPTC),
        scope_region=Region.objects.get(code="21.72"),
    )
    return person


def planned(shelter: Shelter, person: Person | None = None) -> Stay:
    return actions.plan_stay(officer(), shelter, person or resident())


def checked_in(shelter: Shelter, person: Person | None = None, **kwargs: str) -> Stay:
    return actions.check_in(
        officer(), planned(shelter, person), consent_basis=ConsentBasis.OWN, **kwargs
    )


def at(day: str, hour: int = 10) -> datetime:
    """A moment of a local day ("2026-03-02")."""
    return timezone.make_aware(datetime.fromisoformat(day) + timedelta(hours=hour))


def accepted_shelter_referral(name: str = "Melati Kusumawardani", *, accept: bool = True):
    """A Sambas case referred to the RPTC for temporary shelter (identity shared, with the
    victim's consent), accepted by the shelter officer: an admission waiting (or, with
    `accept=False`, the referral still waiting for the RPTC's answer)."""
    from simpul.cases import actions as case_actions
    from simpul.referrals.actions import accept_referral, send_referral

    worker = User.objects.get(username="pekerja.sambas")
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    person, _ = create_person(
        worker,
        IdentityData(full_name=name, sex="F", birth_date="2004"),
        owner_agency=sambas,
        scope_region=Region.objects.get(pk="61.01"),
    )
    case = case_actions.open_case(
        User.objects.get(username="supervisor.sambas"), victims=[person], assigned_to=worker
    )
    rptc = Agency.objects.get(name=RPTC)
    case_actions.record_consent(
        worker, case, person, items=["interview", "sharing"], share_with=[rptc]
    )
    referral = send_referral(
        worker,
        case,
        rptc,
        reason="Mohon penampungan sementara.",
        sections=["identity"],
        service="temporary_shelter",
    )
    return (accept_referral(officer(), referral) if accept else referral), person
