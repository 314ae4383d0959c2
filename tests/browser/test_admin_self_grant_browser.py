"""Issue 21, finding 1 in a real browser: the probe's scenario. An agency administrator tries
to give itself case supervisor in its agency, and the system administrator tries the same in
another agency; both are refused at the username, nothing is created, and neither can open a
case or reveal an identity afterwards."""

import pytest
from playwright.sync_api import Browser, Page, expect

from simpul.accounts.models import Agency, Membership
from simpul.audit.models import AuditEvent, Outcome
from simpul.identity.models import Person
from tests.browser.helpers import sign_in_page, t

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SELF = "You cannot give a role to yourself. Another administrator must do it."


def open_member_form(page: Page, base: str, agency: Agency) -> None:
    page.goto(f"{base}/accounts/agencies/")
    page.locator(f'a[href="/accounts/agencies/{agency.id}/members/new/"]').click()
    expect(page).to_have_url(f"{base}/accounts/agencies/{agency.id}/members/new/")


def try_self_grant(page: Page, username: str, role_label: str) -> None:
    page.get_by_label(t("Username")).fill(username)
    page.get_by_label(t("First name")).fill("Saya Sendiri")
    page.get_by_label(t("Role")).select_option(label=t(role_label))
    page.get_by_role("button", name=t("Save")).click()
    expect(page.locator(".field-error .errorlist")).to_have_text(t(SELF))


def post_reveal(page: Page, base: str, person: Person) -> int:
    """Submit the reveal form the way the person page does (POST with the CSRF token)."""
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([url]) => {
                const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
                const form = document.createElement('form');
                form.method = 'post';
                form.action = url;
                for (const [name, value] of [['csrfmiddlewaretoken', token],
                                             ['reason', 'Probe: checking my own access']]) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            [f"{base}/persons/{person.id}/reveal/"],
        )
    response = navigation.value
    assert response is not None
    return response.status


def assert_no_case_access(page: Page, base: str, person: Person) -> None:
    for url in ("/cases/", "/persons/", f"/persons/{person.id}/"):
        response = page.goto(f"{base}{url}")
        assert response is not None and response.status == 403, url
    page.goto(f"{base}/")
    assert post_reveal(page, base, person) == 403


def test_administrators_cannot_grant_themselves_access_to_victims(
    live_server, world, browser: Browser
):
    base = live_server.url
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    person = Person.objects.filter(owner_agency=sambas).first()
    assert person is not None
    memberships = Membership.objects.count()

    # The agency administrator tries to become case supervisor of its own agency.
    admin = sign_in_page(browser, base, "admin.sambas")
    open_member_form(admin, base, sambas)
    try_self_grant(admin, "admin.sambas", "Case supervisor")
    assert Membership.objects.count() == memberships
    assert not Membership.objects.filter(
        user__username="admin.sambas", role="case_supervisor"
    ).exists()
    assert AuditEvent.objects.filter(action="accounts.member_add").count() == 0
    assert_no_case_access(admin, base, person)

    # The system administrator tries the same in another agency: a case role is not even
    # offered, and an administrator's role for itself is refused.
    sysadmin = sign_in_page(browser, base, "sysadmin")
    open_member_form(sysadmin, base, sambas)
    offered = sysadmin.get_by_label(t("Role")).locator("option").all_inner_texts()
    assert t("Case supervisor") not in offered
    assert t("Agency administrator") in offered
    try_self_grant(sysadmin, "sysadmin", "Agency administrator")
    assert Membership.objects.count() == memberships
    assert not Membership.objects.filter(user__username="sysadmin", agency=sambas).exists()
    assert_no_case_access(sysadmin, base, person)
    # Every reveal attempt was refused, none shown.
    reveals = AuditEvent.objects.filter(action="person.reveal")
    assert reveals.count() == 2
    assert set(reveals.values_list("outcome", flat=True)) == {Outcome.DENIED}
