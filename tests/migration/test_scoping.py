"""Who sees what: a village only its village, a district its villages, a border post its own
returns, everyone else nothing; out-of-scope pages look missing and are audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.identity.data import IdentityData
from simpul.migration import actions, queries
from simpul.migration.models import CheckIn, Departure
from simpul.regions.models import Region
from tests.conftest import sign_in
from tests.migration.builders import KALIAU, SEBUNGA, identity, register, return_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(people):
    """A departure, a missing report and a return in each of two villages, and a return at
    each of two posts."""
    seb = register(
        people.desa,
        identity(serial=9301),
        already_left=True,
        departed_on=timezone.localdate() - timedelta(days=60),
    )
    kal = register(
        people.kaliau,
        identity(name="Agus Setiawan", serial=9302),
        village=KALIAU,
        already_left=True,
        departed_on=timezone.localdate() - timedelta(days=60),
    )
    for user, d in ((people.desa, seb), (people.kaliau, kal)):
        actions.report_missing(
            user,
            actions.MissingInput(reported_on=timezone.localdate(), reported_by="family"),
            departure=d,
        )
    aruk = actions.record_return(
        people.pos,
        IdentityData(full_name="Dewi Lestari", passport="SPLP1"),
        return_input(),
        home_region=Region.objects.get(pk=SEBUNGA),
    )
    sbp = actions.record_return(
        people.sbp,
        IdentityData(full_name="Nur Aini", passport="SPLP2"),
        return_input(entry_point="TPI_SRI_BINTAN_PURA", from_country="MY"),
    )
    return {"seb": seb, "kal": kal, "aruk": aruk, "sbp": sbp}


def _regions(qs):
    return set(qs.values_list("scope_region_id", flat=True))


def test_a_village_officer_sees_only_their_village(people, records):
    assert _regions(queries.departures_for(people.desa)) == {SEBUNGA}
    assert _regions(queries.checkins_for(people.desa)) == {SEBUNGA}
    assert _regions(queries.missing_for(people.desa)) == {SEBUNGA}
    assert list(queries.returns_for(people.desa)) == [records["aruk"]]
    assert _regions(queries.departures_for(people.kaliau)) == {KALIAU}
    assert list(queries.returns_for(people.kaliau)) == []


def test_a_district_officer_sees_all_its_villages(people, records):
    assert _regions(queries.departures_for(people.district)) == {SEBUNGA, KALIAU}
    assert _regions(queries.missing_for(people.district)) == {SEBUNGA, KALIAU}
    assert CheckIn.objects.count() == queries.checkins_for(people.district).count() == 8
    reg = queries.village_register(people.district, timezone.localdate())
    assert {row.departure.scope_region_id for row in reg.away} == {SEBUNGA, KALIAU}


def test_a_border_post_sees_its_own_returns_only(people, records):
    assert list(queries.returns_for(people.pos)) == [records["aruk"]]
    assert list(queries.returns_for(people.sbp)) == [records["sbp"]]
    assert queries.departures_for(people.pos).count() == 0
    assert queries.missing_for(people.pos).count() == 0


@pytest.mark.parametrize("who", ["gt", "uptd", "worker", "police"])
def test_others_see_no_migration_record(people, records, who):
    user = getattr(people, who)
    for qs in (
        queries.departures_for(user),
        queries.checkins_for(user),
        queries.missing_for(user),
        queries.returns_for(user),
        queries.screenings_for(user),
    ):
        assert qs.count() == 0


def test_out_of_scope_pages_look_missing_and_the_attempt_is_audited(people, records):
    client = sign_in(Client(), "desa.kaliau", "a-long-enough-passphrase")
    for name, kwargs, record in [
        ("migration:departure_detail", {"departure_id": records["seb"].id}, records["seb"]),
        ("migration:return_detail", {"return_id": records["aruk"].id}, records["aruk"]),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404
        assert AuditEvent.objects.filter(record_id=str(record.id), outcome="denied").count() == 1
    response = client.post(
        reverse("migration:checkin_create", kwargs={"departure_id": records["seb"].id}),
        {
            "contacted_on": timezone.localdate().isoformat(),
            "outcome": "well",
            "contact_with": "family",
        },
    )
    assert response.status_code == 404
    assert CheckIn.objects.exclude(outcome="").count() == 0


def test_lists_show_only_records_in_scope(people, records):
    client = sign_in(Client(), "desa.kaliau", "a-long-enough-passphrase")
    page = client.get(reverse("migration:register"))
    assert page.status_code == 200
    reg = page.context["reg"]
    assert [row.departure.id for row in reg.away] == [records["kal"].id]
    assert records["seb"].reference not in page.content.decode()
    assert Departure.objects.count() == 2
