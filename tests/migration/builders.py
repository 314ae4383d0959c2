"""Test data through the real actions."""

from datetime import date, timedelta

from django.utils import timezone

from simpul.identity.data import IdentityData
from simpul.migration import actions
from simpul.migration.codes import Channel, Recruiter, Route, TravelDocument
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


def nik(born: date, serial: int, *, female: bool = True, district: str = "610109") -> str:
    day = born.day + (40 if female else 0)
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def identity(
    name: str = "Siti Aminah", born: date = date(1995, 3, 12), serial: int = 9001, **extra: str
) -> IdentityData:
    return IdentityData(
        full_name=name, nik=nik(born, serial), birth_date=born.isoformat(), sex="F", **extra
    )


def procedural_input(**overrides: object) -> actions.DepartureInput:
    values: dict[str, object] = {
        "destination_country": "MY",
        "destination_place": "Kuching, Sarawak",
        "channel": Channel.P3MI,
        "placement_company": "PT Contoh Penempatan",
        "placement_licence": "SIP3MI 123/2024",
        "recruiter": Recruiter.LICENSED_COMPANY,
        "route": Route.OFFICIAL_BORDER,
        "crossing_point": "PLBN_ARUK",
        "travel_document": TravelDocument.WORK_VISA,
        "planned_on": timezone.localdate() + timedelta(days=10),
        "documents": dict(ALL_DOCS),
    }
    values.update(overrides)
    return actions.DepartureInput(**values)  # type: ignore[arg-type]


def register(user, ident: IdentityData | None = None, village: str = SEBUNGA, **overrides):
    departure, _warnings = actions.register_departure(
        user,
        ident or identity(),
        procedural_input(**overrides),
        home_village=Region.objects.get(pk=village),
    )
    return departure


def return_input(**overrides: object) -> actions.ReturnInput:
    values: dict[str, object] = {
        "returned_on": timezone.localdate(),
        "entry_point": "PLBN_ARUK",
        "travel_document": "splp",
        "source_depot": "Depot Imigresen Semuja",
        "consulate": "KJRI Kuching",
    }
    values.update(overrides)
    return actions.ReturnInput(**values)  # type: ignore[arg-type]
