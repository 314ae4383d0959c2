"""A million persons linked end to end: from the vault, through clustering, to stored ids.

Run on demand (not part of the test suite), once, on an otherwise idle machine:
    .venv/bin/python bench/linkage_million.py --records 1000000
It creates the scratch PostgreSQL database `simpul_linkage_bench` on 127.0.0.1 (dropped at
the end unless --keep; `--skip-prepare` reuses a kept one, forgetting earlier runs unless
`--rerun`), migrates it, loads the regions, seals the synthetic population
(`tools/synthetic_people.py`) into the vault with a bulk path that mirrors
`simpul.identity.actions._apply` (same sealing, AAD and blind indexes; no name tokens, which
the linkage does not read), then times `simpul link_persons --full` as a separate process,
sampling the resident memory of it and its worker processes together every 0.2 s. Last, it
checks new records against the linked million with `realtime.check_identity` (the intake
duplicate warning and the alerts use it) and reports the median and 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/simpul_linkage_bench"
ENV = {
    "DATABASE_URL": PG_BENCH,
    "SIMPUL_TESTING": "true",
    "DJANGO_SETTINGS_MODULE": os.environ.get("LINKAGE_BENCH_SETTINGS", "simpul.settings_test"),
}
SOURCE_AGENCY = {
    "missing_report": ("Pemerintah Desa Bench", "village"),
    "departure": ("Pemerintah Desa Bench", "village"),
    "deportee_list": ("Tim Terpadu Bench", "border_team"),
    "shelter": ("RPTC Bench", "shelter"),
    "police": ("Unit PPA Bench", "police"),
    "iom": ("IOM Bench", "iom"),
    "intake": ("UPTD PPA Bench", "uptd_ppa"),
}


def _setup_django() -> None:
    os.environ.update(ENV)
    import django

    django.setup()


def prepare(records: int) -> float:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_linkage_bench")
        conn.execute("CREATE DATABASE simpul_linkage_bench")
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    started = time.perf_counter()
    _populate(records)
    return time.perf_counter() - started


def _populate(records: int) -> None:
    from django.db import transaction

    from simpul.accounts.models import Agency, User
    from simpul.identity.actions import person_aad
    from simpul.identity.crypto import blind_index, keyring
    from simpul.identity.data import IdentityData, mask_name
    from simpul.identity.models import Person
    from simpul.lib.phone import normalise_phone
    from simpul.linkage.engine.features import parse_birth_date
    from simpul.regions.models import Region
    from tools import synthetic_people as synthetic

    user = User.objects.create_user("bench", password="a-long-enough-passphrase")
    agencies = {}
    for source, (name, kind) in SOURCE_AGENCY.items():
        agencies[source] = Agency.objects.get_or_create(name=name, defaults={"agency_type": kind})[
            0
        ]
    known = set(Region.objects.values_list("code", flat=True))
    ring = keyring()
    codes = set()
    rng = random.Random(7)
    alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
    rows = synthetic.generate(records=records, seed=1_000_000)
    batch: list[Person] = []
    for row in rows:
        year, month, day = parse_birth_date(row["birth_date"])
        born = (
            f"{year:04d}-{month:02d}-{day:02d}"
            if day
            else f"{year:04d}-{month:02d}"
            if month
            else f"{year:04d}"
            if year
            else ""
        )
        name = row["full_name"] or f"{row['given_name']} {row['family_name']}".strip()
        data = IdentityData(
            full_name=name,
            nik=row["nik"],
            passport=row["passport"],
            birth_date=born,
            sex=row["sex"],
            phone=(normalise_phone(row["phone"]) or "") if row["phone"] else "",
        )
        while True:
            code = "P-" + "".join(rng.choice(alphabet) for _ in range(7))
            if code not in codes:
                codes.add(code)
                break
        person = Person(
            id=uuid.uuid4(),
            code=code,
            owner_agency=agencies[row["source"]],
            scope_region_id=row["region_code"] if row["region_code"] in known else None,
            created_by=user,
            key_id=ring.current_id,
            masked_name=mask_name(name),
            nik_index=blind_index("nik", data.nik) if data.nik else "",
            passport_index=blind_index("passport", data.passport) if data.passport else "",
            phone_index=blind_index("phone", data.phone) if data.phone else "",
        )
        person.sealed_identity = ring.seal(data.to_bytes(), person_aad(person.id))
        batch.append(person)
        if len(batch) >= 5000:
            with transaction.atomic():
                Person.objects.bulk_create(batch, batch_size=5000)
            batch = []
    if batch:
        Person.objects.bulk_create(batch, batch_size=5000)


def reuse(*, keep_results: bool) -> None:
    """Bring a kept bench database up to date; unless `keep_results`, forget earlier runs so
    the timed run is a first run, as on a freshly prepared vault."""
    _setup_django()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    if not keep_results:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE linkage_linkedrecord, linkage_linkedpair, linkage_linkagerun CASCADE"
            )
    connections.close_all()


def _tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            with open(f"/proc/{entry}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def link_full(engine: str) -> tuple[float, float, str]:
    env = {**os.environ, **ENV}
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/simpul"), "link_persons", "--full", "--engine", engine],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(output[-4000:])
    return seconds, peak / 1024, output.strip().splitlines()[-1]


def check_latency(count: int) -> list[float]:
    _setup_django()
    from simpul.identity.data import IdentityData
    from simpul.linkage import realtime
    from tools import synthetic_people as synthetic

    rng = random.Random(99)
    used: set[str] = set()
    timings = []
    for index in range(count + 5):
        person = synthetic.make_person(10_000_000 + index, rng, used)
        row = synthetic.records_of(person, 1, rng)[0]
        name = row["full_name"] or f"{row['given_name']} {row['family_name']}".strip()
        data = IdentityData(full_name=name, nik=row["nik"], birth_date="", sex=row["sex"])
        started = time.perf_counter()
        realtime.check_identity(data, row["region_code"] or None)
        elapsed = time.perf_counter() - started
        if index >= 5:  # the first calls warm the caches
            timings.append(elapsed)
    return timings


def drop() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS simpul_linkage_bench WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--checks", type=int, default=100)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--rerun",
        action="store_true",
        help="with --skip-prepare: keep the last run's clusters (time a re-run, ids carried over)",
    )
    args = parser.parse_args()
    if not args.skip_prepare:
        seconds = prepare(args.records)
        print(f"prepared {args.records:,} persons in the vault in {seconds:.0f} s", flush=True)
    else:
        reuse(keep_results=args.rerun)
    seconds, peak_mb, summary = link_full(args.engine)
    print(f"link_persons --full: {seconds:.1f} s wall, peak RSS {peak_mb:.0f} MB (tree)")
    print(summary, flush=True)
    timings = check_latency(args.checks)
    print(
        "check one new record against the linked set: "
        f"median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1] * 1000:.0f} ms over {len(timings)}"
    )
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()
