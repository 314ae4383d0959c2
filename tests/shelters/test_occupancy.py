"""Occupancy: the nightly snapshot, utilisation and length of stay against a hand-computed
example, and the seed-004 table (RPTC residents 1,291 / 490 / 761) rebuilt from stays."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from simpul.identity.models import Person
from simpul.jobs.actions import enqueue_slots
from simpul.jobs.schedule import SCHEDULE
from simpul.shelters import actions, queries
from simpul.shelters.codes import ExitReason, StayStatus
from simpul.shelters.models import BedInventory, OccupancyDay, Shelter, Stay
from simpul.shelters.tasks import snapshot_occupancy
from tests.jobs.support import drain
from tests.shelters.helpers import at, checked_in, make_shelter, officer


def _dated(stay: Stay, checked_in_on: str, checked_out_on: str | None = None) -> None:
    """Place a stay made through the actions on the example's calendar."""
    fields = {"checked_in_at": at(checked_in_on)}
    if checked_out_on:
        fields["checked_out_at"] = at(checked_out_on, hour=9)
    Stay.objects.filter(pk=stay.pk).update(**fields)


@pytest.mark.django_db
def test_occupancy_and_length_of_stay_match_the_hand_computed_example(world):
    # 4 beds, 1 blocked from 1 March; from 4 March all 4 usable (the history is dated).
    shelter = make_shelter(beds=4, blocked=1)
    BedInventory.objects.filter(shelter=shelter).update(valid_from=date(2026, 3, 1))
    actions.set_inventory(officer(), shelter, beds=4, blocked=0, valid_from=date(2026, 3, 4))
    a, b, c, d = (checked_in(shelter) for _ in range(4))
    for stay, reason in ((a, ExitReason.RETURNED_HOME), (b, ExitReason.ABSCONDED)):
        actions.check_out(officer(), stay, exit_reason=reason)
    actions.check_out(officer(), d, exit_reason=ExitReason.MOVED_TO_FAMILY)
    _dated(a, "2026-03-01", "2026-03-04")  # 3 nights
    _dated(b, "2026-03-02", "2026-03-03")  # 1 night
    _dated(c, "2026-03-03")  # still here
    _dated(d, "2026-03-03", "2026-03-05")  # 2 nights
    days = [date(2026, 3, 1) + timedelta(days=i) for i in range(5)]
    for day in days:
        assert actions.write_daily_snapshots(day) == 1
    actions.write_daily_snapshots(days[2])  # a rerun rewrites the same row
    assert OccupancyDay.objects.count() == 5
    # The set-based snapshot agrees with the one-shelter definition on every day.
    for day in days:
        assert queries.day_figures_of_all(day)[shelter.pk] == queries.day_figures(shelter, day)
    rows = OccupancyDay.objects.filter(shelter=shelter).order_by("day")
    assert [(r.beds, r.blocked, r.occupied, r.admissions, r.exits) for r in rows] == [
        (4, 1, 1, 1, 0),  # 1 Mar: a
        (4, 1, 2, 1, 0),  # 2 Mar: a, b
        (4, 1, 3, 2, 1),  # 3 Mar: a, c, d (b left)
        (4, 0, 2, 0, 1),  # 4 Mar: c, d (a left)
        (4, 0, 1, 0, 1),  # 5 Mar: c (d left)
    ]
    per_shelter, per_kind = queries.occupancy_report(
        Shelter.objects.filter(pk=shelter.pk), days[0], days[-1]
    )
    row = per_shelter[0]
    assert (row.occupied_nights, row.bed_nights) == (9, 17)  # 1+2+3+2+1 ÷ 3+3+3+4+4
    assert row.utilisation == pytest.approx(9 / 17)
    assert row.flagged  # 53 % is below 65 %: a data check
    assert (row.admissions, row.exits) == (4, 3)
    assert sorted(row.lengths or []) == [1, 2, 3]
    assert (row.median_stay, row.p90_stay) == (2.0, 3.0)
    assert [(k.kind, k.occupied_nights, k.bed_nights) for k in per_kind] == [("rptc", 9, 17)]


@pytest.mark.django_db
def test_utilisation_inside_the_band_is_not_flagged():
    row = queries.OccupancyRow(None, "rptc", bed_nights=100, occupied_nights=80, lengths=[])
    assert not row.flagged
    assert queries.OccupancyRow(None, "rptc", bed_nights=100, occupied_nights=106).flagged
    assert queries.percentile(list(range(1, 11)), 0.9) == 9.0


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_is_scheduled_and_writes_yesterday_and_today(world):
    """Through the scheduler's table and the worker, as `simpul run_all` runs it."""
    (job,) = [p for p in SCHEDULE if p.task is snapshot_occupancy]
    assert job.every == timedelta(days=1)
    make_shelter()
    slots = enqueue_slots([(job.name, job.slot_start(timezone.now()), job.task, {})])
    drain()
    result = DBTaskResult.objects.get(pk=slots[0].result_id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    today = timezone.localdate()
    assert sorted(OccupancyDay.objects.values_list("day", flat=True)) == [
        today - timedelta(days=1),
        today,
    ]


def _persons(count: int, start: int) -> list[Person]:
    agency = officer().memberships.first().agency
    return Person.objects.bulk_create(
        Person(
            owner_agency=agency,
            code=f"T{start + i:07d}",
            masked_name="P. U.",
            sealed_identity="-",
            key_id="-",
        )
        for i in range(count)
    )


@pytest.mark.django_db
def test_the_seed_004_table_is_rebuilt_from_stays(world, signed_in):
    """RPTC residents per year 2017-2019: 1,291 / 490 / 761. 100 residents of 2017 stayed
    into 2018, so 2018 has 100 + 390 new; a person counts once per year however many stays."""
    shelter = make_shelter(beds=200)
    stays: list[Stay] = []

    def stay(person: Person, inn: str, out: str) -> Stay:
        return Stay(
            owner_agency_id=shelter.operator_agency_id,
            shelter=shelter,
            person=person,
            status=StayStatus.CHECKED_OUT,
            checked_in_at=at(inn),
            checked_out_at=at(out),
            exit_reason=ExitReason.RETURNED_HOME,
        )

    y2017 = _persons(1291, 0)
    for i, p in enumerate(y2017):
        stays.append(stay(p, "2017-03-01", "2018-01-10" if i < 100 else "2017-03-20"))
    for p in y2017[100:110]:  # ten came back later in 2017: still one resident each
        stays.append(stay(p, "2017-09-01", "2017-09-05"))
    for p in _persons(390, 10000):
        stays.append(stay(p, "2018-05-01", "2018-05-15"))
    for p in _persons(761, 20000):
        stays.append(stay(p, "2019-06-01", "2019-06-08"))
    Stay.objects.bulk_create(stays)
    table = queries.residents_per_year(Shelter.objects.filter(pk=shelter.pk), [2017, 2018, 2019])
    assert [(r["year"], r["residents"]) for r in table] == [
        (2017, 1291),
        (2018, 490),
        (2019, 761),
    ]
    page = signed_in("analis.kepri").get("/shelters/occupancy/?start=2019-01-01&end=2019-12-31")
    assert page.status_code == 200
    html = page.content.decode()
    for year, count in ((2017, 1291), (2018, 490), (2019, 761)):
        assert f'data-year="{year}" data-residents="{count}"' in html


@pytest.mark.django_db
def test_the_occupancy_report_of_one_province(world, signed_in):
    """A shelter in Kepri and one in Kalbar: the province filter keeps one; an unknown
    province shows all (ignored, not an error)."""
    from simpul.regions.models import Region

    kepri = make_shelter(beds=4, name="RPTC Senggarang")
    kalbar = make_shelter(beds=4, name="Rumah Aman Sambas")
    Shelter.objects.filter(pk=kalbar.pk).update(region=Region.objects.get(code="61.01"))
    client = signed_in("analis.kepri")
    html = client.get("/shelters/occupancy/?province=21").content.decode()
    assert f'<tr data-shelter="{kepri.pk}"' in html
    assert f'<tr data-shelter="{kalbar.pk}"' not in html
    assert f'data-shelter="{kalbar.pk}" data-year' not in html
    assert '<option value="21" selected>' in html and '<option value="61">' in html
    everything = client.get("/shelters/occupancy/?province=99").content.decode()
    assert f'<tr data-shelter="{kalbar.pk}"' in everything
