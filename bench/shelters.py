"""Shelter benchmark: the shelter officer's board, a province's yearly occupancy report and the
nightly occupancy snapshot.

Seeds PostgreSQL with `--shelters` shelters (default 500) spread over ten provinces, each run by
its own agency, with a bed inventory and three years of daily occupancy snapshots;
`--stays` stays (default 200,000: about ten residents checked in per shelter now, the rest
checked out over the past five years, each with its check-in and check-out events) and
`--visits` reintegration visits (default 1,000,000: four per plan on 250,000 plans). The demo
RPTC's officer `shelter.tpi` runs two of the shelters. Then starts gunicorn on 127.0.0.1 and
drives it with 8 concurrent signed-in users (think time 1 s, then saturated), and times the
nightly snapshot task's work (yesterday and today for every shelter).

    .venv/bin/python bench/shelters.py                                   # full size
    .venv/bin/python bench/shelters.py --shelters 50 --stays 5000 --visits 4000   # quick
    .venv/bin/python bench/shelters.py --keep / --reuse                  # keep / measure again

Prints a Markdown table (p50/p95/p99 per page). Drops the scratch database unless `--keep`.
"""

import argparse
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import protection  # noqa: E402  (the protection benchmark's sign-in, driver and percentiles)

protection.DB = DB = "simpul_bench_shelters"
PG_ADMIN = protection.PG_ADMIN
# A regency in each of ten provinces (Kepri's Tanjungpinang and Kalbar's Sambas are the demo's).
REGENCIES = [
    "21.72",
    "61.01",
    "11.01",
    "12.01",
    "13.01",
    "14.01",
    "15.01",
    "16.01",
    "17.01",
    "18.01",
]
REPORT_PROVINCE = "21"
BATCH = 5000


def seed(n_shelters: int, n_stays: int, n_visits: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from simpul.accounts.models import Agency, User
    from simpul.accounts.roles import AgencyType
    from simpul.cases.models import Case
    from simpul.demo.world import build_world
    from simpul.identity.models import Person
    from simpul.regions.models import Region
    from simpul.reintegration.choices import PlanStatus
    from simpul.reintegration.models import ReintegrationPlan, Visit
    from simpul.reintegration.queries import current_instrument
    from simpul.shelters.codes import ExitReason, ShelterKind, StayStatus
    from simpul.shelters.models import BedInventory, OccupancyDay, Shelter, Stay, StayEvent
    from tests.factories import load_region_slice

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_region_slice(REGENCIES)
    build_world(persons_per_agency=3)
    rng = random.Random(15)
    regencies = list(Region.objects.filter(code__in=REGENCIES).order_by("code"))
    rptc = Agency.objects.get(name="RPTC Tanjungpinang")
    officer = User.objects.get(username="shelter.tpi")
    kepri = Region.objects.get(code="21.72")
    agencies = Agency.objects.bulk_create(
        Agency(
            name=f"Bench shelter operator {i:03d}",
            agency_type=AgencyType.SHELTER,
            jurisdiction=regencies[i % len(regencies)],
        )
        for i in range(n_shelters)
    )
    kinds = list(ShelterKind.values)
    shelters = Shelter.objects.bulk_create(
        Shelter(
            name=f"Rumah aman uji {i:03d}",
            kind=kinds[i % len(kinds)],
            operator_agency=rptc if i < 2 else agencies[i],
            region=kepri if i < 2 else regencies[i % len(regencies)],
            status="open",
        )
        for i in range(n_shelters)
    )
    today = timezone.localdate()
    now = timezone.now()
    beds = {s.pk: rng.randrange(20, 61) for s in shelters}
    BedInventory.objects.bulk_create(
        BedInventory(
            shelter=s,
            beds=beds[s.pk],
            valid_from=today - timedelta(days=6 * 365),
            recorded_by=officer,
        )
        for s in shelters
    )
    days = [today - timedelta(days=d) for d in range(3 * 365)]
    rows = []
    for s in shelters:
        for day in days:
            occupied = rng.randrange(0, beds[s.pk] + 1)
            rows.append(
                OccupancyDay(
                    shelter=s,
                    day=day,
                    beds=beds[s.pk],
                    occupied=occupied,
                    admissions=rng.randrange(0, 3),
                    exits=rng.randrange(0, 3),
                )
            )
        if len(rows) >= 50_000:
            OccupancyDay.objects.bulk_create(rows, batch_size=BATCH)
            rows = []
    OccupancyDay.objects.bulk_create(rows, batch_size=BATCH)

    # Persons: one per open stay (a person has at most one), the closed stays share them.
    n_persons = max(n_stays // 2, 1)
    persons = []
    for start in range(0, n_persons, BATCH):
        persons += Person.objects.bulk_create(
            Person(
                id=uuid.uuid4(),
                code=f"PB{i:08d}",
                masked_name="P. U.",
                sealed_identity="-",
                key_id="-",
                owner_agency=rptc,
                scope_region=kepri,
            )
            for i in range(start, min(start + BATCH, n_persons))
        )
    open_per_shelter = 10
    n_open = min(open_per_shelter * len(shelters), n_stays)
    for start in range(0, n_stays, BATCH):
        stays, events = [], []
        for i in range(start, min(start + BATCH, n_stays)):
            shelter = shelters[i % len(shelters)]
            is_open = i < n_open
            checked_in = now - timedelta(
                days=rng.randrange(1, 60) if is_open else rng.randrange(30, 5 * 365)
            )
            stay = Stay(
                id=uuid.uuid4(),
                owner_agency_id=shelter.operator_agency_id,
                scope_region_id=shelter.region_id,
                shelter=shelter,
                person=persons[i % len(persons)] if not is_open else persons[i],
                status=StayStatus.CHECKED_IN if is_open else StayStatus.CHECKED_OUT,
                checked_in_at=checked_in,
                checked_out_at=None
                if is_open
                else checked_in + timedelta(days=rng.randrange(3, 90)),
                stay_until=(checked_in + timedelta(days=30)).date(),
                exit_reason="" if is_open else ExitReason.RETURNED_HOME,
                consent_basis="own",
            )
            stays.append(stay)
            events.append(
                StayEvent(
                    stay=stay,
                    at=checked_in,
                    from_status=StayStatus.PLANNED,
                    to_status=StayStatus.CHECKED_IN,
                )
            )
            if not is_open:
                events.append(
                    StayEvent(
                        stay=stay,
                        at=stay.checked_out_at,
                        from_status=StayStatus.CHECKED_IN,
                        to_status=StayStatus.CHECKED_OUT,
                    )
                )
        Stay.objects.bulk_create(stays)
        StayEvent.objects.bulk_create(events)

    # Reintegration: four visits (months 0, 3, 6, 12) per plan, five plans per case.
    uptd = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    worker = User.objects.get(username="pekerja.sambas")
    instrument = current_instrument()
    n_plans = max(n_visits // 4, 1)
    for start in range(0, n_plans, BATCH):
        cases, plans, visits = [], [], []
        for i in range(start, min(start + BATCH, n_plans)):
            if i % 5 == 0:
                cases.append(
                    Case(
                        id=uuid.uuid4(),
                        code=f"KS-S-{i:07d}",
                        owner_agency=uptd,
                        stage="monitoring",
                        opened_at=now - timedelta(days=400),
                    )
                )
            returned = today - timedelta(days=rng.randrange(0, 3 * 365))
            plan = ReintegrationPlan(
                case=cases[-1],
                person=persons[i % len(persons)],
                status=PlanStatus.ACTIVE if i % 5 == 0 else PlanStatus.CLOSED,
                instrument=instrument,
                returned_on=returned,
                activated_on=returned,
                created_by=worker,
            )
            plans.append(plan)
        Case.objects.bulk_create(cases)
        ReintegrationPlan.objects.bulk_create(plans)
        for plan in plans:
            for month in (0, 3, 6, 12):
                due = plan.returned_on + timedelta(days=30 * month)
                visits.append(
                    Visit(
                        plan=plan,
                        month=month,
                        due_on=due,
                        done_on=due if due <= today else None,
                        instrument=instrument,
                    )
                )
        Visit.objects.bulk_create(visits, batch_size=BATCH)
    with connection.cursor() as cursor:
        # As autovacuum leaves a settled database: statistics, and the visibility map that
        # lets the occupancy report read stays from the index alone.
        cursor.execute("VACUUM ANALYZE")
    return {"seconds": time.perf_counter() - t0, **existing()}


def existing() -> dict:
    from django.core.management import call_command

    from simpul.reintegration.models import Visit
    from simpul.shelters.models import Shelter, Stay

    call_command("migrate", verbosity=0)
    return {
        "shelters": Shelter.objects.count(),
        "stays": Stay.objects.count(),
        "visits": Visit.objects.count(),
        "board_here": Stay.objects.filter(
            shelter__operator_agency__name="RPTC Tanjungpinang", status="checked_in"
        ).count(),
        "province_shelters": Shelter.objects.filter(
            region__code__startswith=f"{REPORT_PROVINCE}."
        ).count(),
    }


def time_snapshot() -> float:
    """The nightly task's work (yesterday, then today, for every shelter), timed."""
    from datetime import timedelta

    from django.utils import timezone

    from simpul.shelters.actions import write_daily_snapshots

    today = timezone.localdate()
    started = time.perf_counter()
    write_daily_snapshots(today - timedelta(days=1))
    write_daily_snapshots(today)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shelters", type=int, default=500)
    parser.add_argument("--stays", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause, seconds")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    args = parser.parse_args()

    if not args.reuse:
        protection._recreate_db()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{DB}",
        "SIMPUL_TESTING": "true",
        "SIMPUL_HTTPS": "false",
        "DJANGO_SETTINGS_MODULE": "simpul.settings_test",
    }
    os.environ.update(env)
    import django

    django.setup()
    info = existing() if args.reuse else seed(args.shelters, args.stays, args.visits)
    print(f"seeded {info}", file=sys.stderr)
    snapshot = [time_snapshot() for _ in range(2)]  # the second is a rerun (rows rewritten)
    print(f"snapshot {snapshot}", file=sys.stderr)
    from datetime import date

    year = date.today().year - 1
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "simpul.wsgi:application",
            "--bind",
            f"127.0.0.1:{protection.PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        time.sleep(4)
        from justice import signed_in

        plans = {
            "shelter board (officer)": (signed_in("shelter.tpi"), ["/shelters/"]),
            "yearly occupancy, one province (analyst)": (
                signed_in("analis.kepri"),
                [
                    f"/shelters/occupancy/?province={REPORT_PROVINCE}"
                    f"&start={year}-01-01&end={year}-12-31"
                ],
            ),
        }
        protection.drive(5, args.users, plans)  # warm-up
        runs = {
            f"think {args.think:g} s": protection.drive(
                args.seconds, args.users, plans, args.think
            ),
            "no think time (saturated)": protection.drive(args.seconds, args.users, plans, 0.0),
        }
    finally:
        server.terminate()
        server.wait()
    print(
        f"\n### {info['shelters']:,} shelters, {info['stays']:,} stays, {info['visits']:,} "
        f"visits (seeded in {info.get('seconds', 0):.0f} s); the officer's board lists "
        f"{info['board_here']} residents; province {REPORT_PROVINCE} has "
        f"{info['province_shelters']} shelters; nightly snapshot {snapshot[0]:.1f} s (rerun "
        f"{snapshot[1]:.1f} s); {args.users} users, gunicorn {args.workers} workers, "
        f"{args.seconds:.0f} s per run; load {os.getloadavg()[0]:.1f}\n"
    )
    for label, results in runs.items():
        total = sum(len(v) for v in results.values())
        print(f"\n{label}: {total / args.seconds:.0f} requests/s\n")
        print("| Page | Requests | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
        for name, samples in results.items():
            if samples:
                print(
                    f"| {name} | {len(samples)} | {protection._pct(samples, 50):.1f} | "
                    f"{protection._pct(samples, 95):.1f} | {protection._pct(samples, 99):.1f} |"
                )
    from django.db import connections

    connections.close_all()
    if args.keep:
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
