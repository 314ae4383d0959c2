"""Justice-chain benchmark: the prosecutor's deadline list and the justice statistics page.

Seeds PostgreSQL with `--proceedings` proceedings (default 50,000) on as many cases, ten
events each (500,000), charges and sentences for the convicted, restitution for a fraction and
open reminders; a few hundred proceedings (and their reminders) belong to the demo prosecutor
`jaksa.sambas`, the rest to other investigators and prosecutors. Starts gunicorn on
127.0.0.1 and drives it with 8 concurrent signed-in users (think time 1 s, then saturated).

    .venv/bin/python bench/justice.py                      # full size
    .venv/bin/python bench/justice.py --proceedings 2000   # a quick run
    .venv/bin/python bench/justice.py --keep                # keep the database (EXPLAIN it)
    .venv/bin/python bench/justice.py --reuse               # measure the kept database again
Before the users start, the statistics job runs once (as the scheduler does every ten
minutes) and its duration is printed. Prints a Markdown table (p50/p95/p99 per page). Drops the
scratch database at the end unless `--keep`.
"""

import argparse
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import protection  # noqa: E402  (the protection benchmark's sign-in, driver and percentiles)

protection.DB = DB = "simpul_bench_justice"
PG_ADMIN = protection.PG_ADMIN

# A plausible life of a proceeding, in order: (event code, days after the report).
PATH = [
    ("report", 0),
    ("investigation", 5),
    ("spdp", 7),
    ("suspect_named", 12),
    ("file_handed_over", 40),
    ("p16", 41),
    ("p21", 55),
    ("p22", 58),
    ("p29", 60),
    ("p31", 61),
    ("court_registered", 62),
    ("first_hearing", 70),
    ("hearing", 77),
    ("hearing", 84),
    ("hearing", 91),
    ("demand", 105),
    ("verdict", 120),
]


def seed(n: int) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from simpul.accounts.models import Agency, User
    from simpul.cases.models import Case
    from simpul.core.models import AccessGrant
    from simpul.demo.world import build_world
    from simpul.justice.codes import Clock, Law, RangeFlag, RestitutionState, Stage
    from simpul.justice.models import (
        Charge,
        Defendant,
        Perpetrator,
        Proceeding,
        ProceedingEvent,
        Reminder,
        Restitution,
        Sentence,
    )
    from tests.factories import load_region_slice

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_region_slice(["61.01", "21.72"])
    build_world(persons_per_agency=3)
    rng = random.Random(16)
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    uptd = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    investigator = User.objects.get(username="polisi.sambas")
    jaksa = User.objects.get(username="jaksa.sambas")
    others = [User.objects.create_user(f"bench.jaksa{i}", password="x" * 20) for i in range(40)]
    stage_of = {
        "report": Stage.POLICE,
        "file_handed_over": Stage.PROSECUTION,
        "court_registered": Stage.COURT,
    }
    proceeding_ct = ContentType.objects.get_for_model(Proceeding)
    today = timezone.localdate()
    now = timezone.now()
    t0 = time.perf_counter()
    batch = 2000
    mine = 0
    for start in range(0, n, batch):
        cases, procs, events, grants, reminders = [], [], [], [], []
        perps, defendants, charges, sentences, restitutions = [], [], [], [], []
        for i in range(start, min(start + batch, n)):
            own = i % 100 == 0  # 1 % (500 of 50,000) are the demo prosecutor's
            prosecutor = jaksa if own else others[i % len(others)]
            reported = today - timedelta(days=rng.randrange(30, 1500))
            c = Case(
                id=uuid.uuid4(),
                code=f"KS-J-{i:07d}",
                owner_agency=uptd,
                stage="closed" if reported < today - timedelta(days=700) else "services",
                opened_at=now - (today - reported) - timedelta(days=3),
            )
            cases.append(c)
            steps = PATH[: rng.randrange(4, len(PATH) + 1)]  # 10 on average
            steps = [(code, d) for code, d in steps if reported + timedelta(days=d) <= today]
            stage = Stage.POLICE
            for code, _d in steps:
                stage = stage_of.get(code, stage)
            last = reported + timedelta(days=steps[-1][1])
            p = Proceeding(
                id=uuid.uuid4(),
                code=f"PR-J-{i:07d}",
                case=c,
                owner_agency=police,
                regime="kuhap_2025" if reported >= date(2026, 1, 2) else "kuhap_1981",
                investigator=investigator,
                prosecutor=prosecutor,
                police_report_number=f"LP/B/{i}/2026",
                stage=stage,
                reported_on=reported,
                last_event_on=last,
                event_count=len(steps),
                next_hearing_on=today + timedelta(days=rng.randrange(1, 60))
                if stage == Stage.COURT and rng.random() < 0.5
                else None,
            )
            procs.append(p)
            for seq, (code, d) in enumerate(steps, start=1):
                events.append(
                    ProceedingEvent(
                        proceeding=p,
                        seq=seq,
                        code=code,
                        occurred_on=reported + timedelta(days=d),
                        recorded_by=investigator,
                        verdict_outcome="convicted" if code == "verdict" else "",
                    )
                )
            for user in {investigator, prosecutor}:
                grants.append(
                    AccessGrant(
                        record_type=proceeding_ct, record_id=p.id, user=user, kind="assignment"
                    )
                )
            if stage != Stage.COURT or steps[-1][0] != "verdict":
                # Open limits: one reminder per open proceeding (detention or P-19 or stalled).
                clock = rng.choice([Clock.DETENTION, Clock.P19_COMPLETION, Clock.STALLED])
                reminders.append(
                    Reminder(
                        proceeding=p,
                        user=prosecutor,
                        clock=clock,
                        started_on=last,
                        due_on=today + timedelta(days=rng.randrange(-20, 30)),
                        raised_at=now,
                    )
                )
            else:
                perp = Perpetrator(
                    id=uuid.uuid4(),
                    code=f"PL-J-{i:07d}",
                    kind="company",
                    company_name=f"PT Bench {i}",
                    owner_agency=police,
                )
                perps.append(perp)
                d = Defendant(proceeding=p, perpetrator=perp)
                defendants.append(d)
                ch = Charge(defendant=d, law=Law.UU_21_2007, article="2_1", recorded_by=jaksa)
                charges.append(ch)
                sentences.append(
                    Sentence(
                        charge=ch,
                        prison_months=rng.randrange(12, 120),
                        prison_flag=rng.choice([RangeFlag.WITHIN, RangeFlag.BELOW]),
                        fine_flag=RangeFlag.WITHIN,
                        restitution_ordered=True,
                        restitution_amount=25_000_000,
                        recorded_by=jaksa,
                    )
                )
                restitutions.append(
                    Restitution(
                        proceeding=p,
                        victim_id=None,
                        state=rng.choice(
                            [RestitutionState.AWARDED, RestitutionState.PAID, RestitutionState.DUE]
                        ),
                        awarded_total=25_000_000,
                        created_by=jaksa,
                    )
                )
            mine += own
        Case.objects.bulk_create(cases)
        Proceeding.objects.bulk_create(procs)
        ProceedingEvent.objects.bulk_create(events, batch_size=10_000)
        AccessGrant.objects.bulk_create(grants)
        Reminder.objects.bulk_create(reminders)
        Perpetrator.objects.bulk_create(perps)
        Defendant.objects.bulk_create(defendants)
        Charge.objects.bulk_create(charges)
        Sentence.objects.bulk_create(sentences)
        _restitutions(restitutions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "seconds": time.perf_counter() - t0,
        "proceedings": Proceeding.objects.count(),
        "events": ProceedingEvent.objects.count(),
        "mine": mine,
        "my_reminders": Reminder.objects.filter(user=jaksa, done_at__isnull=True).count(),
    }


def existing() -> dict:
    """The figures of a database kept by an earlier `--keep` run (migrated to this code)."""
    from django.core.management import call_command

    from simpul.accounts.models import User
    from simpul.justice.models import Proceeding, ProceedingEvent, Reminder

    call_command("migrate", verbosity=0)
    jaksa = User.objects.get(username="jaksa.sambas")
    return {
        "seconds": 0.0,
        "proceedings": Proceeding.objects.count(),
        "events": ProceedingEvent.objects.count(),
        "mine": Proceeding.objects.filter(prosecutor=jaksa).count(),
        "my_reminders": Reminder.objects.filter(user=jaksa, done_at__isnull=True).count(),
    }


def _restitutions(rows: list) -> None:
    """Restitution needs a victim: the case's victim is not seeded here, so each row takes the
    first person of the demo world (the statistics count rows, never names)."""
    from simpul.identity.models import Person
    from simpul.justice.models import Restitution

    victim = Person.objects.order_by("code").first()
    for r in rows:
        r.victim = victim
    Restitution.objects.bulk_create(rows)


def signed_in(username: str) -> str:
    """The protection benchmark's session cookie; a role without a second factor gets a
    device first (the cookie names one), which only makes its session more verified."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from simpul.accounts.models import User

    user = User.objects.get(username=username)
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench", "confirmed": True})
    return protection.session_cookie(username)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proceedings", type=int, default=50_000)
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
    info = existing() if args.reuse else seed(args.proceedings)
    print(f"seeded {info}", file=sys.stderr)
    from simpul.justice.actions import refresh_statistics

    job = refresh_statistics()
    print(f"statistics job: {job.seconds:.1f} s", file=sys.stderr)
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
        plans = {
            "deadline list (prosecutor)": (
                signed_in("jaksa.sambas"),
                ["/justice/deadlines/"],
            ),
            "justice statistics (task force)": (
                signed_in("gt.kalbar"),
                ["/justice/statistics/"],
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
        f"\n### {info['proceedings']:,} proceedings, {info['events']:,} events (seeded in "
        f"{info['seconds']:.0f} s); the prosecutor has {info['mine']} proceedings and "
        f"{info['my_reminders']} open reminders; {args.users} users, gunicorn {args.workers} "
        f"workers, {args.seconds:.0f} s per run; the statistics job took {job.seconds:.1f} s; "
        f"load {os.getloadavg()[0]:.1f}\n"
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
