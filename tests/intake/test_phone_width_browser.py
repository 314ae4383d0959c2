"""Issue 12, item 12: the intake pages fit a 390-px phone without sideways scrolling of the
page, and the reporter's contact is revealed in place (HTMX, aria-live)."""

import pytest
from playwright.sync_api import Browser, expect

from simpul.accounts.models import Agency, User
from simpul.intake.actions import IntakeDetails, record_intake
from simpul.intake.models import Intake
from simpul.regions.models import Region
from tests.browser.helpers import sign_in_page, t

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_intake_pages_fit_a_phone_and_reveal_the_contact_in_place(
    live_server, world, browser: Browser
):
    operator = User.objects.get(username="operator.sambas")
    agency = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    for i in range(3):
        record_intake(
            operator,
            IntakeDetails(
                channel="referral_village",
                narrative=f"Laporan {i}",
                place_region=Region.objects.get(pk="61.01.09.2002"),
                immediate_danger=i == 0,
                child_involved=True,
            ),
            owner_agency=agency,
            reporter_contact="0813 2222 3333",
        )
    intake = Intake.objects.order_by("received_at").first()
    assert intake is not None
    page = sign_in_page(browser, live_server.url, "operator.sambas")
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ["/intake/", "/intake/queue/", f"/intake/{intake.id}/", "/intake/new/"]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    page.goto(f"{live_server.url}/intake/{intake.id}/")
    expect(page.locator('#reporter [data-field="reporter_contact"]')).to_have_text("•••• •••• ••••")
    page.get_by_label(t("Why do you need to reach the reporter?")).fill(
        "Menelpon balik pelapor untuk lokasi"
    )
    page.locator("#reporter-reveal button[type=submit]").click()
    expect(page.locator('#reporter [data-field="reporter_contact"]')).to_have_text("0813 2222 3333")
    assert "/reporter/reveal/" not in page.url  # swapped in place
