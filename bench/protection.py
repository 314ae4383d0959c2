"""Protection-core benchmark: case list, search and case page under 8 concurrent users.

Seeds PostgreSQL with 100,000 cases and 500,000 service records (plus their victims in the
vault), starts gunicorn on 127.0.0.1, and drives it with 8 concurrent signed-in users.

    .venv/bin/python bench/protection.py                 # full size
    .venv/bin/python bench/protection.py --cases 5000    # a quick run
Prints a Markdown table (p50/p95/p99 per page). Drops the scratch database at the end.
"""

import argparse
import http.client
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "simpul_bench_protection"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PORT = 8765


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def _recreate_db() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")


def seed(n_cases: int, services_per_case: int) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.utils import timezone

    from simpul.accounts.models import Agency, AgencyType, User
    from simpul.cases.models import Case, CaseActivity, CaseVictim, ServiceDelivery, Stage
    from simpul.core.models import AccessGrant
    from simpul.demo.world import _FAMILY, _GIVEN_F, _GIVEN_M, build_world
    from simpul.identity.actions import _apply, name_token_hashes
    from simpul.identity.data import IdentityData
    from simpul.identity.models import Person, PersonNameToken
    from tests.factories import load_region_slice

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_region_slice(["61.01", "21.72"])
    build_world(persons_per_agency=3)
    rng = random.Random(3)
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    others = [
        Agency.objects.create(name=f"UPTD PPA Bench {i}", agency_type=AgencyType.UPTD_PPA)
        for i in range(40)
    ]
    worker = User.objects.get(username="pekerja.sambas")
    colleagues = [User.objects.create_user(f"bench.worker{i}", password="x" * 20) for i in range(9)]
    stages = [s for s, _ in Stage.choices]
    case_ct = ContentType.objects.get_for_model(Case)
    now = timezone.now()
    names = []
    t0 = time.perf_counter()
    batch = 5000
    for start in range(0, n_cases, batch):
        persons, cases, victims, grants, acts, tokens, services = [], [], [], [], [], [], []
        for i in range(start, min(start + batch, n_cases)):
            own = i % 10 == 0  # 10 % of all cases belong to UPTD PPA Sambas
            agency = sambas if own else others[i % len(others)]
            sex = rng.choice("FM")
            name = (
                f"{rng.choice(_GIVEN_F if sex == 'F' else _GIVEN_M)} "
                f"{rng.choice(_FAMILY)} {rng.choice(_FAMILY)}"
            )
            data = IdentityData(full_name=name, sex=sex, birth_date=str(1970 + rng.randrange(40)))
            p = Person(
                id=uuid.uuid4(),
                code=f"P-B{i:07d}",
                owner_agency=agency,
                scope_region_id="61.01.09" if own else None,
            )
            _apply(p, data)
            persons.append(p)
            tokens.extend(PersonNameToken(person=p, token=h) for h in name_token_hashes(data))
            assignee = (worker if i % 50 == 0 else rng.choice(colleagues)) if own else None
            c = Case(
                id=uuid.uuid4(),
                code=f"KS-B-{i:07d}",
                owner_agency=agency,
                stage=rng.choice(stages),
                assigned_to=assignee,
                opened_at=now - timedelta(days=rng.randrange(2000)),
                scope_region_id="61.01.09" if own else None,
            )
            cases.append(c)
            victims.append(CaseVictim(case=c, person=p))
            acts.append(CaseActivity(case=c, at=c.opened_at, kind="open", summary="Case opened"))
            if assignee is not None:
                grants.append(
                    AccessGrant(
                        record_type=case_ct, record_id=c.id, user=assignee, kind="assignment"
                    )
                )
            for k in range(services_per_case):
                services.append(
                    ServiceDelivery(
                        case=c,
                        service="counselling",
                        provider=agency,
                        recorded_by=worker,
                        delivered_on=date(2024, 1, 1) + timedelta(days=k * 7),
                    )
                )
            if own and i % 50 == 0:
                names.append(name)
        Person.objects.bulk_create(persons)
        PersonNameToken.objects.bulk_create(tokens)
        Case.objects.bulk_create(cases)
        CaseVictim.objects.bulk_create(victims)
        CaseActivity.objects.bulk_create(acts)
        AccessGrant.objects.bulk_create(grants)
        ServiceDelivery.objects.bulk_create(services, batch_size=10_000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - t0,
        "cases": Case.objects.count(),
        "services": ServiceDelivery.objects.count(),
        "sambas_cases": Case.objects.filter(owner_agency=sambas).count(),
        "worker_cases": Case.objects.filter(assigned_to=worker).count(),
        "names": names,
        "sambas_case_ids": [
            str(i)
            for i in Case.objects.filter(owner_agency=sambas).values_list("id", flat=True)[:2000]
        ],
        "worker_case_ids": [
            str(i) for i in Case.objects.filter(assigned_to=worker).values_list("id", flat=True)
        ],
    }


def existing_info() -> dict:
    from simpul.cases.models import Case, ServiceDelivery
    from simpul.identity.actions import person_aad
    from simpul.identity.crypto import keyring
    from simpul.identity.data import IdentityData

    sambas = Case.objects.filter(owner_agency__name="UPTD PPA Kabupaten Sambas")
    worker_cases = Case.objects.filter(assigned_to__username="pekerja.sambas")
    names = []
    for c in worker_cases.prefetch_related("victims__person")[:200]:
        p = c.victims.all()[0].person
        names.append(
            IdentityData.from_bytes(keyring().open(p.sealed_identity, person_aad(p.id))).full_name
        )
    return {
        "seconds": 0.0,
        "cases": Case.objects.count(),
        "services": ServiceDelivery.objects.count(),
        "names": names,
        "sambas_case_ids": [str(i) for i in sambas.values_list("id", flat=True)[:2000]],
    }


def session_cookie(username: str) -> str:
    """A signed-in, second-factor-verified session, as the sign-in pages would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from simpul.accounts.middleware import LAST_SEEN, LOGIN_AT
    from simpul.accounts.models import User

    user = User.objects.get(username=username)
    user.confidentiality_accepted_at = timezone.now()
    user.save()
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    store[LOGIN_AT] = store[LAST_SEEN] = time.time() + 3600  # stays fresh during the run
    store.set_expiry(3600)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def drive(
    duration: float, users: int, plans: dict[str, tuple[str, list[str]]], think: float = 0.0
) -> dict[str, list[float]]:
    """Closed loop: each user sends a request, waits for it, then pauses `think` seconds on
    average (uniform 0.5x-1.5x), like a person reading the page; think=0 saturates."""
    results: dict[str, list[float]] = {name: [] for name in plans}
    errors: list[str] = []
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def user_loop(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.monotonic() < stop:
            name = rng.choice(list(plans))
            cookie, paths = plans[name]
            path = rng.choice(paths)
            t = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - t
            with lock:
                if response.status != 200:
                    errors.append(f"{response.status} {path}")
                else:
                    results[name].append(elapsed)
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))

    threads = [threading.Thread(target=user_loop, args=(n,)) for n in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        print(f"{len(errors)} non-200 responses, e.g. {errors[:3]}", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--services-per-case", type=int, default=5)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean pause between a user's requests, seconds (0 = saturate)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    args = parser.parse_args()

    if not args.reuse:
        _recreate_db()
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
    info = existing_info() if args.reuse else seed(args.cases, args.services_per_case)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "simpul.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "simpul.settings_test"},
        cwd=ROOT,
    )
    try:
        time.sleep(4)
        worker = session_cookie("pekerja.sambas")
        supervisor = session_cookie("supervisor.sambas")
        rng = random.Random(5)
        plans = {
            "case list (case worker: my cases, tasks)": (worker, ["/cases/"]),
            "case list (supervisor: + team, approvals)": (supervisor, ["/cases/"]),
            "search by case code": (
                supervisor,
                [f"/cases/?q=KS-B-{i:07d}" for i in range(0, args.cases, 10)][:500],
            ),
            "search by victim name": (
                supervisor,
                ["/cases/?q=" + n.replace(" ", "+") for n in info["names"][:200]],
            ),
            "case page": (
                supervisor,
                [
                    f"/cases/{i}/"
                    for i in rng.sample(
                        info["sambas_case_ids"], min(500, len(info["sambas_case_ids"]))
                    )
                ],
            ),
        }
        drive(5, args.users, plans)  # warm-up
        runs = {
            f"think {args.think:g} s": drive(args.seconds, args.users, plans, args.think),
            "no think time (saturated)": drive(args.seconds, args.users, plans, 0.0),
        }
    finally:
        server.terminate()
        server.wait()
    print(
        f"\n### {info['cases']:,} cases, {info['services']:,} services "
        f"(seeded in {info['seconds']:.0f} s); {args.users} concurrent users, "
        f"gunicorn {args.workers} workers, {args.seconds:.0f} s per run\n"
    )
    for label, results in runs.items():
        total = sum(len(v) for v in results.values())
        print(f"\n{label}: {total / args.seconds:.0f} requests/s\n")
        print("| Page | Requests | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|")
        for name, samples in results.items():
            if samples:
                print(
                    f"| {name} | {len(samples)} | {_pct(samples, 50):.1f} | "
                    f"{_pct(samples, 95):.1f} | {_pct(samples, 99):.1f} |"
                )
    from django.db import connections

    connections.close_all()
    if not args.keep:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB}")


if __name__ == "__main__":
    main()
