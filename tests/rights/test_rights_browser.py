"""The case worker records a victim's right from the case page in a real browser (Indonesian
locale): informed, wanted and requested, then fulfilled by the case's referral."""

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from simpul.rights.choices import Right, RightStatus
from simpul.rights.models import VictimRight
from tests.browser.helpers import screenshot, sign_in_page
from tests.shelters.helpers import accepted_shelter_referral

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_right_recorded_from_the_case_page(live_server, world, browser: Browser):
    base = live_server.url
    referral, person = accepted_shelter_referral()
    today = timezone.localdate().isoformat()
    page = sign_in_page(browser, base, "pekerja.sambas")
    page.goto(f"{base}/cases/{referral.case_id}/")
    row = page.locator(f'#rights tr[data-right="{Right.RETURN}"]')
    expect(row).to_have_attribute("data-status", RightStatus.NOT_INFORMED)
    row.locator("a").click()
    form = page.locator("#right-form")
    form.locator("input[name=informed_on]").fill(today)
    form.locator("select[name=wanted]").select_option("yes")
    form.locator("input[name=requested_on]").fill(today)
    form.locator("input[name=fulfilled_on]").fill(today)
    form.locator("button[type=submit]").click()
    # Fulfilled without saying by what: refused, everything typed kept.
    expect(page.locator("#right-form .error, #right-form [role=alert]").first).to_be_visible()
    expect(form.locator("input[name=requested_on]")).to_have_value(today)
    assert VictimRight.objects.count() == 0
    form.locator("select[name=link]").select_option(f"referral:{referral.pk}")
    screenshot(page, "right-form")
    form.locator("button[type=submit]").click()
    row = page.locator(f'#rights tr[data-right="{Right.RETURN}"]')
    expect(row).to_have_attribute("data-status", RightStatus.FULFILLED)
    screenshot(page, "case-rights")
    saved = VictimRight.objects.get()
    assert (saved.person_id, saved.link_kind, saved.link_id) == (
        person.pk,
        "referral",
        str(referral.pk),
    )
