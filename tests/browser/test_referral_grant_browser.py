"""Issue 21, finding 2, the probe in a real browser: the owner refers a case with "services"
only; the receiver accepts, cannot edit the case, cannot see the victim, cannot refer on with
the identity; the third agency it refers on to never gets to reveal the victim."""

import pytest
from playwright.sync_api import Browser, Page, expect

from simpul.core.models import AccessGrant
from simpul.referrals.models import Referral
from tests.browser.helpers import sign_in_page, t
from tests.referrals.support import CANARY_NAME, CANARY_NIK, canary_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POLICE = "Unit PPA Polres Sambas"
PROSECUTOR = "Kejaksaan Negeri Sambas"


def _open_referral_step(page: Page) -> None:
    if not page.locator("#step-referral").is_visible():
        page.locator("#wrap-referral > summary").click()
    expect(page.locator("#step-referral form")).to_be_visible()


def _accept(page: Page, base: str, code: str) -> None:
    page.goto(f"{base}/cases/")
    row = page.locator(f'#incoming-referrals tr[data-case="{code}"]')
    row.get_by_label(t("Accept")).check()
    row.get_by_role("button", name=t("Send answer")).click()
    expect(page.locator("#case-stage")).to_be_visible()


def _no_victim(page: Page, person) -> None:
    body = page.content()
    for secret in [CANARY_NAME, CANARY_NIK, person.code, person.masked_name]:
        assert secret not in body, secret


def test_a_services_referral_cannot_be_passed_on_with_the_identity(
    live_server, world, browser: Browser
):
    base = live_server.url
    case, person = canary_case()

    # The owner's case worker refers the case to the police with "services" only.
    worker = sign_in_page(browser, base, "pekerja.sambas")
    worker.goto(f"{base}/cases/{case.id}/")
    _open_referral_step(worker)
    worker.locator("#step-referral select[name=to_agency]").select_option(label=POLICE)
    worker.locator("#step-referral input[name=reason]").fill("Pendampingan layanan")
    worker.locator("#step-referral").get_by_label(t("Services delivered")).check()
    worker.locator("#step-referral button[type=submit]").click()
    expect(worker.locator("#referrals")).to_contain_text(POLICE)
    assert list(Referral.objects.values_list("sections", "receiver_acts")) == [
        (["services"], False)
    ]

    # The police accept; they see the case but no victim and no form that edits the case.
    police = sign_in_page(browser, base, "polisi.sambas")
    _accept(police, base, case.code)
    _no_victim(police, person)
    for step in ["assessment", "details", "consent", "closure"]:
        expect(police.locator(f"#step-{step}")).to_have_count(0)
        expect(police.locator(f"#wrap-{step}")).to_have_count(0)
    # The case is in the police's scope, so its owner step is refused (403, with the owner's
    # name) rather than hidden; either way no victim is shown.
    response = police.goto(f"{base}/cases/{case.id}/step/consent/")
    assert response is not None and response.status == 403
    _no_victim(police, person)

    # Referring on: the identity is not offered, and a forged post with it is refused.
    police.goto(f"{base}/cases/{case.id}/")
    _open_referral_step(police)
    expect(police.locator("#step-referral").get_by_label(t("Victim identity"))).to_have_count(0)
    token = police.locator("#step-referral input[name=csrfmiddlewaretoken]").input_value()
    grants_before = AccessGrant.objects.count()
    forged = police.request.post(
        f"{base}/cases/{case.id}/step/referral/",
        form={
            "csrfmiddlewaretoken": token,
            "to_agency": str(case.owner_agency.__class__.objects.get(name=PROSECUTOR).pk),
            "reason": "Lanjut ke kejaksaan",
            "sections": "identity",
        },
        headers={"Referer": f"{base}/cases/{case.id}/"},
    )
    assert forged.status == 422
    assert Referral.objects.count() == 1 and AccessGrant.objects.count() == grants_before

    # With what they were shown, the police refer on to the prosecutor.
    police.locator("#step-referral select[name=to_agency]").select_option(label=PROSECUTOR)
    police.locator("#step-referral input[name=reason]").fill("Lanjut ke kejaksaan")
    police.locator("#step-referral").get_by_label(t("Services delivered")).check()
    police.locator("#step-referral button[type=submit]").click()
    expect(police.locator("#referrals")).to_contain_text(PROSECUTOR)

    # The prosecutor accepts and still never reaches the victim.
    prosecutor = sign_in_page(browser, base, "jaksa.sambas")
    _accept(prosecutor, base, case.code)
    _no_victim(prosecutor, person)
    response = prosecutor.goto(f"{base}/persons/{person.id}/")
    assert response is not None and response.status == 404
    _no_victim(prosecutor, person)
    prosecutor.goto(f"{base}/cases/{case.id}/")
    token = prosecutor.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    reveal = prosecutor.request.post(
        f"{base}/persons/{person.id}/reveal/",
        form={"csrfmiddlewaretoken": token, "reason": "ingin melihat identitas korban"},
        headers={"Referer": f"{base}/cases/{case.id}/"},
    )
    assert reveal.status == 404
    assert CANARY_NAME not in reveal.text() and CANARY_NIK not in reveal.text()
