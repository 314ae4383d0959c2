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
  for 150 days.

The daily deadline job then raises the reminders, as it would at 05:00 WIB. Every date is
relative to the day the demo is loaded.
"""

from datetime import date, timedelta

from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.cases.models import Case
from simpul.justice import actions
from simpul.justice.actions import EventInput, PerpetratorInput
from simpul.justice.codes import AgeBand, LicenceStatus, Nationality, PerpetratorKind
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import PerpetratorRole as R
from simpul.justice.models import Proceeding
from simpul.referrals.models import Referral, ReferralStatus

POLICE = "Unit PPA Polres Sambas"


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
    _step(police, p, E.LPSK_APPLIED, 4)
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


def build_justice_demo() -> dict[str, int]:
    """Two proceedings and their reminders; nothing when proceedings exist (load_demo again)."""
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
    return {"proceedings": 2, "reminders": actions.raise_reminders()}
