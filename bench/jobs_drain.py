"""Job-queue drain benchmark: N small jobs through `simpul worker`, with one and two workers.

Run on demand (not part of the test suite):
    .venv/bin/python bench/jobs_drain.py --jobs 2000
    .venv/bin/python bench/jobs_drain.py --jobs 2000 --db sqlite
It creates a scratch database (`simpul_bench_jobs` on the local PostgreSQL, or a temp SQLite
file), migrates it, and for each worker count enqueues N jobs (each one indexed read, like a
one-record check) through `simpul.jobs.actions.enqueue`, starts that many `simpul worker
--batch` processes, and waits until every job succeeded. It reports the drain rate over the
window from the first claim to the last finish (worker start-up excluded) and over the
wall time including start-up. Prints a Markdown table and drops the scratch database.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/simpul_bench_jobs"


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SIMPUL_TESTING", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()


if __name__ != "__main__":  # imported by a worker process: Django is set up already
    from django_tasks import TaskContext

    from simpul.jobs.models import Job
    from simpul.jobs.registry import simpul_task

    @simpul_task(idempotent=True)
    def one_check(context: TaskContext, n: int) -> bool:
        return Job.objects.filter(pk=context.task_result.id).exists()


def _prepare(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench-jobs.sqlite3"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_bench_jobs")
        conn.execute("CREATE DATABASE simpul_bench_jobs")
    return PG_BENCH


def _drop(db: str) -> None:
    if db != "postgres":
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_bench_jobs")


def _round(jobs: int, workers: int, url: str) -> dict[str, float]:
    from django.db.models import Max, Min
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    import bench.jobs_drain as bench_module
    from simpul.jobs.actions import enqueue

    DBTaskResult.objects.all().delete()
    started = time.perf_counter()
    for n in range(jobs):
        enqueue(bench_module.one_check, n=n)
    enqueue_seconds = time.perf_counter() - started

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "SIMPUL_LOG_LEVEL": "WARNING",
    }
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
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"worker exited with {p.returncode}")
    wall_seconds = time.perf_counter() - wall
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    if done.count() != jobs:
        raise SystemExit(f"only {done.count()} of {jobs} jobs succeeded")
    window = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    drain_seconds = (window["last"] - window["first"]).total_seconds()
    return {
        "enqueue_rate": jobs / enqueue_seconds,
        "drain_seconds": drain_seconds,
        "drain_rate": jobs / drain_seconds,
        "wall_rate": jobs / wall_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    url = _prepare(args.db)
    _django(url)
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        rows = []
        for workers in [int(w) for w in args.workers.split(",")]:
            r = _round(args.jobs, workers, url)
            rows.append(
                f"| {args.db} | {args.jobs} | {workers} | {r['enqueue_rate']:.0f} | "
                f"{r['drain_seconds']:.1f} | {r['drain_rate']:.0f} | {r['wall_rate']:.0f} |"
            )
        print("| database | jobs | workers | enqueued/s | drain s | drained/s | with start-up |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(rows))
    finally:
        _drop(args.db)


if __name__ == "__main__":
    main()
