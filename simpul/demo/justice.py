"""Demo court proceedings, written through the justice actions (`simpul.justice.actions`).

The Sambas case in services was referred to the police and accepted (`cases._referrals`). On it
the investigator `polisi.sambas` runs two proceedings, both followed by the prosecutor
`jaksa.sambas`:

- a running one: report, investigation, SPDP, the prosecutor appointed (P-16), two suspects
  named (a recruiter, whose identity goes to the vault, and a placement company with an active
  licence), the file handed over, returned with instructions (P-19) 11 days ago, and the
  victim's LPSK application 4 days ago. The police have 3 days left to complete the file
  (KUHAP Ps 138(2)) and the prosecutor 3 days for the LPSK decision;
- a split file against the driver who took the victim across the border, stalled: no event
  for 150 days;
- a concluded prosecution on a second case (two sisters recruited together, referred to the
  police and the prosecutor): convicted 20 days ago with a prison sentence below the statutory
  minimum (flagged), final 10 days ago; restitution awarded to both victims with different
  amounts per head of loss, the notice received 10 days ago (PERMA 1/2022: due in 20 days), and
  a partial payment for the elder sister. The younger sister applied to LPSK, accepted in 5 days.

The task force `gt.kalbar` keeps the placement-company register: the company the demo's
departures went through (licence active) and one whose licence is suspended for three months.

The daily deadline job then raises the reminders, as it would at 05:00 WIB. Every date is
relative to the day the demo is loaded.
"""

from datetime import date, timedelta

from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.cases.actions import open_case, record_consent
from simpul.cases.models import Case
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.justice import actions
from simpul.justice.actions import (
    CompanyInput,
    EventInput,
    LpskInput,
    PerpetratorInput,
    RestitutionInput,
    SentenceInput,
)
from simpul.justice.codes import (
    AgeBand,
    Law,
    LicenceStatus,
    LpskApplicant,
    LpskDecision,
    Nationality,
    PerpetratorKind,
    RestitutionChannel,
    SanctionKind,
    VerdictOutcome,
)
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import LpskProtection as P
from simpul.justice.codes import PerpetratorRole as R
from simpul.justice.codes import RestitutionStep as RS
from simpul.justice.models import PlacementCompany, Proceeding
from simpul.referrals.actions import accept_referral, send_referral
from simpul.referrals.models import Referral, ReferralStatus
from simpul.regions.models import Region

POLICE = "Unit PPA Polres Sambas"
KEJARI = "Kejaksaan Negeri Sambas"
SAMBAS = "UPTD PPA Kabupaten Sambas"
SAJINGAN_BESAR = "61.01.09"  # the kecamatan: no village officer's jurisdiction


def _ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def _step(
    actor: User,
    proceeding: Proceeding,
    code: str,
    days_ago: int,
    *,
    document_number: str = "",
    note: str = "",
) -> None:
    data = EventInput(code, _ago(days_ago), document_number=document_number, note=note)
    actions.append_event(actor, proceeding, data)


def _running(case: Case, police: User, jaksa: User) -> Proceeding:
    reported = _ago(40)
    p = actions.open_proceeding(
        police,
        case,
        reported_on=reported,
        police_report_number=f"LP/B/57/{reported.year}/SPKT/POLRES SAMBAS",
    )
    _step(police, p, E.INVESTIGATION, 38)
    _step(police, p, E.SPDP, 37, document_number=f"SPDP/41/{reported.year}/Reskrim")
    p = actions.assign_prosecutor(police, p, jaksa)
    _step(jaksa, p, E.P16, 36)
    _step(police, p, E.SUSPECT_NAMED, 30)
    recruiter = actions.add_defendant(
        police,
        p,
        PerpetratorInput(
            kind=PerpetratorKind.PERSON,
            full_name="Hendra Kurniawan Lubis",
            sex="M",
            age_band=AgeBand.A35_44,
            nationality=Nationality.ID,
            roles=[R.RECRUITER, R.TRANSPORTER],
        ),
    )
    actions.add_defendant(
        police,
        p,
        PerpetratorInput(
            kind=PerpetratorKind.COMPANY,
            company_name="PT Contoh Tenaga Kerja Mandiri (demo)",
            nib="9120000000001",
            licence_number="DEMO-P3MI-0001",
            licence_status=LicenceStatus.ACTIVE,
            nationality=Nationality.ID,
            roles=[R.BROKER],
        ),
    )
    victims = [v.person for v in case.victims.select_related("person")]
    actions.link_victim(
        police, recruiter.perpetrator, victims[0], "recruiter", case_victims=victims
    )
    _step(police, p, E.FILE_HANDED_OVER, 17, document_number=f"BP/57/{reported.year}/Reskrim")
    _step(
        jaksa,
        p,
        E.P19,
        11,
        note=(
            "Lengkapi keterangan saksi korban tentang perekrutan; lampirkan bukti transfer "
            "biaya dari PT; periksa saksi sponsor di Sajingan Besar."
        ),
    )
    actions.apply_lpsk(
        police,
        p,
        victims[0],
        LpskInput(_ago(4), LpskApplicant.VICTIM, [P.SECURITY, P.ACCOMPANIMENT, P.PSYCHOSOCIAL]),
    )
    return p


def _two_sisters(police: User, jaksa: User) -> Case:
    """A case with two victims, consent to share with the police and the prosecutor, both
    referrals accepted."""
    sambas = Agency.objects.get(name=SAMBAS)
    worker = User.objects.get(username="pekerja.sambas")
    supervisor = User.objects.get(username="supervisor.sambas")
    region = Region.objects.get(pk=SAJINGAN_BESAR)
    sisters = [
        create_person(
            worker,
            IdentityData(full_name=name, nik=nik, sex="F", birth_date=born),
            owner_agency=sambas,
            scope_region=region,
        )[0]
        for name, nik, born in (
            ("Yulianti Marsela Putri (demo)", "6101094304990002", "1999-04-03"),
            ("Dewi Marsela Anjani (demo)", "6101096108020004", "2002-08-21"),
        )
    ]
    case = open_case(supervisor, victims=sisters, assigned_to=worker)
    for person in sisters:
        record_consent(
            worker,
            case,
            person,
            items=["interview", "sharing"],
            share_with=[Agency.objects.get(name=POLICE), Agency.objects.get(name=KEJARI)],
        )
    for agency, receiver in ((POLICE, police), (KEJARI, jaksa)):
        referral = send_referral(
            worker,
            case,
            Agency.objects.get(name=agency),
            reason="Dua korban bersaudara; mohon proses pidana dan restitusi.",
            sections=["events"],
        )
        accept_referral(receiver, referral)
    case.refresh_from_db()
    return case


def _concluded(case: Case, police: User, jaksa: User) -> Proceeding:
    reported = _ago(200)
    p = actions.open_proceeding(
        police,
        case,
        reported_on=reported,
        police_report_number=f"LP/B/88/{reported.year}/SPKT/POLRES SAMBAS",
    )
    for who, code, days in (
        (police, E.INVESTIGATION, 195),
        (police, E.SPDP, 190),
    ):
        _step(who, p, code, days)
    p = actions.assign_prosecutor(police, p, jaksa)
    for who, code, days in (
        (jaksa, E.P16, 189),
        (police, E.SUSPECT_NAMED, 180),
        (police, E.FILE_HANDED_OVER, 150),
        (jaksa, E.P21, 140),
        (jaksa, E.P22, 130),
        (jaksa, E.P29, 125),
        (jaksa, E.P31, 120),
        (jaksa, E.COURT_REGISTERED, 118),
        (jaksa, E.FIRST_HEARING, 100),
    ):
        _step(who, p, code, days)
    sisters = [
        v.person for v in case.victims.select_related("person").order_by("person__created_at")
    ]
    elder, younger = sisters
    restitution = [
        (elder, 60, {"lost_income": 18_000_000, "suffering": 10_000_000, "medical": 4_500_000}),
        (younger, 60, {"lost_income": 9_000_000, "suffering": 6_000_000}),
    ]
    for victim, days, _heads in restitution:
        actions.record_restitution(
            police,
            p,
            victim,
            RestitutionInput(RS.FILED, _ago(days), channel=RestitutionChannel.LPSK),
        )
    actions.apply_lpsk(
        police, p, younger, LpskInput(_ago(95), LpskApplicant.FAMILY, [P.SECURITY, P.MEDICAL])
    )
    lpsk = p.lpsk_applications.get()
    actions.decide_lpsk(
        police,
        lpsk,
        decision=LpskDecision.ACCEPTED,
        decided_on=_ago(90),
        decision_number=f"KEP-{reported.year}/LPSK/0088 (demo)",
        granted=[P.SECURITY, P.MEDICAL],
        until=_ago(-90),
    )
    _step(jaksa, p, E.DEMAND, 40)
    for victim, _days, heads in restitution:
        actions.record_restitution(
            jaksa, p, victim, RestitutionInput(RS.DEMANDED, _ago(40), amount=sum(heads.values()))
        )
    actions.append_event(
        jaksa, p, EventInput(E.VERDICT, _ago(20), verdict_outcome=VerdictOutcome.CONVICTED)
    )
    defendant = actions.add_defendant(
        police,
        p,
        PerpetratorInput(
            kind=PerpetratorKind.PERSON,
            full_name="Rudi Hartono Simanjuntak",
            sex="M",
            age_band=AgeBand.A45_59,
            nationality=Nationality.ID,
            roles=[R.RECRUITER, R.EXPLOITER],
        ),
    )
    charge = actions.add_charge(
        jaksa, defendant, law=Law.UU_21_2007, article="2_1", aggravations=[]
    )
    total = sum(sum(h.values()) for _v, _d, h in restitution)
    actions.record_sentence(
        jaksa,
        charge,
        SentenceInput(
            prison_months=30,  # below the 3-year minimum of Ps 2(1): flagged
            fine=120_000_000,
            substitute_detention_months=3,
            restitution_ordered=True,
            restitution_amount=total,
        ),
    )
    for victim, _days, heads in restitution:
        actions.record_restitution(
            jaksa,
            p,
            victim,
            RestitutionInput(RS.AWARDED, _ago(20), heads=heads, reference="PUT/88 (demo)"),
        )
    _step(jaksa, p, E.FINAL, 10)
    for victim, _days, _heads in restitution:
        actions.record_restitution(jaksa, p, victim, RestitutionInput(RS.FINAL, _ago(10)))
    actions.record_restitution(
        jaksa,
        p,
        elder,
        RestitutionInput(RS.PAYMENT, _ago(3), amount=12_500_000, reference="BA-REST/1 (demo)"),
    )
    return p


def _stalled(case: Case, police: User, jaksa: User) -> Proceeding:
    reported = _ago(210)
    p = actions.open_proceeding(
        police,
        case,
        reported_on=reported,
        police_report_number=f"LP/B/12/{reported.year}/SPKT/POLRES SAMBAS",
    )
    _step(police, p, E.INVESTIGATION, 200)
    _step(police, p, E.SPDP, 195, document_number=f"SPDP/9/{reported.year}/Reskrim")
    p = actions.assign_prosecutor(police, p, jaksa)
    _step(jaksa, p, E.P16, 190)
    _step(police, p, E.SUSPECT_NAMED, 150)
    actions.add_defendant(
        police,
        p,
        PerpetratorInput(
            kind=PerpetratorKind.PERSON,
            full_name="Jefri Tambunan",
            sex="M",
            age_band=AgeBand.A25_34,
            nationality=Nationality.ID,
            roles=[R.TRANSPORTER],
        ),
    )
    return p


def _company_register() -> None:
    """Two registered placement companies; nothing when the register has entries."""
    if PlacementCompany.objects.exists():
        return
    task_force = User.objects.get(username="gt.kalbar")
    source = "Daftar P3MI Kemnaker (demo)"
    actions.register_company(
        task_force,
        CompanyInput(
            name="PT Contoh Penempatan",
            licence_number="SIP3MI 123/2024",
            licence_status=LicenceStatus.ACTIVE,
            source=source,
        ),
    )
    suspended = actions.register_company(
        task_force,
        CompanyInput(
            name="PT Contoh Jasa Luar Negeri (demo)",
            licence_number="SIP3MI 77/2022",
            licence_status=LicenceStatus.ACTIVE,
            source=source,
        ),
    )
    actions.record_company_sanction(
        task_force,
        suspended,
        kind=SanctionKind.FULL_SUSPENSION,
        decision_number="Kep-45/PPTKLN/2026 (demo)",
        decided_on=_ago(12),
        effective_from=_ago(10),
        effective_to=_ago(-80),
    )


def build_justice_demo() -> dict[str, int]:
    """Two proceedings and their reminders; nothing when proceedings exist (load_demo again)."""
    _company_register()
    if Proceeding.objects.exists():
        return {"proceedings": 0, "reminders": 0}
    referral = (
        Referral.objects.filter(
            to_agency=Agency.objects.get(name=POLICE), status=ReferralStatus.ACCEPTED
        )
        .select_related("case")
        .order_by("sent_at")
        .first()
    )
    if referral is None:
        return {"proceedings": 0, "reminders": 0}
    police = User.objects.get(username="polisi.sambas")
    jaksa = User.objects.get(username="jaksa.sambas")
    _stalled(referral.case, police, jaksa)
    _running(referral.case, police, jaksa)
    _concluded(_two_sisters(police, jaksa), police, jaksa)
    return {"proceedings": 3, "reminders": actions.raise_reminders()}
