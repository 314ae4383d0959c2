"""Demo migration records, written through the migration module's actions.

Kabupaten Sambas: departures registered by Desa Sebunga with their check-ins (most on time,
one overdue, one unreachable), a missing-migrant report that a deportee's return matches,
border screenings at PLBN Aruk (one referred to protection), and an imported deportee list.
Kota Tanjungpinang has no demo account at a village or at its port, so its departures and
returns wait for one; its UPTD PPA may take missing reports, but a case worker (assigned scope)
cannot see a report once filed (no creator grant), so the demo files none there yet.

Every date is relative to the day the demo is loaded; the identities are invented.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from simpul.accounts.models import User
from simpul.demo.world import _nik
from simpul.identity.data import IdentityData
from simpul.migration import actions
from simpul.migration.codes import (
    Channel,
    CheckInOutcome,
    ContactWith,
    Direction,
    Job,
    Recruiter,
    RedFlag,
    Reporter,
    Route,
    ScreeningOutcome,
    TravelDocument,
)
from simpul.migration.importer import import_returns
from simpul.migration.models import Departure, ImportBatch, MissingReport, ReturnEvent
from simpul.regions.models import Region

SEBUNGA = "61.01.09.2002"
KALIAU = "61.01.09.2001"
ALL_DOCS = {
    "marital_status": (True, False),
    "family_consent": (True, True),
    "competency_cert": (True, False),
    "health_cert": (True, False),
    "passport": (True, False),
    "work_visa": (True, False),
    "placement_agreement": (True, False),
    "employment_contract": (True, False),
}


@dataclass(frozen=True)
class Migrant:
    name: str
    born: date
    sex: str
    serial: int
    district: str = "61.01.09"
    phone: str = ""

    def identity(self) -> IdentityData:
        return IdentityData(
            full_name=self.name,
            nik=_nik(self.district, self.born, self.sex, self.serial),
            birth_date=self.born.isoformat(),
            sex=self.sex,
            phone=self.phone,
            address="Dusun Sebunga" if self.district == "61.01.09" else "",
        )


# Departures from Desa Sebunga: (migrant, days since leaving or None if planned, check-ins).
# A check-in is (days after leaving, outcome). Month-1 check-ins fall due 30 days after leaving
# and count as overdue 14 days later.
DEPARTURES: list[tuple[Migrant, int | None, list[tuple[int, str]]]] = [
    (Migrant("Maria Ningsih", date(1996, 5, 14), "F", 7101), 75, [(29, CheckInOutcome.WELL)]),
    (Migrant("Yuliana Ahui", date(1999, 9, 2), "F", 7102), 50, [(31, CheckInOutcome.WELL)]),
    (Migrant("Stefanus Jaya", date(1990, 1, 23), "M", 7103), 40, [(30, CheckInOutcome.WELL)]),
    (Migrant("Lestari Kristina", date(2001, 11, 8), "F", 7104), 20, []),
    # Overdue: the month-1 check-in was due 35 days ago and nobody reached her.
    (Migrant("Theresia Siregar", date(1994, 7, 30), "F", 7105), 65, []),
    # Unreachable at the month-1 check-in.
    (
        Migrant("Hendrik Gunadi", date(1988, 3, 5), "M", 7106),
        45,
        [(32, CheckInOutcome.UNREACHABLE)],
    ),
    # Planned, leaving next month through an unlicensed agent: non-procedural.
    (Migrant("Ayu Pratiwi", date(2003, 2, 17), "F", 7107), None, []),
]

# Reported missing by the family in Sebunga; a deportee list returns her through PLBN Aruk.
MISSING_SEBUNGA = Migrant("Rosmaniar Anggraini", date(1997, 8, 9), "F", 8801)

# Travellers screened at PLBN Aruk: (migrant, red flags, outcome).
SCREENED = [
    (
        Migrant("Fitri Wijaya", date(2009, 6, 12), "F", 8901, district="61.01.08"),
        [RedFlag.MINOR, RedFlag.VISIT_PASS_FOR_WORK],
        ScreeningOutcome.REFERRED,
    ),
    (
        Migrant("Rudi Santoso", date(1985, 10, 2), "M", 8902, district="61.01.01"),
        [],
        ScreeningOutcome.ALLOWED,
    ),
]

# The deportee list from Depot Imigresen Semuja (rows of the import file).
DEPORTEES = [
    ("ROSMANIAR ANGGRAINI", date(1997, 8, 9), "P", "", "A1970809", 3, SEBUNGA),
    ("Slamet Hidayat", date(1983, 12, 1), "L", "6101010112830451", "A1831201", 3, ""),
    ("Wati Sulastri", date(1992, 2, 28), "P", "", "A1920228", 3, KALIAU),
    ("Andreas Kurniawan", date(1979, 6, 15), "L", "", "A1790615", 3, ""),
    ("Juliana Rahmawati", date(1995, 9, 19), "P", "6101085909950452", "A1950919", 10, ""),
    ("Dedi Setiawan", date(1987, 4, 4), "L", "", "A1870404", 10, "61.01.09"),
]
IMPORT_HEADER = [
    "nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "nik",
    "jenis_dokumen",
    "nomor_dokumen",
    "tanggal_tiba",
    "titik_masuk",
    "depo",
    "perwakilan",
    "kode_wilayah_asal",
]
IMPORT_FILENAME = "daftar-deportasi-semuja-demo.csv"


def _departure_input(migrant: Migrant, left_days_ago: int | None, today: date):
    if left_days_ago is None:
        return actions.DepartureInput(
            destination_country="MY",
            destination_place="Kuching, Sarawak",
            channel=Channel.UNLICENSED_AGENT,
            recruiter=Recruiter.UNLICENSED,
            route=Route.UNOFFICIAL,
            travel_document=TravelDocument.VISIT_PASS,
            job=Job.PLANTATION,
            planned_on=today + timedelta(days=25),
            fees_or_debt=True,
            family_contact_name="Bapak Ahui",
            family_contact_relationship="Ayah",
            family_contact_phone="+6281234500107",
        )
    left = today - timedelta(days=left_days_ago)
    return actions.DepartureInput(
        destination_country="MY",
        destination_place="Kuching, Sarawak",
        channel=Channel.P3MI,
        placement_company="PT Contoh Penempatan",
        placement_licence="SIP3MI 123/2024",
        recruiter=Recruiter.LICENSED_COMPANY,
        route=Route.OFFICIAL_BORDER,
        crossing_point="PLBN_ARUK",
        travel_document=TravelDocument.WORK_VISA,
        job=Job.FACTORY if migrant.sex == "M" else Job.DOMESTIC,
        planned_on=left,
        already_left=True,
        departed_on=left,
        family_contact_name="Keluarga di Sebunga",
        family_contact_relationship="Orang tua",
        family_contact_phone=f"+628123450{migrant.serial}",
        documents=dict(ALL_DOCS),
    )


def _departures(village: User, today: date) -> int:
    home = Region.objects.get(pk=SEBUNGA)
    for migrant, left_days_ago, checkins in DEPARTURES:
        departure, _warnings = actions.register_departure(
            village,
            migrant.identity(),
            _departure_input(migrant, left_days_ago, today),
            home_village=home,
        )
        for after, outcome in checkins:
            assert left_days_ago is not None
            actions.record_check_in(
                village,
                departure,
                actions.CheckInInput(
                    contacted_on=today - timedelta(days=left_days_ago - after),
                    outcome=outcome,
                    contact_with=ContactWith.FAMILY,
                    note=(
                        "Nomor WA mati, keluarga juga belum dapat kabar."
                        if outcome == CheckInOutcome.UNREACHABLE
                        else ""
                    ),
                ),
            )
    return len(DEPARTURES)


def _missing(village: User, today: date) -> int:
    actions.report_missing(
        village,
        actions.MissingInput(
            reported_on=today - timedelta(days=21),
            reported_by=Reporter.FAMILY,
            last_contact_on=today - timedelta(days=80),
            last_known_country="MY",
            last_known_place="Bintulu, Sarawak",
            circumstances="Berangkat lewat jalan tikus dengan calo; telepon mati sejak tiga bulan.",
        ),
        identity=MISSING_SEBUNGA.identity(),
        home_village=Region.objects.get(pk=SEBUNGA),
    )
    return 1


def _screenings(border: User, today: date) -> int:
    for migrant, flags, outcome in SCREENED:
        actions.record_screening(
            border,
            migrant.identity(),
            actions.ScreeningInput(
                outcome=outcome,
                crossing_point="PLBN_ARUK",
                direction=Direction.DEPARTING,
                destination_country="MY",
                tasks=["observe", "check_documents", "record_identity"],
                documents_checked=["passport"],
                red_flags=list(flags),
                note=(
                    "Anak perempuan berangkat dengan pas kunjungan, dijemput orang yang "
                    "mengaku om; tidak membawa surat izin orang tua."
                    if outcome == ScreeningOutcome.REFERRED
                    else ""
                ),
            ),
            home_region=Region.objects.get(pk=migrant.district),
        )
    return len(SCREENED)


def deportee_file(today: date) -> bytes:
    """The demo's deportee list as the consulate sends it (CSV, Indonesian headers)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_HEADER)
    for name, born, sex, nik, number, days_ago, region in DEPORTEES:
        writer.writerow(
            [
                name,
                born.strftime("%d/%m/%Y"),
                sex,
                nik,
                "SPLP",
                number,
                (today - timedelta(days=days_ago)).isoformat(),
                "PLBN_ARUK",
                "Depot Imigresen Semuja",
                "KJRI Kuching",
                region,
            ]
        )
    return out.getvalue().encode("utf-8")


def _deportees(border: User, today: date) -> int:
    result = import_returns(
        border, deportee_file(today), IMPORT_FILENAME, list_reference="KJRI-KCH/DEMO/01"
    )
    if not result.ok:
        raise RuntimeError(f"The demo deportee list did not import: {result.errors}")
    # One returnee screened already (sent home); the others wait for the team.
    screened = ReturnEvent.objects.filter(batch=result.batch).order_by("returned_on", "id").first()
    if screened is not None:
        actions.screen_return(
            border,
            screened,
            actions.ScreeningInput(
                outcome=ScreeningOutcome.ALLOWED,
                tasks=["observe", "check_documents", "record_identity"],
                documents_checked=["splp"],
            ),
        )
    return result.created


def build_migration_demo(today: date | None = None) -> dict[str, int]:
    """Departures, check-ins, missing reports, screenings and a deportee list; nothing when
    the demo's departures are there already (load_demo is run again)."""
    if Departure.objects.exists() or MissingReport.objects.exists():
        return {"departures": 0, "missing": 0, "screenings": 0, "returns": 0}
    today = today or timezone.localdate()
    village = User.objects.get(username="desa.sebunga")
    border = User.objects.get(username="pos.aruk")
    counts = {
        "departures": _departures(village, today),
        "missing": _missing(village, today),
        "screenings": _screenings(border, today),
        "returns": 0,
    }
    if not ImportBatch.objects.exists():
        counts["returns"] = _deportees(border, today)
    return counts
