"""The accompanied return in a real browser: a resident checked out with "returned home" → the
handover drafted with her passport and sent → a case worker of the origin regency's UPTD PPA
signs in, acknowledges it, and downloads the berita acara as a PDF."""

import pytest
from playwright.sync_api import Browser, expect

from simpul.accounts.models import Agency
from simpul.shelters import actions
from simpul.shelters.codes import HandoverStatus, StayStatus
from simpul.shelters.models import CustodyDocument, Handover
from tests.browser.helpers import screenshot, sign_in_page, t
from tests.shelters.helpers import accepted_shelter_referral, make_shelter, officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_check_out_to_handover_acknowledged_by_the_uptd_ppa(live_server, world, browser: Browser):
    base = live_server.url
    referral, _person = accepted_shelter_referral()
    [stay] = actions.plan_stay_from_referral(officer(), referral, make_shelter(beds=5))
    stay = actions.check_in(officer(), stay, consent_basis="own")
    passport = actions.receive_document(officer(), stay, document_type="passport", consent=True)
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")

    page = sign_in_page(browser, base, "shelter.tpi")
    page.goto(f"{base}/shelters/stays/{stay.pk}/")
    page.locator("#checkout-form select[name=exit_reason]").select_option("returned_home")
    page.locator("#checkout-form button[type=submit]").click()
    form = page.locator("#handover-form")
    expect(form).to_be_visible()
    form.locator("select[name=to_agency]").select_option(str(sambas.pk))
    form.locator("input[name=place]").fill("Kantor UPTD PPA Kabupaten Sambas")
    form.locator(f'input[name=escort_users][value="{officer().pk}"]').check()
    form.locator(f'input[name=custody_ids][value="{passport.pk}"]').check()
    form.locator('input[name=other_documents][value="travel"]').check()
    screenshot(page, "handover-form")
    form.get_by_role("button", name=t("Save the draft")).click()
    expect(page.locator("#handover-status")).to_have_attribute("data-status", HandoverStatus.DRAFT)
    page.locator("#send-form button[type=submit]").click()
    expect(page.locator("#handover-status")).to_have_attribute("data-status", HandoverStatus.SENT)
    handover = Handover.objects.get()
    assert CustodyDocument.objects.get(pk=passport.pk).returned_at == handover.sent_at

    worker = sign_in_page(browser, base, "pekerja.sambas")
    work = worker.locator('[data-work="shelters.handovers_to_acknowledge"]')
    expect(work).to_have_attribute("data-count", "1")
    worker.goto(f"{base}/shelters/handovers/?direction=in")
    worker.locator(f'tr[data-handover="{handover.pk}"] a').click()
    screenshot(worker, "handover-to-acknowledge")
    worker.locator("#acknowledge-form button[type=submit]").click()
    expect(worker.locator("#handover-status")).to_have_attribute(
        "data-status", HandoverStatus.ACKNOWLEDGED
    )
    with worker.expect_download() as download:
        worker.locator("#handover-pdf").click()
    path = download.value.path()
    content = path.read_bytes()
    assert content.startswith(b"%PDF")
    assert referral.case.code.encode() in content
    assert download.value.suggested_filename == f"{handover.code}.pdf"
    handover.refresh_from_db()
    stay.refresh_from_db()
    assert (handover.status, stay.status) == (HandoverStatus.ACKNOWLEDGED, StayStatus.CHECKED_OUT)
