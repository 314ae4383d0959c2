"""Every role's home page shows its waiting work as counts linking to the lists, and the
navigation offers only what the role does (derived from roles and permissions)."""

import re

import pytest
from django.urls import reverse

from simpul.accounts.models import Agency, User
from simpul.identity.actions import create_person
from simpul.identity.data import IdentityData
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.models import Channel
from simpul.screening.actions import decide_status, screen

FLAGGED = {
    "act_recruitment": True,
    "means_deception": True,
    "purpose_exploitation_resulted": True,
    "age_at_act": 30,
}
NOT_INDICATED = {"age_at_act": 30}

# What the main navigation of each demo role links to, in order.
NAV = {
    "operator.sambas": [
        "/",
        "/intake/queue/",
        "/intake/",
        "/screening/",
        "/persons/",
        "/linkage/alerts/",
    ],
    "pekerja.sambas": [
        "/",
        "/intake/",
        "/screening/",
        "/cases/",
        "/cases/referrals/",
        "/reintegration/",
        "/persons/",
        "/linkage/alerts/",
    ],
    "supervisor.sambas": [
        "/",
        "/intake/queue/",
        "/intake/",
        "/screening/",
        "/cases/",
        "/cases/referrals/",
        "/reintegration/",
        "/persons/",
        "/migration/",
        "/linkage/alerts/",
        "/linkage/review/",
        "/justice/companies/",
        "/prevention/",
    ],
    "pekerja.tpi": [
        "/",
        "/intake/",
        "/screening/",
        "/cases/",
        "/cases/referrals/",
        "/reintegration/",
        "/persons/",
        "/linkage/alerts/",
    ],
    "shelter.tpi": ["/", "/cases/", "/cases/referrals/", "/persons/", "/shelters/"],
    "desa.sebunga": [
        "/",
        "/intake/",
        "/persons/",
        "/migration/",
        "/linkage/alerts/",
        "/justice/companies/",
        "/prevention/",
    ],
    "pos.aruk": [
        "/",
        "/intake/",
        "/screening/",
        "/persons/",
        "/migration/",
        "/linkage/alerts/",
        "/justice/companies/",
    ],
    "polisi.sambas": [
        "/",
        "/cases/",
        "/cases/referrals/",
        "/justice/",
        "/persons/",
        "/justice/companies/",
    ],
    "jaksa.sambas": [
        "/",
        "/cases/",
        "/cases/referrals/",
        "/justice/",
        "/persons/",
        "/justice/companies/",
    ],
    "gt.kalbar": [
        "/",
        "/shelters/occupancy/",
        "/reintegration/cohorts/",
        "/migration/statistics/",
        "/cases/coordination/",
        "/linkage/statistics/",
        "/justice/statistics/",
        "/justice/companies/",
        "/prevention/",
    ],
    "analis.kepri": [
        "/",
        "/shelters/occupancy/",
        "/reintegration/cohorts/",
        "/migration/statistics/",
        "/cases/coordination/",
        "/linkage/statistics/",
        "/justice/statistics/",
    ],
    "admin.sambas": ["/", "/accounts/agencies/"],
    "sysadmin": ["/", "/accounts/agencies/", "/audit/", "/jobs/", "/backups/"],
}

# The waiting work on each role's home page, as (key, count), in the order shown, in a world
# where the Sambas case worker screened three people: one flagged and undecided, one flagged
# and decided, one not indicated.
WORK = {
    "operator.sambas": [
        ("intake.waiting_triage", 2),  # urgent (immediate danger): shown first
        ("intake.triaged_not_done", 0),
        ("screening.undecided", 1),
        ("referrals.incoming", 0),
        ("migration.missing_open", 0),
    ],
    "pekerja.sambas": [
        ("screening.undecided", 1),
        ("cases.returned", 0),
        ("cases.overdue_tasks", 0),
        ("referrals.incoming", 0),
        ("migration.missing_open", 0),
        ("reintegration.overdue_visits", 0),
        ("shelters.handovers_to_acknowledge", 0),
    ],
    "supervisor.sambas": [
        ("intake.waiting_triage", 2),
        ("intake.triaged_not_done", 0),
        ("screening.undecided", 1),
        ("cases.awaiting_approval", 0),
        ("cases.unassigned", 0),
        ("cases.returned", 0),
        ("cases.overdue_tasks", 0),
        ("referrals.incoming", 0),
        ("referrals.overdue_outgoing", 0),
        ("migration.missing_open", 0),
        ("reintegration.awaiting_approval", 0),
        ("reintegration.overdue_visits", 0),
        ("shelters.handovers_to_acknowledge", 0),
        ("shelters.handovers_late", 0),
    ],
    "pekerja.tpi": [
        ("screening.undecided", 0),
        ("cases.returned", 0),
        ("cases.overdue_tasks", 0),
        ("referrals.incoming", 0),
        ("migration.missing_open", 0),
        ("reintegration.overdue_visits", 0),
        ("shelters.handovers_to_acknowledge", 0),
    ],
    "shelter.tpi": [
        ("cases.overdue_tasks", 0),
        ("referrals.incoming", 0),
        ("shelters.admissions_waiting", 0),
        ("shelters.reviews_due", 0),
        ("shelters.documents_after_exit", 0),
        ("shelters.residents", 0),
        ("shelters.handovers_to_acknowledge", 0),
    ],
    "desa.sebunga": [
        ("referrals.incoming", 0),
        ("migration.missing_open", 0),
        ("migration.checkins_overdue", 0),
    ],
    "pos.aruk": [
        ("screening.undecided", 0),
        ("referrals.incoming", 0),
        ("migration.returns_unscreened", 0),
    ],
    "polisi.sambas": [
        ("cases.overdue_tasks", 0),
        ("referrals.incoming", 0),
        ("justice.deadlines", 0),
        ("justice.stalled", 0),
    ],
    "jaksa.sambas": [
        ("cases.overdue_tasks", 0),
        ("referrals.incoming", 0),
        ("justice.deadlines", 0),
        ("justice.stalled", 0),
        ("justice.hearings", 0),
    ],
    "gt.kalbar": [],
    "analis.kepri": [],
    "admin.sambas": [],
    "sysadmin": [("backups.drill_overdue", 1)],  # no restore drill in a fresh world
}


def _nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', html, re.S)
    assert nav is not None
    return re.findall(r'href="([^"]+)"', nav.group(1))


def _work(html: str) -> list[tuple[str, int, str]]:
    return [
        (key, int(count), url)
        for key, count, url in re.findall(
            r'<li data-work="([^"]+)" data-count="(\d+)"[^>]*><a href="([^"]+)"', html
        )
    ]


@pytest.fixture
def screened(world):
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    flagged, decided, clear = Person.objects.filter(owner_agency=agency).order_by("pk")[:3]
    undecided = screen(worker, flagged, FLAGGED)
    done = screen(worker, decided, FLAGGED)
    decide_status(worker, done, status="PossibleVictimOfTrafficking", decision_org="Police")
    screen(worker, clear, NOT_INDICATED)
    # Two new reports at the Sambas UPTD PPA, one with someone in immediate danger.
    operator = User.objects.get(username="operator.sambas")
    for danger in (True, False):
        record_intake(
            operator,
            IntakeDetails(channel=Channel.HOTLINE, narrative="Laporan", immediate_danger=danger),
            owner_agency=agency,
        )
    return undecided


def test_the_navigation_offers_only_what_each_role_does_and_every_link_opens(screened, signed_in):
    for username, expected in NAV.items():
        client = signed_in(username)
        html = client.get("/").content.decode()
        links = _nav_links(html)
        assert links == expected, username
        for url in links[1:]:
            assert client.get(url, follow=True).status_code == 200, (username, url)
    # No migration register for a prosecutor, no triage queue for anyone who never triages.
    assert "/migration/" not in NAV["jaksa.sambas"]
    assert [u for u, links in NAV.items() if "/intake/queue/" in links] == [
        "operator.sambas",
        "supervisor.sambas",
    ]


def test_every_role_home_page_shows_its_waiting_work_linking_to_the_lists(screened, signed_in):
    for username, expected in WORK.items():
        client = signed_in(username)
        html = client.get("/").content.decode()
        shown = _work(html)
        assert [(key, count) for key, count, _ in shown] == expected, username
        if not expected:
            # Roles that never triage, approve or receive: no empty "waiting" section at all.
            assert 'id="waiting-work"' not in html, username
        for key, count, url in shown:
            page = client.get(url.replace("&amp;", "&"))
            assert page.status_code == 200, (username, key, url)
            if key == "intake.waiting_triage":
                assert 'class="urgent"' in html
            if key == "screening.undecided":
                rows = re.findall(r'<tr data-result="([^"]+)"', page.content.decode())
                assert len(rows) == count, username
                if count:
                    assert rows == [str(screened.pk)]


def test_the_screening_list_filters_pages_and_keeps_its_query_count(screened, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in("supervisor.sambas")
    url = reverse("screening:list")
    rows = re.findall(r'<tr data-result="', client.get(url).content.decode())
    assert len(rows) == 3
    flagged = client.get(url, {"result": "likely_victim"}).content.decode()
    assert len(re.findall(r'<tr data-result="', flagged)) == 2
    decided = client.get(url, {"decision": "decided"}).content.decode()
    assert len(re.findall(r'<tr data-result="', decided)) == 1
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    worker = User.objects.get(username="pekerja.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    for name in ("Sri Wahyuni", "Ani Rahayu", "Lina Marlina", "Eka Putri"):
        person = create_person(
            worker, IdentityData(full_name=name), owner_agency=agency, scope_region=None
        )[0]
        screen(worker, person, FLAGGED)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert len(re.findall(r'<tr data-result="', page.content.decode())) == 7
    assert len(many) == len(few)
