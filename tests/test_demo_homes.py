"""Every demo account finds work on its home page and something in every list it may open.

The full demo (`load_demo` and `load_prevention_demo`, as `make demo-data` runs them) is built
once for the module inside a transaction rolled back at the end; each test signs in through
the real pages (password, second factor, agreement) and reads what a person would see.
"""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from simpul.demo.world import demo_user_list
from simpul.screening.models import RuleSet
from simpul.screening.rulesets import install_shipped_rulesets
from tests.conftest import sign_in
from tests.factories import load_region_slice
from tests.web.test_words_not_codes import assert_words_only

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# The list pages, each with what marks one record in it.
LISTS = {
    "intake": ("/intake/", rf'href="/intake/{UUID}/"'),
    "cases": ("/cases/", rf'href="/cases/{UUID}/"'),
    "tasks": ("/cases/tasks/", rf'href="/cases/{UUID}/'),
    "referrals_in": ("/cases/referrals/?direction=in", r"data-referral="),
    "referrals_out": ("/cases/referrals/?direction=out", r"data-referral="),
    "screening": ("/screening/", rf'href="/screening/{UUID}/"'),
    "departures": ("/migration/departures/", rf'href="/migration/departures/{UUID}/"'),
    "checkins": ("/migration/checkins/", rf'href="/migration/departures/{UUID}/'),
    "missing": ("/migration/missing/", rf'href="/migration/missing/{UUID}/"'),
    "returns": ("/migration/returns/", rf'href="/migration/returns/{UUID}/"'),
    "screenings": ("/migration/screenings/", rf'href="/migration/screenings/{UUID}/"'),
    "pairs": ("/linkage/review/", r'href="/linkage/review/\d+/"'),
    "alerts": ("/linkage/alerts/", r"data-kind="),
    "runs": ("/linkage/runs/", r'href="/linkage/runs/\d+/"'),
    "prevention": ("/prevention/events/", rf'href="/prevention/events/{UUID}/"'),
    "stays": ("/shelters/stays/", r'<tr data-stay="'),
    "handovers": ("/shelters/handovers/", r'<tr data-handover="'),
    "proceedings": ("/justice/", r'<tr data-code="'),
    "deadlines": ("/justice/deadlines/", r'<tr data-clock="'),
}

# Per account: the waiting work its home page counts (every item with something waiting), and
# the lists it opens that must show records. Every other list it opens may be empty; a list
# it may not open is refused (403), never shown empty by mistake.
EXPECTED: dict[str, tuple[dict[str, int], set[str]]] = {
    "operator.sambas": (
        {"intake.waiting_triage": 3, "intake.triaged_not_done": 1, "screening.undecided": 1},
        {"intake", "cases", "tasks", "screening", "stays"},
    ),
    "pekerja.sambas": (
        {
            "cases.returned": 1,
            "cases.overdue_tasks": 1,
            "screening.undecided": 1,
            "shelters.handovers_to_acknowledge": 1,
        },
        {"intake", "cases", "tasks", "referrals_out", "screening", "handovers"},
    ),
    "supervisor.sambas": (
        {
            "intake.waiting_triage": 3,
            "intake.triaged_not_done": 1,
            "screening.undecided": 1,
            "cases.awaiting_approval": 3,
            "cases.overdue_tasks": 2,
            "shelters.handovers_to_acknowledge": 1,
        },
        {
            "intake",
            "cases",
            "tasks",
            "referrals_out",
            "screening",
            "pairs",
            "runs",
            "stays",
            "handovers",
        },
    ),
    "pekerja.tpi": ({"referrals.incoming": 1}, {"intake", "cases", "referrals_in"}),
    "shelter.tpi": (
        {
            "referrals.incoming": 1,
            "shelters.admissions_waiting": 1,
            "shelters.reviews_due": 1,
            "shelters.documents_after_exit": 1,
            "shelters.residents": 2,
        },
        {"cases", "referrals_in", "stays", "handovers"},  # the case it accepted for shelter
    ),
    "desa.sebunga": (
        {"migration.missing_open": 1, "migration.checkins_overdue": 1, "linkage.alerts_open": 1},
        {"intake", "departures", "checkins", "missing", "returns", "alerts", "prevention"},
    ),
    "pos.aruk": (
        {"migration.returns_unscreened": 5},
        {"intake", "returns", "screenings"},
    ),
    "polisi.sambas": (
        {"cases.overdue_tasks": 1, "justice.deadlines": 2, "justice.stalled": 1},
        {"cases", "tasks", "referrals_in", "proceedings", "deadlines"},
    ),
    "jaksa.sambas": (
        {"referrals.incoming": 1, "justice.deadlines": 2, "justice.stalled": 1},
        {"cases", "referrals_in", "proceedings", "deadlines"},  # the two sisters' case
    ),
    "gt.kalbar": ({}, {"prevention"}),
    "analis.kepri": ({}, {"prevention"}),
    "admin.sambas": ({}, set()),
    "sysadmin": ({"backups.drill_overdue": 1}, set()),
}

# A few lists whose exact length the demo promises (README, demo section).
EXACT = {
    ("supervisor.sambas", "pairs"): 3,
    ("supervisor.sambas", "runs"): 1,
    ("desa.sebunga", "departures"): 7,
    ("desa.sebunga", "checkins"): 1,  # the list opens on the overdue ones
    ("desa.sebunga", "alerts"): 1,
    ("pos.aruk", "returns"): 6,
    ("jaksa.sambas", "referrals_in"): 2,  # the case waiting for an answer, the sisters' case
    ("shelter.tpi", "stays"): 2,  # the list opens on the residents here now
    ("supervisor.sambas", "stays"): 1,  # the rumah aman its agency runs
    ("pekerja.sambas", "handovers"): 1,  # sent by the RPTC, waiting for acknowledgement
    ("shelter.tpi", "handovers"): 1,
    ("polisi.sambas", "proceedings"): 3,  # one at P-19, one stalled, one final (restitution)
    ("jaksa.sambas", "proceedings"): 3,
    ("polisi.sambas", "deadlines"): 2,  # completing the file after P-19, the stalled file
    ("jaksa.sambas", "deadlines"): 2,  # the LPSK decision, the stalled file
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The full demo, built once; rolled back after the module's last test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cache.clear()
            install_shipped_rulesets(RuleSet)
            load_region_slice(["61.01", "21.72", "53.71"])
            from django.conf import settings

            demo_mode, settings.DEMO_MODE = settings.DEMO_MODE, True
            try:
                call_command("load_demo", verbosity=0)
                call_command("load_prevention_demo", verbosity=0)
            finally:
                settings.DEMO_MODE = demo_mode
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def waiting_work(page: str) -> dict[str, int]:
    """The home page's items with something waiting: key -> count."""
    found = re.findall(r'data-work="([^"]+)" data-count="(\d+)"', page)
    return {key: int(count) for key, count in found if int(count)}


def test_every_demo_account_is_in_the_table():
    assert sorted(EXPECTED) == sorted(u["username"] for u in demo_user_list())


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_home_page_counts_the_work_waiting(demo, username):
    client = sign_in(Client(), username)
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert_words_only(page, f"home of {username}")
    work, lists = EXPECTED[username]
    assert waiting_work(page) == work
    opened = {}
    for name, (url, marker) in LISTS.items():
        response = client.get(url)
        assert response.status_code in (200, 403), (username, url, response.status_code)
        if response.status_code == 403:
            continue
        listing = response.content.decode()
        assert_words_only(listing, f"{url} for {username}")
        opened[name] = len(re.findall(marker, listing))
    assert {name for name, count in opened.items() if count} == lists
    for (account, name), count in EXACT.items():
        if account == username:
            assert opened[name] == count, (username, name)


@pytest.mark.django_db
def test_the_alert_shows_its_date_as_every_other_page_does(demo):
    """Dates read the same everywhere ("1 Des. 2026"); the alert list said "01-12-2026"."""
    from django.utils import formats, translation

    from simpul.linkage.models import LinkageAlert

    alert = LinkageAlert.objects.get(agency__name="Pemerintah Desa Sebunga")
    page = sign_in(Client(), "desa.sebunga").get("/linkage/alerts/").content.decode()
    with translation.override("id"):
        expected = formats.date_format(alert.source_date, "DATE_FORMAT")
    assert f"<dd>{expected}</dd>" in page


@pytest.mark.django_db
def test_the_demo_reintegration_plan_shows_a_setback(demo):
    from simpul.cases.models import PlanItem
    from simpul.reintegration.models import ReintegrationPlan

    plan = ReintegrationPlan.objects.get()
    assert (plan.status, plan.case.stage) == ("active", "monitoring")
    visits = {v.month: v for v in plan.visits.all()}
    assert sorted(visits) == [0, 3, 6, 12]
    assert visits[0].setbacks == []
    assert visits[3].setbacks == ["composite_drop", "low_dimension"]
    assert visits[3].composite < visits[0].composite
    task = PlanItem.objects.get(pk=visits[3].review_task_id)
    assert (task.assigned_to.username, task.done_at) == ("pekerja.sambas", None)
    client = sign_in(Client(), "pekerja.sambas")
    page = client.get(f"/reintegration/plans/{plan.pk}/")
    assert page.status_code == 200
    assert_words_only(page.content.decode(), "the demo reintegration plan")
