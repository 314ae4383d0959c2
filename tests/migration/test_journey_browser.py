"""The migration journey in a real browser, from the village to the border and back.

A village officer registers a departure with incomplete documents (non-procedural, reasons
shown), records check-ins, and the family reports the person missing. A border officer at
PLBN Aruk records the same person's return, screens them and refers them to protection in one
step. The village register then shows the return.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from simpul.accounts.models import User
from simpul.intake.models import Intake
from simpul.migration.models import Departure, MissingReport, ReturnEvent
from tests.conftest import current_code
from tests.migration.builders import nik

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def t(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(t("Username")).fill(username)
    page.get_by_label(t("Password")).fill("simpul-demo-2026")
    page.get_by_role("button", name=t("Sign in")).click()
    page.get_by_label(t("Code from your authenticator app")).fill(
        current_code(User.objects.get(username=username))
    )
    page.get_by_role("button", name=t("Verify")).click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=t("I agree")).click()
    expect(page.locator("section.role-home")).to_be_visible()


def label(page: Page, text: str):
    """The field labelled `text` (a required field's label ends with an asterisk)."""
    return page.get_by_label(re.compile(rf"^{re.escape(t(text))}( \*)?$"))


def test_departure_check_ins_missing_report_return_and_referral(
    live_server, world, page: Page, browser: Browser
):
    base = live_server.url
    today = timezone.localdate()
    born = today.replace(year=today.year - 27, month=4, day=9)
    migrant_nik = nik(born, 9601)

    # The village officer registers a departure the family reports after the fact.
    sign_in(page, base, "desa.sebunga")
    page.goto(f"{base}/migration/departures/new/")
    label(page, "Full name").fill("Theresia Anggraini")
    label(page, "NIK").fill(migrant_nik)
    label(page, "Birth date").fill(born.isoformat())
    label(page, "Already left: reported afterwards by the family").check()
    label(page, "Planned departure date").fill((today - timedelta(days=45)).isoformat())
    label(page, "Date they left (if already left)").fill((today - timedelta(days=40)).isoformat())
    label(page, "Destination country").select_option("MY")
    label(page, "Destination place").fill("Kuching, Sarawak")
    label(page, "Job").select_option("domestic")
    label(page, "Placement channel").select_option("p3mi")
    label(page, "Placement company (P3MI)").fill("PT Contoh Penempatan")
    label(page, "Company licence number (SIP3MI)").fill("SIP3MI 55/2025")
    label(page, "Recruited by").select_option("licensed_company")
    label(page, "Route").select_option("official_border")
    label(page, "Crossing point").select_option("PLBN_ARUK")
    label(page, "Travel document").select_option("visit_pass")
    label(page, "Declared purpose of travel").select_option("family_visit")
    label(page, "Passport").check()
    label(page, "Family contact: name").fill("Ibu Veronika")
    label(page, "Family contact: phone").fill("0812 1111 2222")
    page.get_by_role("button", name=t("Register"), exact=True).click()

    status = page.locator("[data-status]").first
    expect(status).to_have_attribute("data-status", "non_procedural")
    expect(status).to_have_text(t("Non-procedural"))
    reasons = page.locator("#reasons li")
    expect(reasons).to_have_count(2)
    expect(page.locator("#reasons li[data-reason=documents_missing]")).to_contain_text(
        t("Work visa")
    )
    expect(page.locator("#reasons li[data-reason=no_work_visa_document]")).to_be_visible()
    expect(page.locator("#flags")).to_contain_text(t("Tourist or visit pass used to work"))
    departure = Departure.objects.get()
    assert departure.procedural_status == "non_procedural"

    # Two check-ins: first the family says she is well, then nobody answers.
    form = page.locator("#checkin-form")
    form.get_by_label(t("Contact date")).fill((today - timedelta(days=9)).isoformat())
    form.get_by_label(t("Reached, well")).check()
    form.get_by_label(t("Spoke with")).select_option("family")
    form.get_by_role("button", name=t("Record check-in")).click()
    expect(page.locator(".messages")).to_contain_text(t("Check-in recorded."))
    form = page.locator("#checkin-form")
    form.get_by_label(t("Contact date")).fill(today.isoformat())
    form.get_by_label(t("Unreachable")).check()
    form.get_by_role("button", name=t("Record check-in")).click()
    expect(page.locator("#checkins tr[data-outcome=well]")).to_have_count(1)
    expect(page.locator("#checkins tr[data-outcome=unreachable]")).to_have_count(1)

    # The family reports her missing.
    page.get_by_role("link", name=t("Report this person missing")).click()
    label(page, "Reported by").select_option("family")
    label(page, "Last contact").fill((today - timedelta(days=9)).isoformat())
    label(page, "Last known country").select_option("MY")
    label(page, "Last known place").fill("Kuching")
    label(page, "What the family knows").fill("Majikan tidak menjawab telepon.")
    page.get_by_role("button", name=t("Open the report")).click()
    expect(page.locator("#missing-status")).to_have_attribute("data-status", "open")
    expect(page.locator("#history li")).to_have_count(1)
    report = MissingReport.objects.get()
    assert report.person_id == departure.person_id

    page.goto(f"{base}/migration/")
    expect(page.locator("#missing")).to_contain_text(report.reference)
    expect(page.locator("#away")).to_contain_text(departure.reference)

    # A border officer at PLBN Aruk records her return, in a second browser session.
    border_context = browser.new_context(locale="id-ID")
    border = border_context.new_page()
    border.set_default_timeout(15_000)
    try:
        sign_in(border, base, "pos.aruk")
        border.goto(f"{base}/migration/returns/new/")
        label(border, "Full name").fill("Theresia Anggraini")
        label(border, "NIK").fill(migrant_nik)
        label(border, "Passport or SPLP number").fill("SPLP 0420931")
        label(border, "Birth date").fill(born.isoformat())
        label(border, "Home village or area").fill("Sebunga")
        border.locator("li[role=option][data-code='61.01.09.2002']").click()
        label(border, "Arrival date").fill(today.isoformat())
        label(border, "Entry point").select_option("PLBN_ARUK")
        label(border, "Kind of return").select_option("deportation")
        label(border, "Travel document").select_option("splp")
        label(border, "Depot or detention centre").fill("Depot Imigresen Semuja")
        label(border, "Consulate or embassy").fill("KJRI Kuching")
        label(border, "Shelter").fill("Rumah Ramah")
        border.get_by_role("button", name=t("Record the return")).click()
        expect(border.locator("#return-intake")).to_have_text("—")

        screen = border.locator("#screen-form")
        screen.get_by_label(t("Passport held by the recruiter")).check()
        screen.get_by_label(t("Fees or debts owed to the recruiter")).check()
        screen.get_by_label(t("Referred to protection")).check()
        screen.get_by_label(t("Note")).fill("Upah tidak dibayar delapan bulan.")
        screen.get_by_role("button", name=t("Save screening")).click()
        expect(border.locator("#return-intake")).to_contain_text("ADU-")
    finally:
        border_context.close()

    event = ReturnEvent.objects.get()
    intake = Intake.objects.get()
    assert event.referred_intake_id == intake.id
    assert intake.owner_agency.name == "UPTD PPA Kabupaten Sambas"
    assert intake.source_type == "migration.returnevent"
    assert event.scope_region_id == "61.01.09.2002"

    # Back in the village: the register shows the return against the departure.
    page.goto(f"{base}/migration/")
    returned = page.locator("#returned")
    expect(returned).to_contain_text(departure.reference)
    expect(returned).to_contain_text("PLBN Aruk (Sambas)")
    expect(page.locator("#away")).not_to_contain_text(departure.reference)
    page.goto(f"{base}/migration/departures/{departure.id}/")
    expect(page.locator("#departure-returns")).to_contain_text("PLBN Aruk (Sambas)")
