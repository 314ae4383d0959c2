"""The vulnerability score reads departures and returns per village from the real migration
registry (issue 13, item 3): records made through the migration actions, counted by
`simpul.migration.queries.departures_by_village` / `returns_by_village`."""

import datetime as dt

import pytest
from django.utils import timezone

from simpul.migration import actions as migration_actions
from simpul.migration.queries import departures_by_village, returns_by_village
from simpul.prevention import risk
from simpul.prevention.models import RiskIndicator, VillageIndicator
from simpul.regions.models import Region
from tests.migration.builders import identity, register, return_input
from tests.migration.conftest import people  # noqa: F401  (the migration users fixture)
from tests.prevention.conftest import SEBUNGA

pytestmark = pytest.mark.django_db

KALIAU = "61.01.09.2001"


def _set(code, indicator, value, year=2025):
    VillageIndicator.objects.update_or_create(
        region_id=code,
        indicator=RiskIndicator.objects.get(code=indicator),
        year=year,
        defaults={"value": value, "source": "test"},
    )


def _returnee(serial):
    ident = identity(name="Dewi Lestari", serial=serial)
    ident.passport = f"SPLP{serial}"
    return ident


@pytest.fixture
def registry(people):  # noqa: F811
    """In Sebunga: 3 departures in the last 12 months (1 non-procedural: a minor), one that
    was cancelled, one that left 400 days ago; 2 returns this year and one 400 days ago. In
    Kaliau: one departure."""
    today = timezone.localdate()
    left = {"already_left": True, "departed_on": today - dt.timedelta(days=30)}
    register(people.desa, identity(serial=9201), **left)
    register(people.desa, identity(serial=9202), **left)
    minor = identity(born=dt.date(today.year - 16, 1, 5), serial=9203)
    register(people.desa, minor, **left)
    cancelled = register(people.desa, identity(serial=9204))
    migration_actions.cancel_departure(people.desa, cancelled, expected_version=cancelled.version)
    register(
        people.desa,
        identity(serial=9205),
        already_left=True,
        departed_on=today - dt.timedelta(days=400),
    )
    register(people.kaliau, identity(serial=9206), village=KALIAU, **left)
    sebunga = Region.objects.get(pk=SEBUNGA)
    for serial, days in ((9301, 10), (9302, 60), (9303, 400)):
        migration_actions.record_return(
            people.pos,
            _returnee(serial),
            return_input(returned_on=today - dt.timedelta(days=days)),
            home_region=sebunga,
        )
    return today


def test_the_migration_queries_count_departures_and_returns_per_village(registry):
    since = registry - dt.timedelta(days=365)
    assert departures_by_village([SEBUNGA, KALIAU, "61.01.09.2003"], since, registry) == {
        SEBUNGA: (3, 1),
        KALIAU: (1, 0),
    }
    assert returns_by_village([SEBUNGA, KALIAU], since, registry) == {SEBUNGA: 2}
    # Only the villages asked for.
    assert departures_by_village([KALIAU], since, registry) == {KALIAU: (1, 0)}


def test_the_score_reads_the_migration_registry_instead_of_entered_values(registry):
    for indicator, value in [
        ("population", 1000),
        ("poverty", 20),
        ("departures", 25),  # entered, but the registry holds 3: the registry wins
        ("non_procedural", 0),
        ("returns", 9),
    ]:
        _set(SEBUNGA, indicator, value)
    (result,) = risk.score_villages([Region.objects.get(pk=SEBUNGA)], today=registry)
    parts = {p.indicator.code: p for p in result.parts}
    assert parts["departures"].value == 3.0  # 3 per 1,000 residents
    assert parts["departures"].count == 3.0
    assert parts["non_procedural"].value == pytest.approx(100 / 3)  # 1 of 3
    assert parts["non_procedural"].count == 1.0
    assert parts["returns"].value == 2.0
    assert parts["departures"].year is None and parts["returns"].year is None
    # Resting on 1-10 records: shown suppressed on the coverage page.
    assert parts["departures"].suppressed and parts["returns"].suppressed
