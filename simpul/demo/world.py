"""The demo world: agencies in two pilot areas, one user per role, synthetic persons.

Pilot areas (domain.md §8): Kabupaten Sambas 61.01 with Kecamatan Sajingan Besar 61.01.09 and
its villages, and Kota Tanjungpinang 21.72; plus the provincial task forces of Kalimantan Barat
(61) and Kepulauan Riau (21). Every person is invented; no name belongs to a real case.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.models import Agency, AgencyType, Membership, User
from simpul.accounts.roles import Role, requires_two_factor
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.regions.models import Region

DEMO_PASSWORD = "simpul-demo-2026"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    agency_type: str
    jurisdiction: str | None


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    agency: str
    role: Role


AGENCIES = [
    AgencySpec("uptd_sambas", "UPTD PPA Kabupaten Sambas", AgencyType.UPTD_PPA, "61.01"),
    AgencySpec("uptd_tpi", "UPTD PPA Kota Tanjungpinang", AgencyType.UPTD_PPA, "21.72"),
    AgencySpec("rptc_tpi", "RPTC Tanjungpinang", AgencyType.SHELTER, "21.72"),
    AgencySpec("desa_sebunga", "Pemerintah Desa Sebunga", AgencyType.VILLAGE, "61.01.09.2002"),
    AgencySpec("desa_kaliau", "Pemerintah Desa Kaliau'", AgencyType.VILLAGE, "61.01.09.2001"),
    AgencySpec("pos_aruk", "Tim Terpadu PLBN Aruk", AgencyType.BORDER_TEAM, "61.01.09"),
    AgencySpec("pos_sbp", "Tim Terpadu Pelabuhan Sri Bintan Pura", AgencyType.BORDER_TEAM, "21.72"),
    AgencySpec("polres_sambas", "Unit PPA Polres Sambas", AgencyType.POLICE, "61.01"),
    AgencySpec("kejari_sambas", "Kejaksaan Negeri Sambas", AgencyType.PROSECUTOR, "61.01"),
    AgencySpec("gt_kalbar", "GT PP-TPPO Provinsi Kalimantan Barat", AgencyType.TASKFORCE, "61"),
    AgencySpec("gt_kepri", "GT PP-TPPO Provinsi Kepulauan Riau", AgencyType.TASKFORCE, "21"),
    AgencySpec("iom_pontianak", "IOM Indonesia, Pontianak", AgencyType.IOM, "61"),
    AgencySpec("simpul_ops", "Sekretariat Simpul", AgencyType.TASKFORCE, None),
]

USERS = [
    UserSpec("operator.sambas", "Rina", "Marlina", "uptd_sambas", Role.HOTLINE_OPERATOR),
    UserSpec("pekerja.sambas", "Dewi", "Lestari", "uptd_sambas", Role.CASE_WORKER),
    UserSpec("supervisor.sambas", "Agus", "Setiawan", "uptd_sambas", Role.CASE_SUPERVISOR),
    UserSpec("pekerja.tpi", "Nurul", "Hidayah", "uptd_tpi", Role.CASE_WORKER),
    UserSpec("shelter.tpi", "Yohana", "Simanjuntak", "rptc_tpi", Role.SHELTER_OFFICER),
    UserSpec("desa.sebunga", "Yosef", "Ahui", "desa_sebunga", Role.VILLAGE_OFFICER),
    UserSpec("pos.aruk", "Bayu", "Pratama", "pos_aruk", Role.BORDER_OFFICER),
    UserSpec("polisi.sambas", "Hendra", "Gunawan", "polres_sambas", Role.POLICE_INVESTIGATOR),
    UserSpec("jaksa.sambas", "Fitriani", "Syahputri", "kejari_sambas", Role.PROSECUTOR),
    UserSpec("gt.kalbar", "Martinus", "Ningkan", "gt_kalbar", Role.TASKFORCE_COORDINATOR),
    UserSpec("analis.kepri", "Syarifah", "Aini", "gt_kepri", Role.DATA_ANALYST),
    UserSpec("admin.sambas", "Joko", "Susanto", "uptd_sambas", Role.AGENCY_ADMIN),
    UserSpec("sysadmin", "Putri", "Wulandari", "simpul_ops", Role.SYSTEM_ADMIN),
]

_GIVEN_F = [
    "Siti",
    "Nur",
    "Dewi",
    "Sri",
    "Rina",
    "Yuliana",
    "Maria",
    "Lestari",
    "Ayu",
    "Wati",
    "Fitri",
    "Rosmaniar",
    "Theresia",
    "Melati",
    "Erni",
    "Susanti",
    "Linda",
    "Juliana",
]
_GIVEN_M = [
    "Muhammad",
    "Agus",
    "Budi",
    "Yohanes",
    "Rudi",
    "Hendrik",
    "Slamet",
    "Andreas",
    "Ahmad",
    "Riyadi",
    "Stefanus",
    "Joko",
    "Hasan",
    "Dedi",
    "Fransiskus",
    "Rahmat",
]
_FAMILY = [
    "Aminah",
    "Lestari",
    "Santoso",
    "Saputra",
    "Wijaya",
    "Kurniawan",
    "Hidayat",
    "Rahmawati",
    "Sulastri",
    "Nasution",
    "Siregar",
    "Jaya",
    "Anggraini",
    "Ningsih",
    "Pratiwi",
    "Setiawan",
    "Gunadi",
    "Kristina",
    "Ahui",
    "Ningkan",
]


def _nik(district: str, born: date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{district.replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def _synthetic_identities(rng: random.Random, count: int, districts: list[str]):
    for i in range(count):
        sex = rng.choice(["F", "F", "M"])  # most victims recorded in the pilots are women
        given = rng.choice(_GIVEN_F if sex == "F" else _GIVEN_M)
        name = f"{given} {rng.choice(_FAMILY)}"
        born = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 365 * 32))
        district = rng.choice(districts)
        yield IdentityData(
            full_name=name,
            nik=_nik(district, born, sex, 1 + i) if rng.random() < 0.7 else "",
            birth_date=born.isoformat(),
            sex=sex,
            phone=f"+62812{rng.randrange(10_000_000, 99_999_999)}" if rng.random() < 0.6 else "",
            address=f"Dusun {rng.choice(['Sebunga', 'Aruk', 'Kaliau', 'Santaban', 'Senggarang'])}",
        )


def demo_user_list() -> list[dict[str, str]]:
    names = {a.key: a.name for a in AGENCIES}
    return [
        {
            "username": u.username,
            "role": str(u.role.label),
            "agency": names[u.agency],
            "password": DEMO_PASSWORD,
        }
        for u in USERS
    ]


@transaction.atomic
def build_world(persons_per_agency: int = 12, seed: int = 2026) -> dict[str, int]:
    """Create (or complete) the demo world. Safe to re-run: existing rows are kept."""
    agencies: dict[str, Agency] = {}
    for spec in AGENCIES:
        region = Region.objects.get(pk=spec.jurisdiction) if spec.jurisdiction else None
        agencies[spec.key], _ = Agency.objects.get_or_create(
            name=spec.name, defaults={"agency_type": spec.agency_type, "jurisdiction": region}
        )
    created_users = 0
    users: dict[str, User] = {}
    for u in USERS:
        user, created = User.objects.get_or_create(
            username=u.username, defaults={"first_name": u.first_name, "last_name": u.last_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created_users += 1
        Membership.objects.get_or_create(user=user, agency=agencies[u.agency], role=u.role)
        if requires_two_factor(u.role) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        users[u.username] = user

    created_persons = 0
    if not Person.objects.exists():
        rng = random.Random(seed)
        plan = [
            ("pekerja.sambas", "uptd_sambas", ["61.01.09", "61.01.01", "61.01.08"], "61.01.09"),
            ("pekerja.tpi", "uptd_tpi", ["21.72.01", "21.72.02", "21.72.04"], "21.72.01"),
            ("desa.sebunga", "desa_sebunga", ["61.01.09"], "61.01.09.2002"),
        ]
        for username, agency_key, districts, region_code in plan:
            region = Region.objects.get(pk=region_code)
            for data in _synthetic_identities(rng, persons_per_agency, districts):
                create_person(
                    users[username], data, owner_agency=agencies[agency_key], scope_region=region
                )
                created_persons += 1
    return {"agencies": len(agencies), "users": created_users, "persons": created_persons}
