"""Issue 16, item 2, in a real browser: the task force registers a placement company (a
mistyped business number is refused at its field and nothing typed is lost), then records
the revocation of its licence; the village officer's departure through that company is
flagged, and the public job-offer check says the licence is revoked."""

import pytest
from playwright.sync_api import Browser, expect

from simpul.justice.models import PlacementCompany
from tests.browser.helpers import screenshot, sign_in_page, t
from tests.justice.support import ago
from tests.migration.builders import identity, register
from tests.referrals.support import user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_task_force_keeps_the_register_and_the_registry_reads_it(
    live_server, world, browser: Browser
):
    base = live_server.url
    departure = register(user("desa.sebunga"), identity(name="Siti Aminah", serial=7300))
    assert departure.placement_company == "PT Contoh Penempatan"

    gt = sign_in_page(browser, base, "gt.kalbar")
    gt.goto(f"{base}/")
    gt.get_by_role("link", name=t("Placement companies")).first.click()
    expect(gt.locator("p.count")).to_have_attribute("data-count", "0")
    gt.get_by_role("link", name=t("Register a company")).click()
    form = gt.locator("#company-form")
    form.get_by_label(t("Company name")).fill("PT Contoh Penempatan")
    form.get_by_label(t("Business number (NIB)")).fill("91200O1234567")  # a letter O
    form.get_by_label(t("Placement licence number (SIP3MI)")).fill("SIP3MI 123/2024")
    form.get_by_label(t("Source")).fill("Daftar P3MI Kemnaker, November 2026")
    form.locator("button[type=submit]").click()
    expect(gt.locator("#company-form")).to_contain_text(
        t("A business number (NIB) has digits only.")
    )
    assert PlacementCompany.objects.count() == 0
    expect(gt.get_by_label(t("Company name"))).to_have_value("PT Contoh Penempatan")
    expect(gt.get_by_label(t("Source"))).to_have_value("Daftar P3MI Kemnaker, November 2026")
    screenshot(gt, "company-register-refused")
    gt.get_by_label(t("Business number (NIB)")).fill("9120001234567")
    gt.locator("#company-form button[type=submit]").click()
    expect(gt.locator("#company")).to_have_attribute("data-status", "active")

    # The departure reads "licence active"; then the licence is revoked.
    village = sign_in_page(browser, base, "desa.sebunga")
    village.goto(f"{base}/migration/departures/{departure.id}/")
    expect(village.locator("#company-flag")).to_have_attribute("data-licence", "active")

    sanction = gt.locator("#sanction form")
    sanction.locator("select[name=kind]").select_option("revocation")
    sanction.locator("input[name=decision_number]").fill("Kep-51/PPTKLN/2026")
    sanction.locator("input[name=decided_on]").fill(ago(1).isoformat())
    sanction.locator("button[type=submit]").click()
    expect(gt.locator("#company")).to_have_attribute("data-status", "revoked")
    expect(gt.locator("#sanctions tbody tr")).to_have_count(1)
    screenshot(gt, "company-register-revoked")

    village.reload()
    expect(village.locator("#company-flag")).to_have_attribute("data-licence", "revoked")
    expect(village.locator("#company-flag")).to_have_text(t("Placement licence revoked"))
    village.goto(f"{base}/justice/companies/?status=revoked")
    expect(village.locator("#company-list tbody tr")).to_have_count(1)
    expect(village.get_by_role("link", name=t("Register a company"))).to_have_count(0)
    screenshot(village, "company-register-village")

    public = browser.new_context(locale="id-ID").new_page()
    public.goto(f"{base}/prevention/cek-tawaran-kerja/?perusahaan=PT+Contoh+Penempatan")
    expect(public.locator("[data-licence]").first).to_have_attribute("data-licence", "revoked")
