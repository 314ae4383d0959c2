"""The foundation journey in a real browser: a case worker signs in with two-factor, switches
language, sees the role home page and is refused a page outside the role."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from simpul.accounts.models import User
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEvent
from tests.conftest import current_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def t(lang: str, text: str) -> str:
    with translation.override(lang):
        return gettext(text)


def test_case_worker_signs_in_with_two_factor_switches_language_and_is_refused_the_audit_page(
    live_server, world, page: Page
):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("h1")).to_have_text(t("id", "Sign in to Simpul"))

    page.get_by_label(t("id", "Username")).fill("pekerja.sambas")
    page.get_by_label(t("id", "Password")).fill("simpul-demo-2026")
    page.get_by_role("button", name=t("id", "Sign in")).click()

    expect(page.locator("h1")).to_have_text(t("id", "Enter your two-factor code"))
    user = User.objects.get(username="pekerja.sambas")
    page.get_by_label(t("id", "Code from your authenticator app")).fill(current_code(user))
    page.get_by_role("button", name=t("id", "Verify")).click()

    expect(page.locator("h1")).to_have_text(t("id", "Confidentiality agreement"))
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=t("id", "I agree")).click()

    home = page.locator("section.role-home[data-role=case_worker]")
    expect(home.locator("h2")).to_have_text(t("id", str(Role.CASE_WORKER.label)))
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.get_by_label(t("id", "Language")).select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(home.locator("h2")).to_have_text("Case worker")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Persons")
    ).to_be_visible()

    response = page.goto(f"{live_server.url}/audit/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    assert (
        AuditEvent.objects.filter(
            action="authz.denied", actor_username="pekerja.sambas", record_id="/audit/"
        ).count()
        == 1
    )
    assert (
        AuditEvent.objects.filter(
            action="auth.otp_verified", actor_username="pekerja.sambas"
        ).count()
        == 1
    )


def test_keyboard_only_sign_in_reaches_the_home_page(live_server, world, page: Page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.type("gt.kalbar")  # the username field has focus on load
    page.keyboard.press("Tab")
    page.keyboard.type("simpul-demo-2026")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(t("id", "Confidentiality agreement"))
    page.keyboard.press("Tab")
    page.locator("input[type=checkbox]").press("Space")
    page.locator("input[type=checkbox]").press("Enter")
    expect(page.locator("section.role-home[data-role=taskforce_coordinator]")).to_be_visible()
