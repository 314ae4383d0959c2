"""Demo reports and a case in progress, created through the same actions as the pages."""

from datetime import timedelta

from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.cases import actions as cases
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, record_intake, submit_public_report
from simpul.intake.models import Intake
from simpul.regions.models import Region
from simpul.screening.actions import screen

NARRATIVES = [
    (
        "hotline",
        True,
        True,
        "61.01.09.2002",
        "Penelpon: keponakannya (15 th) dijemput orang tak dikenal ke Kuching, HP-nya mati.",
    ),
    (
        "whatsapp",
        False,
        False,
        "61.01.09",
        "Pesan WA: tetangga ditawari kerja kebun sawit di Sarawak, biaya ditalangi agen.",
    ),
    (
        "walk_in",
        False,
        False,
        "61.01",
        "Ibu datang ke kantor: anaknya dipulangkan dari Entikong, butuh pendampingan.",
    ),
]


def build_protection_demo() -> dict[str, int]:
    if Intake.objects.exists():
        return {"intakes": 0, "cases": 0}
    operator = User.objects.get(username="operator.sambas")
    worker = User.objects.get(username="pekerja.sambas")
    supervisor = User.objects.get(username="supervisor.sambas")
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    for channel, danger, child, region, text in NARRATIVES:
        record_intake(
            operator,
            IntakeDetails(
                channel=channel,
                narrative=text,
                place_region=Region.objects.get(pk=region),
                immediate_danger=danger,
                child_involved=child,
            ),
            owner_agency=sambas,
        )
    submit_public_report(
        IntakeDetails(
            channel="public_web",
            place_region=Region.objects.get(pk="61.01.09.2001"),
            narrative="Saya lihat tiga remaja perempuan dibawa malam-malam lewat jalan tikus.",
        )
    )

    person = Person.objects.filter(owner_agency=sambas, created_by=worker).first()
    intake = record_intake(
        worker,
        IntakeDetails(
            channel="referral_border",
            narrative="Dipulangkan lewat PLBN Aruk; gaji tidak dibayar.",
            place_region=Region.objects.get(pk="61.01.09"),
        ),
        owner_agency=sambas,
        persons=[person] if person else [],
    )
    if person is None:
        return {"intakes": 5, "cases": 0}
    result = screen(
        worker,
        person,
        {
            "act_recruitment": True,
            "means_deception": True,
            "d4_low_no_salary": True,
            "purpose_exploitation_resulted": True,
            "age_at_act": 24,
        },
        intake=intake,
    )
    case = cases.open_case(worker, victims=[person], intake=intake, screening=result)
    case = cases.submit_assessment(
        worker,
        case,
        "Korban dewasa, kerja paksa di kebun; butuh pemulihan dan bantuan hukum.",
        expected_version=case.version,
    )
    case = cases.approve_assessment(supervisor, case, approve=True)
    due = (timezone.now() + timedelta(days=14)).date()
    case = cases.submit_plan(
        worker,
        case,
        "Pulih, dapat kerja layak di desa.",
        [("counselling", sambas, due), ("legal_aid", sambas, due)],
        expected_version=case.version,
    )
    cases.approve_plan(supervisor, case, approve=True)
    return {"intakes": 5, "cases": 1}
