"""One-record linkage checks drained by real `simpul worker` processes, one and then two.

Run on demand (not part of the test suite):
    .venv/bin/python bench/linkage_checks_drain.py --checks 10000 --linked 20000
It creates a scratch PostgreSQL database (`simpul_bench_checks`), migrates it, loads the
regions, imports `--linked` synthetic returnees and links them (a full run), files open missing
reports for 1 % of the next list, then imports that list of `--checks` returns: the import
queues one `simpul.linkage.tasks.check_return` per return (the real path, in bulk). Each round
starts that many `simpul worker --batch` processes and waits until every check succeeded (or,
with `--limit-seconds`, stops them after that long and counts the checks drained); the
second round queues the same checks again (the alerts of the first round are deleted first, so
both rounds do the same work). Prints a Markdown table (drain rate over the window from the
first claim to the last finish, and over the wall time including worker start-up, the load
average before and after) and drops the scratch database unless `--keep`.
"""

import argparse
import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "simpul_bench_checks"
PG_BENCH = f"postgresql://postgres@127.0.0.1:5432/{NAME}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def _load() -> str:
    one, _five, _fifteen = os.getloadavg()
    return f"{one:.1f}"


def _seed(linked: int, checks: int) -> list[str]:
    """Returns the ids of the returns whose checks are queued."""
    from datetime import date

    from django.core.management import call_command

    from bench.import_returns import synthetic_csv
    from simpul.accounts.models import Agency, AgencyType, Membership, User
    from simpul.identity.data import IdentityData
    from simpul.identity.models import Person
    from simpul.migration import actions
    from simpul.migration.models import ImportBatch, ReturnEvent
    from simpul.regions.models import Region

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_regions", verbosity=0)
    post = Agency.objects.create(
        name="Tim Terpadu PLBN Aruk", agency_type=AgencyType.BORDER_TEAM, jurisdiction_id="61.01.09"
    )
    village = Agency.objects.create(
        name="Pemerintah Desa Sebunga",
        agency_type=AgencyType.VILLAGE,
        jurisdiction_id="61.01.09.2002",
    )
    border = User.objects.create_user("bench.pos", password="bench-password-long")
    Membership.objects.create(user=border, agency=post, role="border_officer")
    desa = User.objects.create_user("bench.desa", password="bench-password-long")
    Membership.objects.create(user=desa, agency=village, role="village_officer")

    folder = Path(tempfile.mkdtemp())
    first = folder / "earlier.csv"
    first.write_bytes(synthetic_csv(linked, seed=7))
    t = time.perf_counter()
    call_command("import_returns", str(first), "--user", "bench.pos", stdout=io.StringIO())
    print(f"imported {linked:,} earlier returnees in {time.perf_counter() - t:.0f} s", flush=True)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # their own checks are not measured
    t = time.perf_counter()
    call_command("link_persons", "--full", verbosity=0)
    print(f"linked {Person.objects.count():,} persons in {time.perf_counter() - t:.0f} s")

    second = folder / "new.csv"
    second.write_bytes(synthetic_csv(checks, seed=8, first_document=5_000_000))
    # Open missing reports (by the village) for 1 % of the new list's returnees, with the same
    # NIK, name and birth date: the checks of those returns raise an alert.
    rows = [r for r in csv.reader(io.StringIO(second.read_text()), delimiter=";")][1:]
    with_nik = [r for r in rows if r[3]][: max(1, checks // 100)]
    home = Region.objects.get(pk="61.01.09.2002")
    for row in with_nik:
        day, month, year = row[1].split("/")
        actions.report_missing(
            desa,
            actions.MissingInput(reported_on=date.today(), reported_by="family"),
            identity=IdentityData(
                full_name=row[0],
                nik=row[3],
                birth_date=f"{year}-{month}-{day}",
                sex="F" if row[2] == "P" else "M",
            ),
            home_village=home,
            duplicate_choice="new",
        )
    print(f"filed {len(with_nik)} open missing reports", flush=True)
    t = time.perf_counter()
    call_command("import_returns", str(second), "--user", "bench.pos", stdout=io.StringIO())
    print(f"imported {checks:,} new returns in {time.perf_counter() - t:.0f} s", flush=True)
    batch = ImportBatch.objects.order_by("-created_at").first()
    return [str(r) for r in ReturnEvent.objects.filter(batch=batch).values_list("id", flat=True)]


def _round(ids: list[str], workers: int, first: bool, limit: float | None) -> dict[str, object]:
    from django.db.models import Max, Min
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from simpul.jobs.actions import enqueue_many
    from simpul.linkage import tasks
    from simpul.linkage.models import LinkageAlert

    if not first:  # the same checks again, the same work: no alert raised before
        LinkageAlert.objects.all().delete()
        DBTaskResult.objects.all().delete()
        t = time.perf_counter()
        enqueue_many(tasks.check_return, [{"return_id": r} for r in ids])
        print(f"queued {len(ids):,} checks in {time.perf_counter() - t:.1f} s", flush=True)
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    assert queued == len(ids), (queued, len(ids))
    load_before = _load()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SIMPUL_LOG_LEVEL": "WARNING"}
    wall = time.perf_counter()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simpul",
                "worker",
                "--batch",
                "--interval",
                "0",
                "--worker-id",
                f"bench-{workers}-{i}",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for i in range(workers)
    ]
    if limit:
        # Time-boxed: stop the workers after `limit` seconds (SIGTERM: each finishes its
        # running check) and count what they drained.
        deadline = wall + limit
        while time.perf_counter() < deadline and any(p.poll() is None for p in procs):
            time.sleep(1)
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"worker exited with {p.returncode}")
    wall_seconds = time.perf_counter() - wall
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    drained = done.count()
    if not limit and drained != len(ids):
        raise SystemExit(f"only {drained} of {len(ids)} checks succeeded")
    if DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists():
        raise SystemExit("a check failed")
    window = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    drain = (window["last"] - window["first"]).total_seconds()
    return {
        "workers": workers,
        "checks": f"{drained:,} of {len(ids):,}",
        "drain": drain,
        "rate": drained / drain,
        "wall_rate": drained / wall_seconds,
        "alerts": LinkageAlert.objects.count(),
        "load": f"{load_before} → {_load()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--linked", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database")
    parser.add_argument(
        "--limit-seconds",
        type=float,
        default=None,
        help="Stop each round's workers after this long and count what they drained",
    )
    args = parser.parse_args()

    _admin(f"DROP DATABASE IF EXISTS {NAME}")
    _admin(f"CREATE DATABASE {NAME}")
    os.environ["DATABASE_URL"] = PG_BENCH
    os.environ.setdefault("SIMPUL_TESTING", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "simpul.settings_test"
    import django

    django.setup()
    ids = _seed(args.linked, args.checks)
    limit = args.limit_seconds
    results = [_round(ids, 1, True, limit), _round(ids, 2, False, limit)]
    print(
        f"\n{args.checks:,} one-record checks against {args.linked:,} linked persons "
        "(PostgreSQL)\n\n| Workers | Checks | Drain (s) | Checks/s | With start-up | Alerts | "
        "Load (1 min, before → after) |\n|---|---|---|---|---|---|---|"
    )
    for r in results:
        print(
            f"| {r['workers']} | {r['checks']} | {r['drain']:.1f} | {r['rate']:.1f} | "
            f"{r['wall_rate']:.1f} | {r['alerts']} | {r['load']} |"
        )
    if not args.keep:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {NAME}")


if __name__ == "__main__":
    main()
