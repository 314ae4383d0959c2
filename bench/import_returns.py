"""Deportee-list import benchmark: a clean 50,000-row file through `simpul import_returns`.

Run on demand (not part of the test suite):
    .venv/bin/python bench/import_returns.py --db sqlite   --rows 50000
    .venv/bin/python bench/import_returns.py --db postgres --rows 50000
It creates a scratch database (a temp SQLite file, or `simpul_bench_mig` on the local
PostgreSQL), migrates it, loads the 91,599 regions, writes a synthetic CSV, then times the
command-line import (read, validate every row, seal every new identity, write in one
transaction), a re-run of the same file (0 new rows) and a file with bad rows (nothing
written). Prints a Markdown table and drops the scratch database.
"""

import argparse
import contextlib
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/simpul_bench_mig"

GIVEN = ["Siti", "Nur", "Dewi", "Sri", "Rina", "Yuliana", "Maria", "Agus", "Budi", "Yohanes"]
FAMILY = ["Aminah", "Lestari", "Santoso", "Saputra", "Wijaya", "Hidayat", "Ningsih", "Ahui"]
DISTRICTS = ["610109", "610101", "610108", "610321", "217201", "530101"]
VILLAGES = ["61.01.09.2001", "61.01.09.2002", "61.01.09.2003", "61.01.09.2004", ""]
POINTS = ["PLBN_ARUK", "PLBN_ENTIKONG", "NUNUKAN", "TPI_SRI_BINTAN_PURA", "BATAM_CENTER"]


def _prepare(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_bench_mig")
        conn.execute("CREATE DATABASE simpul_bench_mig")
    return PG_BENCH


def _drop(db: str) -> None:
    if db != "postgres":
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_bench_mig")


def synthetic_csv(rows: int, seed: int = 18, first_document: int = 1_000_000) -> bytes:
    """A deportee list as consulates send it: name, birth date, sex, SPLP, arrival, post;
    a NIK for 60% of rows and a home village for 40%. SPLP numbers count up from
    `first_document` (two lists of different people need different ranges)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "nama",
            "tanggal_lahir",
            "jenis_kelamin",
            "nik",
            "jenis_dokumen",
            "nomor_dokumen",
            "tanggal_tiba",
            "titik_masuk",
            "depo",
            "perwakilan",
            "kode_wilayah_asal",
        ]
    )
    today = date.today()
    for i in range(rows):
        female = rng.random() < 0.6
        born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
        day = born.day + (40 if female else 0)
        birth = f"{day:02d}{born.month:02d}{born.year % 100:02d}"
        nik = f"{rng.choice(DISTRICTS)}{birth}{i % 9999 + 1:04d}"
        writer.writerow(
            [
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}",
                born.strftime("%d/%m/%Y"),
                "P" if female else "L",
                nik if rng.random() < 0.6 else "",
                "SPLP",
                f"B{first_document + i}",
                (today - timedelta(days=rng.randrange(0, 365))).isoformat(),
                rng.choice(POINTS),
                "Depot Imigresen Semuja",
                "KJRI Kuching",
                rng.choice(VILLAGES) if rng.random() < 0.4 else "",
            ]
        )
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _prepare(args.db)
    os.environ.setdefault("SIMPUL_TESTING", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "simpul.settings_test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from simpul.accounts.models import Agency, AgencyType, Membership, User
    from simpul.identity.models import Person
    from simpul.migration.models import ReturnEvent

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    post = Agency.objects.create(
        name="Tim Terpadu PLBN Aruk", agency_type=AgencyType.BORDER_TEAM, jurisdiction_id="61.01.09"
    )
    user = User.objects.create_user("bench.pos", password="bench-password-long")
    Membership.objects.create(user=user, agency=post, role="border_officer")

    folder = Path(tempfile.mkdtemp())
    clean = folder / "deportasi.csv"
    clean.write_bytes(synthetic_csv(args.rows))
    lines = clean.read_bytes().decode().splitlines()
    for n in (10, 20_000, len(lines) - 2):  # three bad rows, the last near the end
        cells = lines[n].split(";")
        cells[6] = "31/02/2025"
        lines[n] = ";".join(cells)
    bad = folder / "deportasi-salah.csv"
    bad.write_text("\n".join(lines) + "\n")

    rows: list[tuple[str, str]] = []
    out = io.StringIO()
    t = time.perf_counter()
    call_command("import_returns", str(clean), "--user", "bench.pos", stdout=out)
    first = time.perf_counter() - t
    rows.append(
        (
            f"clean file, {args.rows:,} rows: validate, seal, write",
            f"{first:.1f} s ({ReturnEvent.objects.count():,} returns, "
            f"{Person.objects.count():,} persons)",
        )
    )
    t = time.perf_counter()
    call_command("import_returns", str(clean), "--user", "bench.pos", stdout=out)
    rows.append(
        (
            "same file again (0 new rows)",
            f"{time.perf_counter() - t:.1f} s ({ReturnEvent.objects.count():,} returns)",
        )
    )
    t = time.perf_counter()
    with contextlib.suppress(CommandError):
        call_command("import_returns", str(bad), "--user", "bench.pos", stdout=io.StringIO())
    rows.append(("file with 3 bad rows (nothing written)", f"{time.perf_counter() - t:.1f} s"))

    print(f"\n| {args.db} | time |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    _drop(args.db)


if __name__ == "__main__":
    main()
