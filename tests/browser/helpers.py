"""Signing in through the real pages in a browser context of its own; screenshots."""

from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from simpul.accounts.models import User
from tests.conftest import current_code


def t(text: str, lang: str = "id") -> str:
    with translation.override(lang):
        return gettext(text)


def sign_in_page(browser: Browser, base_url: str, username: str, timeout_ms: int = 15_000) -> Page:
    page = browser.new_context(locale="id-ID").new_page()
    page.set_default_timeout(timeout_ms)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(t("Username")).fill(username)
    page.get_by_label(t("Password")).fill("simpul-demo-2026")
    page.get_by_role("button", name=t("Sign in")).click()
    if "/accounts/otp/" in page.url:
        user = User.objects.get(username=username)
        page.get_by_label(t("Code from your authenticator app")).fill(current_code(user))
        page.get_by_role("button", name=t("Verify")).click()
    if "/accounts/agreement/" in page.url:
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name=t("I agree")).click()
    expect(page.locator("a.brand")).to_be_visible()
    return page


SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot into var/screens/ (not committed), to look at after a run."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    target = SCREENS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def sign_in_again(page: Page, username: str) -> None:
    """Sign in on the sign-in page this page is showing (after a timeout), waiting for a fresh
    two-factor code when this time step's code was used already."""
    import time

    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    while device is not None and device.last_t >= int(time.time()) // device.step:
        time.sleep(1)
        device.refresh_from_db()
    page.get_by_label(t("Username")).fill(username)
    page.get_by_label(t("Password")).fill("simpul-demo-2026")
    page.get_by_role("button", name=t("Sign in")).click()
    page.wait_for_load_state()
    if "/accounts/otp/" in page.url:
        user = User.objects.get(username=username)
        page.get_by_label(t("Code from your authenticator app")).fill(current_code(user))
        page.get_by_role("button", name=t("Verify")).click()
        page.wait_for_load_state()
    if "/accounts/agreement/" in page.url:
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name=t("I agree")).click()
        page.wait_for_load_state()
