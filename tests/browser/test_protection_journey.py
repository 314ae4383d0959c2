"""Issue 3 in a real browser: an anonymous public report goes through triage, screening, a
case with an approved plan, a service, a referral accepted by another agency, and an approved
closure; and the refusals along the way."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from simpul.cases.models import Case
from simpul.intake.models import Intake
from tests.browser.helpers import sign_in_page, t

TIMEOUT = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def pick_region(page: Page, label: str, query: str, code: str) -> None:
    box = page.get_by_label(label)
    box.fill(query)
    page.locator(f'li[role=option][data-code="{code}"]').click()
    expect(page.locator(f'input[type=hidden][value="{code}"]')).to_have_count(1)


def submit_step(page: Page, step: str) -> None:
    page.locator(f"#step-{step} button[type=submit]").click()


def open_step(page: Page, step: str) -> None:
    """Secondary steps load when their section is opened (HTMX)."""
    if not page.locator(f"#step-{step}").is_visible():
        page.locator(f"#wrap-{step} > summary").click()
    expect(page.locator(f"#step-{step} form")).to_be_visible()


def test_public_report_to_closed_case(live_server, world, browser: Browser, page: Page):
    base = live_server.url
    page.set_default_timeout(TIMEOUT)  # a busy machine (shared CI cores) is slow, not broken
    # 1. An anonymous visitor reports.
    page.goto(f"{base}/intake/report/")
    page.get_by_label(t("What happened?")).fill(
        "Adik saya (16 tahun) dibawa agen ke Kuching, bekerja tanpa gaji, paspor ditahan."
    )
    pick_region(
        page,
        t("Where are the people concerned from, or where did it happen?"),
        "Sebunga",
        "61.01.09.2002",
    )
    page.get_by_label(t("A child (under 18) is involved")).check()
    page.wait_for_timeout(3100)  # the form refuses submissions faster than a person types
    page.get_by_role("button", name=t("Send report")).click()
    receipt = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt)
    intake = Intake.objects.get()

    # 2. The operator triages it from the queue and screens the child.
    operator = sign_in_page(browser, base, "operator.sambas", timeout_ms=TIMEOUT)
    operator.goto(f"{base}/intake/queue/")
    operator.get_by_role("link", name=intake.reference).click()
    operator.get_by_label(t("Screen for trafficking")).check()
    operator.get_by_role("button", name=t("Record triage")).click()
    operator.get_by_role("link", name=t("Screen for trafficking")).click()
    operator.get_by_label(t("Someone not yet recorded")).check()
    operator.locator("details summary").click()
    operator.get_by_label(t("Full name")).fill("Melati Anggraini")
    operator.get_by_label(t("Birth date")).fill("2009-03-14")
    operator.get_by_label(t("Age when it happened (as assessed)")).fill("16")
    for question in [
        "Was the person recruited: offered work, persuaded or taken from family?",
        "Was the person lied to about the job, pay or place?",
        "Was the person actually exploited?",
    ]:
        operator.get_by_label(t(question)).check()
    operator.get_by_role("button", name=t("See the screening result")).click()
    expect(operator.locator("#screening-result")).to_have_attribute("data-result", "likely_victim")
    expect(operator.locator('#screening-reasons tr[data-code="act"]')).to_have_attribute(
        "data-met", "yes"
    )
    expect(operator.locator('#screening-reasons tr[data-code="means"]')).to_contain_text(
        t("Was the person lied to about the job, pay or place?")
    )

    # 3. The operator opens a case for the case worker.
    operator.get_by_role("link", name=t("Open a case")).click()
    operator.get_by_label(t("Case worker")).select_option(label="Dewi Lestari (pekerja.sambas)")
    operator.get_by_role("button", name=t("Open the case")).click()
    case = Case.objects.get()
    expect(operator.locator("#case-stage")).to_have_attribute("data-stage", "assessment")

    # 4. Case worker assesses; supervisor approves; plan; approval.
    worker = sign_in_page(browser, base, "pekerja.sambas", timeout_ms=TIMEOUT)
    worker.goto(f"{base}/cases/")
    worker.get_by_role("link", name=case.code).click()
    worker.locator("#step-assessment textarea").fill(
        "Korban anak; butuh rumah aman dan pendampingan hukum."
    )
    submit_step(worker, "assessment")
    supervisor = sign_in_page(browser, base, "supervisor.sambas", timeout_ms=TIMEOUT)
    supervisor.goto(f"{base}/cases/{case.id}/")
    supervisor.locator("#step-approve_assessment").get_by_label(t("Approve")).check()
    submit_step(supervisor, "approve_assessment")
    worker.reload()
    worker.locator("#step-plan textarea").fill("Aman, pulih, kembali sekolah.")
    worker.locator("#step-plan select[name=items-0-service]").select_option("temporary_shelter")
    worker.locator("#step-plan select[name=items-0-responsible_agency]").select_option(
        label="UPTD PPA Kabupaten Sambas"
    )
    worker.locator("#step-plan input[name=items-0-due_on]").fill("2030-01-31")
    submit_step(worker, "plan")
    supervisor.reload()
    supervisor.locator("#step-approve_plan").get_by_label(t("Approve")).check()
    submit_step(supervisor, "approve_plan")

    # 5. A service is recorded.
    worker.reload()
    expect(worker.locator("#case-stage")).to_have_attribute("data-stage", "services")
    worker.locator("#step-service select[name=service]").select_option("temporary_shelter")
    worker.locator("#step-service input[name=delivered_on]").fill("2026-11-20")
    worker.locator("#step-service select[name=provider]").select_option(
        label="UPTD PPA Kabupaten Sambas"
    )
    worker.locator("#step-service textarea").fill("Ditempatkan di rumah aman.")
    submit_step(worker, "service")
    expect(worker.locator("#services")).to_contain_text(t("Temporary shelter"))

    # 6. A referral without consent is blocked; with consent it goes through.
    police = "Unit PPA Polres Sambas"
    open_step(worker, "referral")
    worker.locator("#step-referral select[name=to_agency]").select_option(label=police)
    worker.locator("#step-referral input[name=reason]").fill("Penyidikan TPPO")
    worker.locator("#step-referral").get_by_label(t("Victim identity")).check()
    submit_step(worker, "referral")
    expect(worker.locator("#step-referral .errorlist")).to_contain_text(
        t(
            "The victim's consent does not cover sharing with this agency. Record consent first, "
            "or ask a supervisor to override with a reason."
        )
    )
    assert case.referrals.count() == 0
    open_step(worker, "consent")
    worker.locator("#step-consent").get_by_label(t("Being interviewed")).check()
    worker.locator("#step-consent").get_by_label(t("Sharing with the agencies named")).check()
    worker.locator("#step-consent").get_by_label(police).check()
    worker.locator("#step-consent").get_by_label(t("The victim is under 18")).check()
    worker.locator("#step-consent").get_by_label(t("A parent or guardian also consented")).check()
    submit_step(worker, "consent")
    open_step(worker, "referral")
    worker.locator("#step-referral select[name=to_agency]").select_option(label=police)
    worker.locator("#step-referral input[name=reason]").fill("Penyidikan TPPO")
    worker.locator("#step-referral").get_by_label(t("Victim identity")).check()
    submit_step(worker, "referral")
    expect(worker.locator("#referrals")).to_contain_text(police)

    # 7. The police investigator accepts and then sees the case.
    investigator = sign_in_page(browser, base, "polisi.sambas", timeout_ms=TIMEOUT)
    response = investigator.goto(f"{base}/cases/{case.id}/")
    assert response is not None and response.status == 404
    investigator.goto(f"{base}/cases/")
    row = investigator.locator(f'#incoming-referrals tr[data-case="{case.code}"]')
    row.get_by_label(t("Accept")).check()
    row.get_by_role("button", name=t("Send answer")).click()
    expect(investigator.locator("#case-stage")).to_be_visible()
    assert investigator.url.endswith(f"/cases/{case.id}/")

    # 8. An uninvolved agency cannot open, list or find the case.
    outsider = sign_in_page(browser, base, "pekerja.tpi", timeout_ms=TIMEOUT)
    response = outsider.goto(f"{base}/cases/{case.id}/")
    assert response is not None and response.status == 404
    outsider.goto(f"{base}/cases/")
    outsider.locator("#q").fill(case.code)
    outsider.locator("#case-search button[type=submit]").click()
    expect(outsider.locator("#case-rows h2")).to_have_text(t("Search results"))
    expect(outsider.locator("#case-rows")).not_to_contain_text(case.code)

    # 9. A stale edit is refused: the worker opens the form, the supervisor saves first.
    worker.reload()
    open_step(worker, "details")
    supervisor.reload()
    open_step(supervisor, "details")
    supervisor.locator("#step-details").get_by_label(t("Forced labour")).check()
    submit_step(supervisor, "details")
    worker.locator("#step-details").get_by_label(t("Sexual exploitation")).check()
    submit_step(worker, "details")
    expect(worker.locator("#stale-warning")).to_be_visible()
    case.refresh_from_db()
    assert case.exploitation_types == ["ForcedLabour"]

    # 10. Closure requested and approved.
    worker.reload()
    open_step(worker, "closure")
    worker.locator("#step-closure select[name=reason]").select_option("goals_met")
    submit_step(worker, "closure")
    supervisor.reload()
    supervisor.locator("#step-approve_closure").get_by_label(t("Approve")).check()
    submit_step(supervisor, "approve_closure")
    expect(supervisor.locator("#case-stage")).to_have_attribute("data-stage", "closed")
    expect(supervisor.locator("#timeline")).to_contain_text(t("Case closed"))
