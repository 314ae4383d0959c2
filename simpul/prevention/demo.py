"""Demo prevention data for Kecamatan Sajingan Besar (61.01.09) and Kota Tanjungpinang (21.72).

Synthetic but plausible: indicator values in the ranges the seed papers describe (poverty and
child marriage at the border, S000; many departures and non-procedural crossings, S001, S004),
outreach events with pre/post tests, discussion issues, SAPA volunteers in 9 kelurahan (S004).
Some high-risk villages deliberately have had no outreach in the last 12 months, so the
coverage view has something to show. Needs the demo world (agencies) and is safe to re-run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from simpul.accounts.models import Agency
from simpul.identity.crypto import seal_text
from simpul.identity.data import mask_name
from simpul.prevention.actions import SheetEntry, contact_aad, default_questions, store_attempt
from simpul.prevention.models import (
    Attempt,
    EventQuestion,
    OutreachEvent,
    ParticipantCount,
    Phase,
    Question,
    RaisedIssue,
    RiskIndicator,
    VillageIndicator,
    Volunteer,
    VolunteerReport,
    VolunteerTraining,
)
from simpul.prevention.starter import ensure_starter_data
from simpul.regions.models import Region

NAMESPACE = uuid.UUID("3f1d2b8e-7c55-4c1e-9a43-5e0c2a7d9b61")
SOURCE = "Demo data (synthetic)"

# village code: population, poverty %, out of school %, child marriage %, departures per 1,000,
# non-procedural %, reports per 1,000, returns per 1,000
VILLAGE_VALUES: dict[str, tuple[float, ...]] = {
    # Sajingan Besar, on the Sarawak border (PLBN Aruk)
    "61.01.09.2001": (2100, 24, 12, 14, 18, 45, 0.5, 4),  # Kaliau'
    "61.01.09.2002": (1800, 28, 15, 18, 25, 55, 1.1, 6),  # Sebunga
    "61.01.09.2003": (1500, 30, 18, 20, 22, 50, 0.4, 5),  # Santaban
    "61.01.09.2004": (1300, 33, 20, 24, 27, 58, 0.7, 7),  # Sanatab
    "61.01.09.2005": (1600, 29, 16, 21, 26, 52, 0.3, 3),  # Sungai Bening
    # Kota Tanjungpinang: 18 kelurahan
    "21.72.01.1001": (9800, 7, 5, 4, 3, 20, 0.1, 1),
    "21.72.01.1002": (8700, 9, 6, 5, 4, 25, 0.2, 1),
    "21.72.01.1003": (7600, 11, 7, 6, 5, 30, 0.2, 1.5),
    "21.72.01.1004": (9100, 8, 5, 4, 3, 20, 0.1, 1),
    "21.72.02.1001": (12000, 10, 6, 5, 4, 25, 0.2, 1.2),
    "21.72.02.1002": (8800, 13, 8, 7, 6, 35, 0.3, 2),
    "21.72.02.1003": (11500, 16, 10, 9, 9, 40, 0.4, 3),
    "21.72.02.1004": (10200, 12, 8, 6, 5, 30, 0.2, 1.5),
    "21.72.02.1005": (9400, 11, 7, 6, 5, 25, 0.2, 1.2),
    "21.72.03.1001": (6900, 9, 6, 5, 4, 20, 0.2, 1),
    "21.72.03.1003": (5200, 22, 14, 16, 16, 55, 0.9, 5),  # Senggarang
    "21.72.03.1004": (2600, 27, 16, 19, 20, 60, 1.0, 6),  # Penyengat
    "21.72.03.1005": (4100, 25, 15, 17, 18, 58, 0.8, 6),  # Kampung Bugis
    "21.72.04.1001": (10800, 8, 5, 4, 3, 20, 0.1, 1),
    "21.72.04.1002": (6100, 20, 12, 13, 12, 50, 0.6, 4),  # Dompak
    "21.72.04.1003": (7300, 12, 8, 7, 6, 30, 0.3, 1.5),
    "21.72.04.1004": (9900, 10, 6, 5, 4, 25, 0.2, 1.2),
    "21.72.04.1005": (5800, 21, 13, 15, 14, 50, 0.7, 4),  # Tanjung Unggat
}
INDICATOR_ORDER = [
    "population",
    "poverty",
    "out_of_school",
    "child_marriage",
    "departures",
    "non_procedural",
    "reports",
    "returns",
]


@dataclass(frozen=True)
class DemoEvent:
    key: str
    title: str
    days_ago: int
    village: str
    owner: str  # agency name in the demo world
    co_organisers: tuple[str, ...]
    other: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    materials: tuple[str, ...]
    people: int  # participants counted (split over sex and age)
    tested: int  # participants with pre/post tests (0 = no test)
    learning: float  # how much the session raised the chance of a right answer
    issues: tuple[tuple[str, int], ...] = ()
    weak_topic: str = ""  # a topic that was hardly learnt


GT_KALBAR = "GT PP-TPPO Provinsi Kalimantan Barat"
GT_KEPRI = "GT PP-TPPO Provinsi Kepulauan Riau"
IOM = "IOM Indonesia, Pontianak"
UPTD_TPI = "UPTD PPA Kota Tanjungpinang"
UPTD_SAMBAS = "UPTD PPA Kabupaten Sambas"

EVENTS = [
    DemoEvent(
        "s000",
        "Sosialisasi perlindungan kejahatan human trafficking",
        1500,
        "61.01.09.2001",
        GT_KALBAR,
        (),
        "FISIP Universitas Tanjungpura",
        ("village_officials", "departing_migrants", "community_leaders"),
        ("causes", "forms_modus", "rights_law"),
        ("slides", "leaflet"),
        50,
        0,
        0,
        (("procedure_unknown", 5), ("documents", 3), ("unofficial_routes", 4)),
    ),
    DemoEvent(
        "s001",
        "Reintegrasi korban perdagangan orang",
        1000,
        "61.01.09.2002",
        GT_KALBAR,
        (IOM,),
        "",
        ("departing_migrants", "families", "village_officials"),
        ("reintegration", "safe_migration"),
        ("slides", "case_study"),
        40,
        0,
        0,
        (("missing_abroad", 4), ("stigma", 3), ("unofficial_routes", 5), ("procedure_unknown", 4)),
    ),
    DemoEvent(
        "bening",
        "Sosialisasi migrasi aman",
        600,
        "61.01.09.2005",
        GT_KALBAR,
        (UPTD_SAMBAS,),
        "",
        ("families", "women"),
        ("safe_migration", "where_to_report"),
        ("leaflet",),
        35,
        0,
        0,
        (("documents", 3), ("debts", 2)),
    ),
    DemoEvent(
        "sebunga",
        "Sosialisasi TPPO dan migrasi aman bagi calon pekerja migran",
        95,
        "61.01.09.2002",
        GT_KALBAR,
        (IOM, UPTD_SAMBAS),
        "",
        ("departing_migrants", "families", "village_officials"),
        ("forms_modus", "safe_migration", "where_to_report"),
        ("slides", "leaflet", "video"),
        46,
        30,
        0.45,
        (
            ("procedure_unknown", 6),
            ("documents", 4),
            ("unofficial_routes", 5),
            ("missing_abroad", 3),
            ("debts", 2),
        ),
    ),
    DemoEvent(
        "kaliau",
        "Sosialisasi hak korban dan tempat melapor",
        240,
        "61.01.09.2001",
        GT_KALBAR,
        (UPTD_SAMBAS,),
        "",
        ("women", "religious_leaders", "teachers"),
        ("rights_law", "where_to_report", "causes"),
        ("slides", "booklet"),
        38,
        24,
        0.35,
        (("reporting", 4), ("stigma", 3), ("recruiters", 2)),
        weak_topic="rights_law",
    ),
    DemoEvent(
        "tpi-senggarang",
        "Sosialisasi pencegahan TPPO bagi forum RT/RW",
        60,
        "21.72.03.1003",
        GT_KEPRI,
        (UPTD_TPI,),
        "DP3APM Kota Tanjungpinang",
        ("rt_rw", "community_leaders", "police_military"),
        ("forms_modus", "safe_migration", "where_to_report"),
        ("slides", "leaflet"),
        42,
        28,
        0.4,
        (("unofficial_routes", 4), ("recruiters", 3), ("procedure_unknown", 2)),
    ),
    DemoEvent(
        "tpi-dompak",
        "Sosialisasi bahaya perekrutan lewat media sosial",
        130,
        "21.72.04.1002",
        GT_KEPRI,
        (UPTD_TPI,),
        "DP3APM Kota Tanjungpinang",
        ("youth", "students"),
        ("online_recruitment", "where_to_report"),
        ("video", "social_media"),
        60,
        32,
        0.2,
        (("social_media", 7), ("job_information", 3)),
        weak_topic="online_recruitment",
    ),
    DemoEvent(
        "tpi-teachers",
        "Sosialisasi TPPO untuk guru SD dan SMP",
        200,
        "21.72.01.1003",
        GT_KEPRI,
        (UPTD_TPI,),
        "DP3APM Kota Tanjungpinang",
        ("teachers",),
        ("causes", "online_recruitment", "where_to_report"),
        ("slides",),
        35,
        0,
        0,
        (("social_media", 3), ("child_marriage", 2)),
    ),
]
# Outreach without tests in more kelurahan (S004 reports outreach in many of the 18).
SIMPLE_TPI_EVENTS = [
    ("21.72.01.1001", 40),
    ("21.72.01.1002", 150),
    ("21.72.02.1001", 70),
    ("21.72.02.1002", 220),
    ("21.72.02.1004", 300),
    ("21.72.04.1001", 90),
    ("21.72.04.1003", 260),
]

# SAPA volunteers in 9 kelurahan (S004), and two in Sajingan Besar.
VOLUNTEER_VILLAGES = [
    ("21.72.01.1001", "sapa"),
    ("21.72.01.1003", "sapa"),
    ("21.72.02.1001", "sapa"),
    ("21.72.02.1003", "sapa"),
    ("21.72.02.1005", "sapa"),
    ("21.72.03.1003", "sapa"),
    ("21.72.04.1001", "sapa"),
    ("21.72.04.1002", "sapa"),
    ("21.72.04.1005", "sapa"),
    ("61.01.09.2002", "desmigratif"),
    ("61.01.09.2001", "patbm"),
]
_NAMES = [
    "Siti Rahmawati",
    "Nur Aini",
    "Rudi Hartono",
    "Maria Goreti",
    "Dewi Anggraini",
    "Hasan Basri",
    "Yuliana Sari",
    "Agus Salim",
    "Fitri Handayani",
    "Theresia Ani",
    "Markus Ahui",
]


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def _agency(name: str) -> Agency | None:
    return Agency.objects.filter(name=name).first()


def _indicators(year: int) -> int:
    indicators = {i.code: i for i in RiskIndicator.objects.filter(code__in=INDICATOR_ORDER)}
    regions = set(Region.objects.filter(code__in=VILLAGE_VALUES).values_list("code", flat=True))
    stored = 0
    for code, values in VILLAGE_VALUES.items():
        if code not in regions:
            continue
        for indicator_code, value in zip(INDICATOR_ORDER, values, strict=True):
            indicator = indicators.get(indicator_code)
            if indicator is None:
                continue
            _row, created = VillageIndicator.objects.get_or_create(
                region_id=code,
                indicator=indicator,
                year=year,
                defaults={"value": value, "source": SOURCE},
            )
            stored += created
    return stored


def _counts(event: OutreachEvent, people: int, rng: random.Random) -> None:
    bands = ["18-24", "25-44", "45-59", "60+"]
    if "students" in event.audiences or "youth" in event.audiences:
        bands = ["13-17", "18-24", "25-44"]
    cells: dict[tuple[str, str], int] = {}
    for _ in range(people):
        sex = "F" if rng.random() < 0.55 else "M"
        band = rng.choice(bands)
        cells[(sex, band)] = cells.get((sex, band), 0) + 1
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, sex=sex, age_band=band, count=n)
        for (sex, band), n in sorted(cells.items())
    )


def _answer(question: Question, p_right: float, rng: random.Random) -> int | None:
    if rng.random() < 0.03:
        return None
    if rng.random() < p_right:
        return question.correct
    wrong = [i for i in range(len(question.options)) if i != question.correct]
    return rng.choice(wrong)


def _tests(spec: DemoEvent, event: OutreachEvent, rng: random.Random) -> None:
    questions = default_questions(list(spec.topics), 10)
    rows = EventQuestion.objects.bulk_create(
        EventQuestion(event=event, question=q, position=i) for i, q in enumerate(questions, 1)
    )
    event_questions = list(
        EventQuestion.objects.filter(pk__in=[r.pk for r in rows]).select_related("question")
    )
    event_questions.sort(key=lambda eq: eq.position)
    prefix = spec.key.split("-")[-1][:3].upper()
    for n in range(1, spec.tested + 1):
        code = f"{prefix}-{n:02d}"
        ability = min(0.85, max(0.15, rng.gauss(0.45, 0.15)))
        for phase in (Phase.PRE, Phase.POST):
            choices = []
            for eq in event_questions:
                p = ability
                if phase == Phase.POST:
                    gain = spec.learning * (0.2 if eq.question.topic == spec.weak_topic else 1.0)
                    p = min(0.97, ability + gain * rng.uniform(0.5, 1.3))
                choices.append(_answer(eq.question, p, rng))
            store_attempt(
                event,
                event_questions,
                SheetEntry(code, choices),
                phase,
                Attempt.Channel.PAPER,
                None,
            )


def _events(today: dt.date, rng: random.Random) -> int:
    created = 0
    specs = list(EVENTS)
    for code, days_ago in SIMPLE_TPI_EVENTS:
        specs.append(
            DemoEvent(
                f"tpi-{code}",
                "Sosialisasi pencegahan kekerasan dan TPPO",
                days_ago,
                code,
                GT_KEPRI,
                (UPTD_TPI,),
                "DP3APM Kota Tanjungpinang",
                ("rt_rw", "women", "community_leaders"),
                ("causes", "forms_modus"),
                ("slides", "leaflet"),
                rng.randint(25, 45),
                0,
                0,
            )
        )
    for spec in specs:
        event_id = _key(f"event:{spec.key}")
        owner = _agency(spec.owner)
        village = Region.objects.filter(code=spec.village).first()
        if owner is None or village is None or OutreachEvent.objects.filter(pk=event_id).exists():
            continue
        event = OutreachEvent.objects.create(
            id=event_id,
            owner_agency=owner,
            scope_region=village,
            village=village,
            title=spec.title,
            held_on=today - dt.timedelta(days=spec.days_ago),
            other_organisers=spec.other,
            audiences=list(spec.audiences),
            topics=list(spec.topics),
            materials=list(spec.materials),
        )
        event.co_organisers.set([a for a in map(_agency, spec.co_organisers) if a is not None])
        _counts(event, spec.people, rng)
        if spec.tested:
            _tests(spec, event, rng)
        RaisedIssue.objects.bulk_create(
            RaisedIssue(event=event, theme=theme, mentions=n) for theme, n in spec.issues
        )
        created += 1
    return created


def _volunteers(today: dt.date, rng: random.Random) -> int:
    created = 0
    owners = {"21": _agency(UPTD_TPI), "61": _agency(UPTD_SAMBAS)}
    made: list[Volunteer] = []
    for (code, network), name in zip(VOLUNTEER_VILLAGES, _NAMES, strict=True):
        volunteer_id = _key(f"volunteer:{code}")
        village = Region.objects.filter(code=code).first()
        owner = owners[code[:2]]
        existing = Volunteer.objects.filter(pk=volunteer_id).first()
        if existing is not None:
            made.append(existing)
            continue
        if village is None or owner is None:
            continue
        volunteer = Volunteer(
            id=volunteer_id,
            code="V-" + volunteer_id.hex[:6].upper(),
            owner_agency=owner,
            scope_region=village,
            village=village,
            network=network,
            since=today - dt.timedelta(days=rng.randint(200, 900)),
            masked_name=mask_name(name),
        )
        phone = f"+62812{rng.randrange(10_000_000, 99_999_999)}"
        volunteer.contact_sealed = seal_text(
            json.dumps({"name": name, "phone": phone}), contact_aad(volunteer.id)
        )
        volunteer.save()
        made.append(volunteer)
        created += 1
        for _ in range(rng.randint(0, 3)):
            VolunteerReport.objects.create(
                volunteer=volunteer,
                received_on=today - dt.timedelta(days=rng.randint(5, 330)),
                kind=rng.choice(
                    [
                        "suspicious_recruitment",
                        "irregular_departure",
                        "child_at_risk",
                        "returnee_needs_help",
                        "missing_migrant",
                    ]
                ),
                village=village,
            )
    sapa = [v for v in made if v.network == "sapa"]
    uptd = owners["21"]
    if (
        sapa
        and uptd is not None
        and not VolunteerTraining.objects.filter(
            title="Pelatihan relawan SAPA: mengenali dan merujuk korban"
        ).exists()
    ):
        training = VolunteerTraining.objects.create(
            owner_agency=uptd,
            held_on=today - dt.timedelta(days=150),
            title="Pelatihan relawan SAPA: mengenali dan merujuk korban",
            topics=["forms_modus", "where_to_report", "online_recruitment"],
            hours=8,
            organiser="DP3APM Kota Tanjungpinang",
        )
        training.volunteers.set(sapa)
    return created


@transaction.atomic
def load_demo(seed: int = 2026, today: dt.date | None = None) -> dict[str, int]:
    """Create (or complete) the prevention demo data; existing rows are kept."""
    ensure_starter_data()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    return {
        "indicator_values": _indicators(today.year - 1),
        "events": _events(today, rng),
        "volunteers": _volunteers(today, rng),
    }
