"""Foundation benchmark: region loading and search, vault writes and lookups, audit throughput.

Run on demand (not part of the test suite):
    .venv/bin/python bench/foundation.py --db sqlite   --persons 10000
    .venv/bin/python bench/foundation.py --db postgres --persons 10000
It creates a scratch database (a temp SQLite file, or `simpul_bench` on the local PostgreSQL),
migrates it, measures, prints a Markdown table, and drops the scratch database.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/simpul_bench"


def _prepare(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_bench")
        conn.execute("CREATE DATABASE simpul_bench")
    return PG_BENCH


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--persons", type=int, default=10_000)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _prepare(args.db)
    os.environ.setdefault("SIMPUL_TESTING", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "simpul.settings_test"
    import django

    django.setup()
    from django.core.management import call_command

    from simpul.accounts.models import Agency, AgencyType, Membership, User
    from simpul.audit.log import record
    from simpul.identity.actions import create_person
    from simpul.identity.data import IdentityData
    from simpul.identity.queries import find_by_identifier, search_persons
    from simpul.regions.queries import search_regions

    rows: list[tuple[str, str]] = []
    call_command("migrate", verbosity=0)

    t = time.perf_counter()
    call_command("load_regions", verbosity=0)
    rows.append(("load_regions, 91,599 rows, empty database", f"{time.perf_counter() - t:.1f} s"))
    t = time.perf_counter()
    call_command("load_regions", verbosity=0)
    rows.append(("load_regions re-run (unchanged file)", f"{time.perf_counter() - t:.2f} s"))

    queries = [
        "sajingan",
        "tanjungpinang",
        "sebunga",
        "61.01.09",
        "entikong",
        "kupang",
        "batam",
        "nunukan",
        "aruk",
        "sambas",
        "kota",
        "a",
    ]
    samples = []
    for _ in range(20):
        for q in queries:
            t = time.perf_counter()
            search_regions(q)
            samples.append(time.perf_counter() - t)
    rows.append(
        (
            "region search (12 queries x 20)",
            f"p50 {_pct(samples, 50):.1f} ms, p95 {_pct(samples, 95):.1f} ms",
        )
    )

    agency = Agency.objects.create(name="Bench UPTD", agency_type=AgencyType.UPTD_PPA)
    user = User.objects.create_user("bench", password="bench-long-password")
    Membership.objects.create(user=user, agency=agency, role="case_supervisor")
    rng = random.Random(7)
    given = ["Siti", "Nur", "Dewi", "Muhammad", "Agus", "Yohanes", "Rina", "Budi", "Sri", "Joko"]
    family = ["Aminah", "Santoso", "Lestari", "Saputra", "Wijaya", "Siregar", "Hidayat", "Jaya"]
    niks = []
    t = time.perf_counter()
    for i in range(args.persons):
        born = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}9{rng.randint(0, 9)}"
        nik = f"610109{born}{i % 9999 + 1:04d}"
        niks.append(nik)
        create_person(
            user,
            IdentityData(
                full_name=f"{rng.choice(given)} {rng.choice(family)} {rng.choice(family)}",
                nik=nik,
                phone=f"+62812{rng.randrange(10_000_000, 99_999_999)}",
            ),
            owner_agency=agency,
            scope_region=None,
        )
    elapsed = time.perf_counter() - t
    rows.append(
        (
            f"vault: create {args.persons:,} persons (seal, index, audit)",
            f"{elapsed:.1f} s, {args.persons / elapsed:.0f} persons/s",
        )
    )

    samples = []
    for nik in rng.sample(niks, 200):
        t = time.perf_counter()
        list(find_by_identifier(user, "nik", nik))
        samples.append(time.perf_counter() - t)
    rows.append(
        (
            "vault: exact NIK lookup in scope (200x)",
            f"p50 {_pct(samples, 50):.1f} ms, p95 {_pct(samples, 95):.1f} ms",
        )
    )

    samples = []
    for _ in range(100):
        name = f"{rng.choice(given)} {rng.choice(family)}"
        t = time.perf_counter()
        search_persons(user, name)
        samples.append(time.perf_counter() - t)
    rows.append(
        (
            "vault: name search, 2 tokens, limit 50 (100x)",
            f"p50 {_pct(samples, 50):.1f} ms, p95 {_pct(samples, 95):.1f} ms",
        )
    )

    t = time.perf_counter()
    for i in range(2000):
        record("bench.event", record_type="bench", record_id=str(i))
    elapsed = time.perf_counter() - t
    rows.append(
        ("audit: 2,000 chained entries, one transaction each", f"{2000 / elapsed:.0f} entries/s")
    )
    t = time.perf_counter()
    with open(os.devnull, "w") as sink:
        call_command("verify_audit", "--no-anchor", verbosity=0, stdout=sink)
    rows.append(("verify_audit over the whole chain", f"{time.perf_counter() - t:.2f} s"))

    print(f"\n### {args.db} — {args.persons:,} persons\n")
    print("| Measure | Result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")

    from django.db import connections

    connections.close_all()
    if args.db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS simpul_bench")


if __name__ == "__main__":
    main()
