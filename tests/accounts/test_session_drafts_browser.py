"""Issue 12 item 5 in a real browser: an operator types a hotline report, the session runs out
while the form is open, the save is kept sealed, and after signing in again the text is back in
the form and saved."""

import time
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, expect

from simpul.accounts.middleware import LAST_SEEN
from simpul.accounts.models import SessionDraft, User
from simpul.identity.crypto import open_text
from simpul.intake.models import Intake
from simpul.intake.sealing import narrative_aad
from tests.browser.helpers import t
from tests.conftest import current_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARRATIVE = "Adik saya dijanjikan kerja di kebun sawit Sarawak, paspornya ditahan agen."


def _move_last_seen_back(page, minutes: int) -> None:
    """What happens when nobody touches the page for `minutes`: the server's last-seen time of
    this browser's session moves back."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    store[LAST_SEEN] = (timezone.now() - timedelta(minutes=minutes)).timestamp()
    store.save()


def _sign_in(page) -> None:
    # A two-factor code is accepted once: wait for the next one if this step's was used.
    device = TOTPDevice.objects.get(user__username="operator.sambas", confirmed=True)
    while device.last_t >= int(time.time()) // device.step:
        time.sleep(1)
    page.get_by_label(t("Username")).fill("operator.sambas")
    page.get_by_label(t("Password")).fill("simpul-demo-2026")
    page.get_by_role("button", name=t("Sign in")).click()
    user = User.objects.get(username="operator.sambas")
    page.get_by_label(t("Code from your authenticator app")).fill(current_code(user))
    page.get_by_role("button", name=t("Verify")).click()
    page.wait_for_load_state()
    if "/accounts/agreement/" in page.url:
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name=t("I agree")).click()


def test_the_text_typed_before_an_idle_timeout_is_restored_after_signing_in_and_saved(
    live_server, world, browser: Browser
):
    base = live_server.url
    page = browser.new_context(locale="id-ID").new_page()
    page.set_default_timeout(60_000)  # a shared, busy test machine
    page.goto(f"{base}/intake/new/")
    _sign_in(page)
    expect(page).to_have_url(f"{base}/intake/new/")
    page.get_by_label(t("What happened?")).fill(NARRATIVE)
    page.get_by_label(t("Caller's name")).fill("Ibu Maria")
    page.get_by_label(t("Caller's phone")).fill("081298765432")
    page.locator("h1").click()  # leave the field: the form's own autosave runs and settles
    expect(page.locator("#draft-status")).not_to_be_empty()
    page.wait_for_load_state("networkidle")
    intakes_before = Intake.objects.count()

    _move_last_seen_back(page, settings.SESSION_IDLE_MINUTES + 1)
    page.get_by_role("button", name=t("Save report")).click()

    # Signed out, on the sign-in page that says why and that the text was kept.
    expect(page.locator("#session-ended")).to_have_text(
        t("You were signed out after a period without activity. Sign in again.")
    )
    expect(page.locator("#draft-kept")).to_be_visible()
    assert Intake.objects.count() == intakes_before
    draft = SessionDraft.objects.get()
    assert draft.path == "/intake/new/"
    assert "Sarawak" not in draft.fields_sealed

    _sign_in(page)

    # Back on the form, never a 404, with everything typed.
    expect(page).to_have_url(f"{base}/intake/new/")
    expect(page.locator("#draft-restored")).to_be_visible()
    expect(page.get_by_label(t("What happened?"))).to_have_value(NARRATIVE)
    expect(page.get_by_label(t("Caller's name"))).to_have_value("Ibu Maria")
    expect(page.get_by_label(t("Caller's phone"))).to_have_value("081298765432")
    assert SessionDraft.objects.count() == 0

    page.get_by_role("button", name=t("Save report")).click()
    expect(page).to_have_url(f"{base}/intake/{Intake.objects.latest('received_at').id}/")
    assert Intake.objects.count() == intakes_before + 1
    saved = Intake.objects.latest("received_at")
    assert open_text(saved.narrative_sealed, narrative_aad(saved.id)) == NARRATIVE
