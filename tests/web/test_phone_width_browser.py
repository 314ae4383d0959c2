"""The main list pages fit a 390-px phone: the page itself never scrolls sideways (wide tables
scroll inside their own box or stack their rows)."""

import pytest
from playwright.sync_api import Browser

from simpul.accounts.models import Agency, User
from simpul.identity.models import Person
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.models import Channel
from simpul.prevention.starter import ensure_starter_data
from simpul.screening.actions import screen
from tests.browser.helpers import sign_in_page
from tests.prevention.conftest import make_event

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}

PAGES = {
    "supervisor.sambas": [
        "/",
        "/intake/",
        "/intake/queue/",
        "/screening/",
        "/cases/",
        "/cases/referrals/",
        "/persons/",
        "/migration/",
        "/migration/returns/",
        "/linkage/alerts/",
        "/linkage/review/",
        "/prevention/events/",
        "/prevention/coverage/?area=61.01.09",
    ],
    "gt.kalbar": ["/", "/migration/statistics/", "/cases/coordination/", "/linkage/statistics/"],
    "sysadmin": ["/", "/accounts/agencies/", "/audit/", "/jobs/"],
}


def _some_work() -> None:
    # The question bank comes from a data migration, which an earlier transactional test's
    # flush empties (as in tests/prevention/test_journey_browser.py).
    ensure_starter_data()
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    worker = User.objects.get(username="pekerja.sambas")
    operator = User.objects.get(username="operator.sambas")
    for person in Person.objects.filter(owner_agency=agency):
        screen(worker, person, {"act_recruitment": True, "d1_wages": True, "age_at_act": 30})
    for danger in (True, False):
        record_intake(
            operator,
            IntakeDetails(
                channel=Channel.HOTLINE,
                narrative="Seorang perempuan dijanjikan kerja di Kuching, paspornya ditahan.",
                immediate_danger=danger,
                place_country="MY",
            ),
            owner_agency=agency,
        )
    coordinator = User.objects.get(username="gt.kalbar")
    make_event(coordinator, Agency.objects.get(name="GT PP-TPPO Provinsi Kalimantan Barat"))


def test_the_main_list_pages_fit_a_390_px_phone(live_server, world, browser: Browser):
    _some_work()
    too_wide = []
    for username, urls in PAGES.items():
        page = sign_in_page(browser, live_server.url, username)
        page.set_viewport_size(PHONE)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response is not None and response.status == 200, (username, url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((username, url, width))
        page.context.close()
    assert too_wide == []
