"""Issue 12, "Done when": the protection journey without holes, in a real browser, on whichever
database the suite runs on.

A hotline call with the caller's contact -> triage "open case" -> the case worker's plan with a
row missing its date (refused at the field, nothing lost) -> the supervisor returns the plan with
a reason -> the worker sees it, fixes the plan, the supervisor approves -> a referral accepted by
the police, who find the case in their case list -> the police try to request closure (refused)
-> an idle timeout while the worker types a service; after signing in again the text is restored
and saved.

Screenshots of every step go to var/screens/ (not committed), to be looked at.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from simpul.accounts.middleware import LAST_SEEN
from simpul.accounts.models import Agency, User
from simpul.cases.models import Case
from simpul.intake.models import Intake
from tests.browser.helpers import screenshot, sign_in_again, sign_in_page, t

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CALLER = "Yohanes Saputra"
CALLER_PHONE = "+6281234509876"
RETURN_REASON = "Bantuan hukum harus dimulai sebelum akhir tahun; majukan tanggalnya."
TIMEOUT = 60_000  # a shared, busy test machine
SERVICE_TEXT = "Pendampingan ke Polres; korban didampingi ibunya, berkas BAP lengkap."


def submit_step(page: Page, step: str) -> None:
    page.locator(f"#step-{step} button[type=submit]").click()


def open_step(page: Page, step: str) -> None:
    """Secondary steps load when their section is opened (HTMX)."""
    if not page.locator(f"#step-{step}").is_visible():
        page.locator(f"#wrap-{step} > summary").click()
    expect(page.locator(f"#step-{step} form")).to_be_visible()


def row(page: Page, n: int, field: str):
    return page.locator(f"#step-plan [name=items-{n}-{field}]")


def age_session(page: Page, minutes: int) -> None:
    """Move the browser session's last activity `minutes` into the past, in the database."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=cookie["value"])
    session[LAST_SEEN] = (timezone.now() - timedelta(minutes=minutes)).timestamp()
    session.save()


def test_protection_journey_without_holes(live_server, world, browser: Browser):
    base = live_server.url
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    police = Agency.objects.get(name="Unit PPA Polres Sambas")
    worker_user = User.objects.get(username="pekerja.sambas")

    # 1. A hotline call: the operator records the caller's name and phone and who it is about.
    operator = sign_in_page(browser, base, timeout_ms=TIMEOUT, username="operator.sambas")
    operator.goto(f"{base}/intake/new/")
    operator.locator("textarea[name=narrative]").fill(
        "Penelepon melaporkan adiknya bekerja di Kuching tanpa gaji; paspornya ditahan majikan."
    )
    operator.get_by_label(t("Caller's name")).fill(CALLER)
    operator.get_by_label(t("Caller's phone")).fill(CALLER_PHONE)
    operator.get_by_label(t("Name of the person concerned")).fill("Rosmaniar Siregar")
    operator.get_by_label(t("Their birth date or year, if known")).fill("1999")
    operator.get_by_role("button", name=t("Save report")).click()
    if operator.locator("#duplicate-candidates").count():
        operator.get_by_label(t("This is a new person")).check()
        operator.get_by_role("button", name=t("Save report")).click()
    expect(operator.locator("#triage-form")).to_be_visible()
    intake = Intake.objects.get()
    # The caller can be reached: name and phone kept, shown masked to the handler.
    reporter = operator.locator("#reporter")
    expect(reporter.locator('[data-field="reporter_name"][data-masked]')).to_be_visible()
    expect(reporter.locator('[data-field="reporter_phone"][data-masked]')).to_be_visible()
    expect(reporter).not_to_contain_text(CALLER)
    expect(reporter).not_to_contain_text(CALLER_PHONE)
    screenshot(operator, "01-hotline-call-recorded")

    # 2. Triage "open case" opens the case for the chosen case worker.
    triage = operator.locator("#triage-form")
    triage.get_by_label(t("Open a case"), exact=True).check()
    triage.locator("select[name=assigned_to]").select_option(value=str(worker_user.pk))
    triage.get_by_role("button", name=t("Record triage")).click()
    expect(operator.locator("a[data-case]")).to_have_count(1)
    case = Case.objects.get(intake=intake)
    assert case.owner_agency_id == sambas.id and case.assigned_to_id == worker_user.pk
    intake.refresh_from_db()
    assert intake.status == "case_opened"
    screenshot(operator, "02-triage-opened-the-case")

    # 3. The worker assesses, the supervisor approves the assessment.
    worker = sign_in_page(browser, base, timeout_ms=TIMEOUT, username="pekerja.sambas")
    worker.goto(f"{base}/cases/")
    worker.get_by_role("link", name=case.code).click()
    worker.locator("#step-assessment textarea").fill(
        "Korban dewasa, eksploitasi kerja; perlu rumah aman dan bantuan hukum."
    )
    submit_step(worker, "assessment")
    supervisor = sign_in_page(browser, base, timeout_ms=TIMEOUT, username="supervisor.sambas")
    supervisor.goto(f"{base}/cases/{case.id}/")
    supervisor.locator("#step-approve_assessment").get_by_label(t("Approve"), exact=True).check()
    submit_step(supervisor, "approve_assessment")

    # 4. The plan: a row without its due date is refused at that row; nothing typed is lost.
    worker.reload()
    goals = "Aman, pulih, dan mendapat keadilan."
    worker.locator("#step-plan textarea[name=goals]").fill(goals)
    row(worker, 0, "service").select_option("temporary_shelter")
    row(worker, 0, "responsible_agency").select_option(value=str(sambas.id))
    row(worker, 0, "due_on").fill("2030-01-31")
    row(worker, 1, "service").select_option("legal_aid")
    row(worker, 1, "responsible_agency").select_option(value=str(police.id))
    submit_step(worker, "plan")
    refused = worker.locator('#step-plan fieldset[data-row="1"]')
    expect(refused).to_have_attribute("data-row-error", "yes")
    expect(refused).to_contain_text(t("Give the date this row is due."))
    expect(worker.locator("#step-plan textarea[name=goals]")).to_have_value(goals)
    expect(row(worker, 0, "due_on")).to_have_value("2030-01-31")
    expect(row(worker, 1, "service")).to_have_value("legal_aid")
    expect(row(worker, 1, "responsible_agency")).to_have_value(str(police.id))
    case.refresh_from_db()
    assert case.stage == "planning" and case.plan_items.count() == 0
    screenshot(worker, "03-plan-row-without-date-refused")
    row(worker, 1, "due_on").fill("2030-02-15")
    submit_step(worker, "plan")
    expect(worker.locator("#case-stage")).to_have_attribute("data-stage", "plan_submitted")

    # 5. The supervisor returns the plan with a reason; the worker sees it, the plan prefilled.
    supervisor.reload()
    decision = supervisor.locator("#step-approve_plan")
    decision.get_by_label(t("Return for changes"), exact=True).check()
    decision.locator("textarea[name=reason]").fill(RETURN_REASON)
    screenshot(supervisor, "04-supervisor-returns-the-plan")
    submit_step(supervisor, "approve_plan")
    expect(supervisor.locator("#case-stage")).to_have_attribute("data-stage", "planning")
    worker.reload()
    expect(worker.locator("#returned-reason")).to_contain_text(RETURN_REASON)
    expect(worker.locator("#step-plan textarea[name=goals]")).to_have_value(goals)
    expect(row(worker, 1, "due_on")).to_have_value("2030-02-15")
    screenshot(worker, "05-worker-sees-the-reason")
    row(worker, 1, "due_on").fill("2029-12-15")
    submit_step(worker, "plan")
    supervisor.reload()
    supervisor.locator("#step-approve_plan").get_by_label(t("Approve"), exact=True).check()
    submit_step(supervisor, "approve_plan")
    expect(supervisor.locator("#case-stage")).to_have_attribute("data-stage", "services")
    case.refresh_from_db()
    assert sorted(str(i.due_on) for i in case.plan_items.all()) == ["2029-12-15", "2030-01-31"]

    # 6. Consent, then a referral to the police, who accept and find it in their case list.
    worker.reload()
    open_step(worker, "consent")
    consent = worker.locator("#step-consent")
    consent.get_by_label(t("Being interviewed")).check()
    consent.get_by_label(t("Sharing with the agencies named")).check()
    consent.get_by_label(police.name).check()
    submit_step(worker, "consent")
    open_step(worker, "referral")
    referral = worker.locator("#step-referral")
    referral.locator("select[name=to_agency]").select_option(value=str(police.id))
    referral.locator("input[name=reason]").fill("Penyidikan TPPO")
    referral.get_by_label(t("Victim identity")).check()
    submit_step(worker, "referral")
    expect(worker.locator("#referrals")).to_contain_text(police.name)
    investigator = sign_in_page(browser, base, timeout_ms=TIMEOUT, username="polisi.sambas")
    investigator.goto(f"{base}/cases/")
    incoming = investigator.locator(f'#incoming-referrals tr[data-case="{case.code}"]')
    incoming.get_by_label(t("Accept")).check()
    incoming.get_by_role("button", name=t("Send answer")).click()
    expect(investigator.locator("#case-stage")).to_be_visible()
    investigator.goto(f"{base}/cases/")
    expect(investigator.locator("#case-rows")).to_contain_text(case.code)
    screenshot(investigator, "06-police-find-the-case-in-their-list")

    # 7. The police try to request closure: refused with a reason, nothing changes.
    response = investigator.goto(f"{base}/cases/{case.id}/step/closure/")
    assert response is not None and response.status == 403
    expect(investigator.locator("body")).to_contain_text(
        t(
            "Only the agency that owns the case (%(agency)s) can request its closure. Your "
            "agency records its own part of the work."
        )
        % {"agency": sambas.name}
    )
    case.refresh_from_db()
    assert case.stage == "services" and not case.closure_reason
    screenshot(investigator, "07-police-closure-refused")

    # 8. Idle timeout while typing a service: signed out, signed in again, the text is back.
    worker.goto(f"{base}/cases/{case.id}/")
    service = worker.locator("#step-service")
    service.locator("select[name=service]").select_option("legal_aid")
    service.locator("input[name=delivered_on]").fill("2026-11-20")
    service.locator("select[name=provider]").select_option(value=str(sambas.id))
    service.locator("textarea[name=outcome]").fill(SERVICE_TEXT)
    worker.wait_for_load_state("networkidle")
    age_session(worker, minutes=settings.SESSION_IDLE_MINUTES + 1)
    submit_step(worker, "service")
    expect(worker.locator("#session-ended")).to_have_text(
        t("You were signed out after a period without activity. Sign in again.")
    )
    expect(worker.locator("#draft-kept")).to_be_visible()
    screenshot(worker, "08-signed-out-for-inactivity")
    assert case.services.count() == 0
    sign_in_again(worker, "pekerja.sambas")
    # Back on the case page (never a 404), with everything typed in the service form.
    expect(worker).to_have_url(f"{base}/cases/{case.id}/")
    expect(worker.locator("#draft-restored")).to_be_visible()
    service = worker.locator("#step-service")
    expect(service.locator("textarea[name=outcome]")).to_have_value(SERVICE_TEXT)
    expect(service.locator("select[name=service]")).to_have_value("legal_aid")
    expect(service.locator("input[name=delivered_on]")).to_have_value("2026-11-20")
    expect(service.locator("select[name=provider]")).to_have_value(str(sambas.id))
    screenshot(worker, "09-signed-in-again-text-restored")
    submit_step(worker, "service")
    expect(worker.locator("#services")).to_contain_text(t("Legal aid"))
    assert case.services.count() == 1
    screenshot(worker, "10-service-saved")
