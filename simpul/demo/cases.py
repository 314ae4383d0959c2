"""Demo cases at every stage, with triaged reports, referrals sent and received, plans, tasks
and services; written through the intake, cases and referrals actions.

Kabupaten Sambas (UPTD PPA, case worker `pekerja.sambas`, supervisor `supervisor.sambas`):
one case at each stage of the workflow, one assessment returned to the worker, referrals to
the police (accepted, with a task), the prosecutor, the UPTD PPA and the shelter of
Tanjungpinang (waiting for their answer). Kota Tanjungpinang (`pekerja.tpi`): a report and two
cases of its own, one at assessment and one submitted (it has no demo supervisor to approve).

Shelter stays are in `build_later_stages`, which ends with the reintegration plan
(`simpul.demo.reintegration`); court proceedings are in `simpul.demo.justice`.
"""

from datetime import timedelta

from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.cases import actions as cases
from simpul.cases.models import Case, CaseVictim
from simpul.demo.reintegration import build_reintegration
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.actions.triage import triage
from simpul.intake.models import Intake, Status
from simpul.referrals.actions import accept_referral, send_referral
from simpul.regions.models import Region
from simpul.shelters import actions as shelters
from simpul.shelters.models import Shelter

SAMBAS = "UPTD PPA Kabupaten Sambas"
TPI = "UPTD PPA Kota Tanjungpinang"
SHARE_WITH = [
    "Unit PPA Polres Sambas",
    "Kejaksaan Negeri Sambas",
    TPI,
    "RPTC Tanjungpinang",
]

# (stage the case is left at, the assessment text)
SAMBAS_CASES = [
    ("assessment", "Baru dibuka dari laporan hotline; korban belum bisa diwawancara."),
    ("returned", "Korban anak, dibawa ke Kuching."),
    ("assessment_submitted", "Korban dewasa, paspor ditahan majikan, gaji tidak dibayar."),
    ("planning", "Korban dewasa, dijanjikan kerja restoran, dipaksa bekerja tanpa upah."),
    ("plan_submitted", "Korban perempuan, dipulangkan lewat PLBN Aruk, butuh pemulihan."),
    ("monitoring", "Korban sudah pulang ke desa; pendampingan berjalan baik."),
    ("closure_requested", "Layanan selesai; korban bekerja di desa."),
    ("closed", "Korban pulih dan kembali ke keluarga; kasus ditutup."),
]


def _agency(name: str) -> Agency:
    return Agency.objects.get(name=name)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _victims(agency: Agency, worker: User, count: int) -> list[Person]:
    """World persons of the agency that are no case's victim yet."""
    persons = (
        Person.objects.filter(owner_agency=agency, created_by=worker)
        .exclude(pk__in=CaseVictim.objects.values("person_id"))
        .order_by("created_at", "id")
    )
    return list(persons[:count])


def _triage_reports(operator: User) -> None:
    """Of the hotline operator's reports: one triaged for screening, one closed without a case
    (the one in immediate danger and the public report still wait for triage)."""
    waiting = Intake.objects.filter(created_by=operator, status=Status.NEW).order_by("created_at")
    by_channel = {intake.channel: intake for intake in waiting}
    if "whatsapp" in by_channel:
        triage(
            operator,
            by_channel["whatsapp"],
            "screen",
            immediate_danger=False,
            child_involved=False,
            note="Hubungi tetangga untuk wawancara penyaringan.",
        )
    if "walk_in" in by_channel:
        triage(
            operator,
            by_channel["walk_in"],
            "no_action",
            immediate_danger=False,
            child_involved=False,
            reason="Sudah ditangani Dinas Sosial Sambas; keluarga hanya minta informasi.",
        )


def _to_stage(case: Case, stage: str, assessment: str, worker: User, supervisor: User) -> Case:
    sambas = case.owner_agency
    due = timezone.localdate() + timedelta(days=21)
    if stage == "assessment":
        return case
    case = cases.submit_assessment(worker, case, assessment, expected_version=case.version)
    if stage == "returned":
        return cases.approve_assessment(
            supervisor,
            case,
            approve=False,
            reason="Lengkapi kronologi perekrutan dan siapa yang menjemput anak.",
        )
    if stage == "assessment_submitted":
        return case
    case = cases.approve_assessment(supervisor, case, approve=True)
    if stage == "planning":
        return case
    case = cases.submit_plan(
        worker,
        case,
        "Pulih, aman, dan mendapat hak restitusi.",
        [("counselling", sambas, due), ("legal_aid", sambas, due)],
        expected_version=case.version,
    )
    if stage == "plan_submitted":
        return case
    case = cases.approve_plan(supervisor, case, approve=True)
    cases.record_service(
        worker,
        case,
        service="counselling",
        delivered_on=timezone.localdate() - timedelta(days=3),
        provider=sambas,
        outcome="Sesi konseling pertama; korban mulai tenang.",
    )
    case = cases.start_monitoring(worker, case)
    if stage == "monitoring":
        return case
    case = cases.request_closure(worker, case, reason="goals_met", expected_version=case.version)
    if stage == "closure_requested":
        return case
    return cases.approve_closure(supervisor, case, approve=True)


def _referrals(case: Case, worker: User) -> None:
    """From the case in services: consent to share, then referrals out, one accepted with a
    task for the police, and tasks of the case worker (one overdue)."""
    today = timezone.localdate()
    sambas = case.owner_agency
    person = case.victims.get().person
    cases.record_consent(
        worker,
        case,
        person,
        items=["interview", "data_use", "sharing"],
        share_with=[_agency(name) for name in SHARE_WITH],
    )
    police = send_referral(
        worker,
        case,
        _agency("Unit PPA Polres Sambas"),
        reason="Korban bersedia melapor; mohon penyelidikan perekrut.",
        sections=["identity", "assessment", "events"],
        receiver_acts=True,
    )
    accept_referral(_user("polisi.sambas"), police)
    for to, why, sections in [
        ("Kejaksaan Negeri Sambas", "Untuk persiapan restitusi.", ["identity", "assessment"]),
        (TPI, "Korban pindah ke Tanjungpinang; mohon pendampingan lanjutan.", ["identity"]),
        ("RPTC Tanjungpinang", "Mohon rumah aman sementara.", ["identity", "plan"]),
    ]:
        send_referral(worker, case, _agency(to), reason=why, sections=sections)
    cases.create_task(
        worker,
        case,
        title="Minta BAP korban dari penyidik",
        due_on=today - timedelta(days=4),
        responsible_agency=_agency("Unit PPA Polres Sambas"),
        assigned_to=_user("polisi.sambas"),
    )
    cases.create_task(
        worker,
        case,
        title="Kunjungi keluarga korban di Sajingan Besar",
        due_on=today - timedelta(days=2),
        responsible_agency=sambas,
        assigned_to=worker,
    )
    cases.create_task(
        worker,
        case,
        title="Siapkan berkas restitusi",
        due_on=today + timedelta(days=10),
        responsible_agency=sambas,
        assigned_to=worker,
    )


def _tanjungpinang(worker: User) -> None:
    tpi = _agency(TPI)
    record_intake(
        worker,
        IntakeDetails(
            channel="walk_in",
            narrative="Dua perempuan muda turun dari kapal Batam; mengaku kerja di karaoke.",
            place_region=Region.objects.get(pk="21.72.01"),
            immediate_danger=False,
        ),
        owner_agency=tpi,
    )
    first, second = _victims(tpi, worker, 2)
    cases.open_case(worker, victims=[first])
    case = cases.open_case(worker, victims=[second])
    cases.submit_assessment(
        worker,
        case,
        "Korban dewasa, dijanjikan kerja restoran di Singapura, dibawa ke Batam.",
        expected_version=case.version,
    )


def build_case_stages() -> dict[str, int]:
    """The cases beyond the first; nothing when they exist (load_demo run again)."""
    sambas = _agency(SAMBAS)
    if Case.objects.filter(owner_agency=_agency(TPI)).exists():
        return {"cases": 0}
    worker, supervisor = _user("pekerja.sambas"), _user("supervisor.sambas")
    _triage_reports(_user("operator.sambas"))
    # The first demo case (build_protection_demo) is in services: its referrals and tasks.
    first = Case.objects.filter(owner_agency=sambas).order_by("opened_at").first()
    if first is not None:
        _referrals(first, worker)
    victims = _victims(sambas, worker, len(SAMBAS_CASES))
    for (stage, assessment), person in zip(SAMBAS_CASES, victims, strict=False):
        case = cases.open_case(supervisor, victims=[person], assigned_to=worker)
        _to_stage(case, stage, assessment, worker, supervisor)
    _tanjungpinang(_user("pekerja.tpi"))
    build_later_stages()
    return {"cases": len(victims) + 2}


def build_later_stages() -> None:
    """Stays in two shelters, through the shelters actions (action plans come here when their
    app lands; court proceedings are in `simpul.demo.justice`). RPTC Tanjungpinang
    (`shelter.tpi`): an admission waiting (a Sambas case referred for temporary shelter,
    accepted), two residents (one under a movement restriction due for review tomorrow, one
    with a passport in safekeeping), one checked out with her KTP still held (flagged), one
    planned, and one returned home to Sambas with a handover the UPTD PPA Sambas has yet to
    acknowledge (`pekerja.sambas`). The UPTD PPA Sambas runs a rumah aman with one resident
    whose 7-day stay was extended."""
    if Shelter.objects.exists():
        return
    today = timezone.localdate()
    rptc_agency, officer = _agency("RPTC Tanjungpinang"), _user("shelter.tpi")
    rptc = shelters.register_shelter(
        officer,
        shelters.ShelterInput(
            name="RPTC Tanjungpinang",
            kind="rptc",
            operator_agency=rptc_agency,
            region=Region.objects.get(pk="21.72"),
            address="Jl. Sei Timun, Senggarang (demo)",
            accepts_sex="any",
            beds=20,
            blocked=2,
            blocked_reason="Kamar mandi blok B direnovasi",
        ),
    )
    sambas, supervisor = _agency(SAMBAS), _user("supervisor.sambas")
    safe_house = shelters.register_shelter(
        supervisor,
        shelters.ShelterInput(
            name="Rumah Aman Sambas",
            kind="rumah_aman",
            operator_agency=sambas,
            region=Region.objects.get(pk="61.01"),
            address="Alamat rahasia (demo)",
            accepts_sex="female",
            beds=6,
        ),
    )
    # The plan-submitted Sambas case is referred for temporary shelter and accepted.
    worker = _user("pekerja.sambas")
    case = Case.objects.filter(owner_agency=sambas, stage="plan_submitted").first()
    if case is not None:
        victim = case.victims.get().person
        cases.record_consent(
            worker, case, victim, items=["interview", "sharing"], share_with=[rptc_agency]
        )
        referral = send_referral(
            worker,
            case,
            rptc_agency,
            reason="Korban butuh tempat aman sementara sebelum pulang.",
            sections=["identity"],
            service="temporary_shelter",
        )
        accept_referral(officer, referral)

    def resident(actor: User, agency: Agency, name: str, region: str) -> Person:
        person, _ = create_person(
            actor,
            IdentityData(full_name=name, sex="F", birth_date="2001"),
            owner_agency=agency,
            scope_region=Region.objects.get(pk=region),
        )
        return person

    names = ["Oktaviana Sembiring", "Gracella Manurung", "Natalia Pasaribu", "Kristina Sihotang"]
    stays = []
    for name in names:
        stay = shelters.plan_stay(officer, rptc, resident(officer, rptc_agency, name, "21.72"))
        stays.append(stay)
    restricted, passport, gone, _arriving = stays  # the last arrives with the next ferry
    for stay in (restricted, passport, gone):
        shelters.check_in(officer, stay, consent_basis="own")
    shelters.restrict_movement(
        officer,
        restricted,
        kind="no_outings",
        legal_basis="Permintaan LPSK: pelaku masih mencari korban",
        review_on=today + timedelta(days=1),
    )
    shelters.receive_document(officer, passport, document_type="passport", consent=True)
    shelters.receive_document(officer, gone, document_type="ktp", consent=True)
    shelters.check_out(officer, gone, exit_reason="returned_home")
    # Back home to Sambas: a returned migrant worker checked out of the RPTC and handed over
    # (berita acara serah terima) to the UPTD PPA Sambas, which has not acknowledged it yet.
    homeward = shelters.check_in(
        officer,
        shelters.plan_stay(
            officer, rptc, resident(officer, rptc_agency, "Yustina Lumban Gaol", "61.01")
        ),
        consent_basis="own",
    )
    homeward = shelters.check_out(officer, homeward, exit_reason="returned_home")
    shelters.send_handover(
        officer,
        shelters.create_handover(
            officer,
            homeward,
            shelters.HandoverInput(
                to_agency=sambas,
                handover_on=today,
                place="Kantor UPTD PPA Kabupaten Sambas",
                escort_users=[officer],
                escorts="Pendamping dari BP3MI Kepulauan Riau",
                other_documents=["travel"],
            ),
        ),
    )
    guest = shelters.plan_stay(
        supervisor,
        safe_house,
        resident(supervisor, sambas, "Veronika Ayuningtyas", "61.01"),
    )
    guest = shelters.check_in(supervisor, guest, consent_basis="guardian")
    shelters.extend_stay(
        supervisor,
        guest,
        until=today + timedelta(days=21),
        reason="Menunggu pemeriksaan saksi di Polres Sambas",
    )
    build_reintegration()
