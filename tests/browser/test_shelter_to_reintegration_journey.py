"""Issue 15's whole journey in one real browser run, every step through the pages of the
person who does it: a referral for temporary shelter accepted by the shelter officer → the
stay planned → checked in → extension decided → passport taken into custody → checked out
with a handover → the origin regency's UPTD PPA acknowledges it → the case worker writes a
reintegration plan, the supervisor approves it → baseline and a 3-month visit scored → the
setback opens a review task for the case worker → the victim reads their status with the
case code and the secret code, signed in to nothing."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from simpul.accounts.models import Agency
from simpul.cases.models import PlanItem
from simpul.reintegration.choices import PlanStatus
from simpul.reintegration.models import ReintegrationPlan
from simpul.reintegration.queries import current_instrument
from simpul.shelters.codes import HandoverStatus, StayStatus
from simpul.shelters.models import CustodyDocument, Handover, Stay
from tests.browser.helpers import screenshot, sign_in_page, t
from tests.shelters.helpers import accepted_shelter_referral, make_shelter, officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def answer(page: Page, values: dict[str, str]) -> None:
    for key, option in values.items():
        page.locator(f'#visit-form input[name="q_{key}"][value="{option}"]').check()


def shelter_officer_steps(page: Page, base: str, referral, shelter) -> tuple[Stay, Handover]:
    """Accept → plan → check in → extend → passport into custody → check out → handover."""
    page.goto(f"{base}/cases/")
    row = page.locator(f'#incoming-referrals tr[data-case="{referral.case.code}"]')
    row.get_by_label(t("Accept")).check()
    row.get_by_role("button", name=t("Send answer")).click()
    expect(page.locator("#case-stage")).to_be_visible()

    page.goto(f"{base}/shelters/")
    admission = page.locator(f'#admissions-list tr[data-referral="{referral.pk}"]')
    admission.locator("select[name=shelter]").select_option(str(shelter.pk))
    admission.get_by_role("button", name=t("Plan stay")).click()
    expect(page.locator("#stay-status")).to_have_attribute("data-status", StayStatus.PLANNED)
    stay = Stay.objects.get(referral=referral)

    page.locator("#checkin-form select[name=consent_basis]").select_option("own")
    page.locator("#checkin-form button[type=submit]").click()
    expect(page.locator("#stay-status")).to_have_attribute("data-status", StayStatus.CHECKED_IN)

    stay.refresh_from_db()
    until = stay.stay_until + timedelta(days=14)
    page.locator("#extension-form input[name=until]").fill(until.isoformat())
    page.locator("#extension-form input[name=reason]").fill("Menunggu keluarga siap menerima")
    page.locator("#extension-form button[type=submit]").click()
    expect(page.locator("#extensions")).to_contain_text("Menunggu keluarga siap menerima")

    page.locator("#document-form select[name=document_type]").select_option("passport")
    page.locator("#document-form input[name=number]").fill("C1234987")
    page.locator("#document-form input[name=consent]").check()
    page.locator("#document-form button[type=submit]").click()
    expect(page.locator('#documents li[data-held="1"]')).to_have_count(1)
    passport = CustodyDocument.objects.get(stay=stay)

    page.locator("#checkout-form select[name=exit_reason]").select_option("returned_home")
    page.locator("#checkout-form button[type=submit]").click()
    form = page.locator("#handover-form")
    expect(form).to_be_visible()
    sambas = Agency.objects.get(name="UPTD PPA Kabupaten Sambas")
    form.locator("select[name=to_agency]").select_option(str(sambas.pk))
    form.locator("input[name=place]").fill("Kantor UPTD PPA Kabupaten Sambas")
    form.locator(f'input[name=escort_users][value="{officer().pk}"]').check()
    form.locator(f'input[name=custody_ids][value="{passport.pk}"]').check()
    form.get_by_role("button", name=t("Save the draft")).click()
    expect(page.locator("#handover-status")).to_have_attribute("data-status", HandoverStatus.DRAFT)
    page.locator("#send-form button[type=submit]").click()
    expect(page.locator("#handover-status")).to_have_attribute("data-status", HandoverStatus.SENT)
    stay.refresh_from_db()
    assert (stay.status, stay.stay_until, stay.exit_reason) == (
        StayStatus.CHECKED_OUT,
        until,
        "returned_home",
    )
    return stay, Handover.objects.get(stay=stay)


def write_plan(worker: Page, base: str, case, person) -> ReintegrationPlan:
    worker.goto(f"{base}/cases/{case.id}/")
    worker.locator("#reintegration-link").click()
    worker.locator(f'#plan-form input[name=person][value="{person.pk}"]').check()
    worker.locator("#plan-form input[name=returned_on]").fill(timezone.localdate().isoformat())
    worker.locator("#plan-form button[type=submit]").click()
    expect(worker.locator("#plan-status")).to_have_attribute("data-status", PlanStatus.DRAFT)
    form = worker.locator("#goal-form")
    form.locator("select[name=domain]").select_option("economic")
    form.locator("select[name=level]").select_option("individual")
    form.locator("textarea[name=text]").fill("Usaha menjahit di rumah berjalan")
    form.locator("select[name=responsible_agency]").select_option(str(case.owner_agency_id))
    form.locator("input[name=due_on]").fill((timezone.localdate() + timedelta(180)).isoformat())
    form.locator("button[type=submit]").click()
    goal = worker.locator("article.goal")
    expect(goal).to_have_count(1)
    goal.locator("summary").click()
    service = goal.locator("form.service-form")
    service.locator("select[name=kind]").select_option("vocational_training")
    service.locator("select[name=responsible_agency]").select_option(str(case.owner_agency_id))
    service.locator("input[name=due_on]").fill((timezone.localdate() + timedelta(60)).isoformat())
    service.locator("button[type=submit]").click()
    expect(worker.locator("article.goal li[data-service]")).to_have_count(1)
    worker.locator("#submit-form button").click()
    expect(worker.locator("#plan-status")).to_have_attribute("data-status", PlanStatus.SUBMITTED)
    return ReintegrationPlan.objects.get(case=case)


def test_shelter_referral_to_reintegration_and_the_victims_status(
    live_server, world, browser: Browser
):
    base = live_server.url
    shelter = make_shelter(beds=5)
    referral, person = accepted_shelter_referral("Kenanga Puspitasari", accept=False)
    case = referral.case

    rptc = sign_in_page(browser, base, "shelter.tpi")
    _stay, handover = shelter_officer_steps(rptc, base, referral, shelter)

    # The origin regency's UPTD PPA sees the handover waiting on its home page.
    worker = sign_in_page(browser, base, "pekerja.sambas")
    expect(worker.locator('[data-work="shelters.handovers_to_acknowledge"]')).to_have_attribute(
        "data-count", "1"
    )
    worker.goto(f"{base}/shelters/handovers/?direction=in")
    worker.locator(f'tr[data-handover="{handover.pk}"] a').click()
    worker.locator("#acknowledge-form button[type=submit]").click()
    expect(worker.locator("#handover-status")).to_have_attribute(
        "data-status", HandoverStatus.ACKNOWLEDGED
    )
    worker.goto(f"{base}/")
    expect(worker.locator('[data-work="shelters.handovers_to_acknowledge"]')).to_have_attribute(
        "data-count", "0"
    )

    plan = write_plan(worker, base, case, person)
    supervisor = sign_in_page(browser, base, "supervisor.sambas")
    waiting = supervisor.locator('[data-work="reintegration.awaiting_approval"]')
    expect(waiting).to_have_attribute("data-count", "1")
    supervisor.goto(f"{base}/reintegration/plans/{plan.pk}/")
    supervisor.locator('#review-form input[name=decision][value="approve"]').check()
    supervisor.locator("#review-form button[type=submit]").click()
    expect(supervisor.locator("#plan-status")).to_have_attribute("data-status", PlanStatus.APPROVED)

    worker.goto(f"{base}/reintegration/plans/{plan.pk}/")
    worker.locator("#activate-form button[type=submit]").click()
    expect(worker.locator("#plan-status")).to_have_attribute("data-status", PlanStatus.ACTIVE)
    data = current_instrument().data
    best = {q["key"]: q["options"][0]["key"] for q in data["questions"]}
    worker.locator('#visits tr[data-month="0"] a').click()
    answer(worker, best)
    worker.locator("#visit-form button[type=submit]").click()
    expect(worker.locator('#visits tr[data-month="0"]')).to_have_attribute(
        "data-composite", "1.0000"
    )
    econ = {i["key"] for i in data["indicators"] if i["dimension"] == "economic"}
    fallen = best | {
        q["key"]: q["options"][-1]["key"] for q in data["questions"] if q["indicator"] in econ
    }
    worker.locator('#visits tr[data-month="3"] a').click()
    answer(worker, fallen)
    worker.locator("#visit-form button[type=submit]").click()
    expect(worker.locator('#visits tr[data-month="3"]')).to_have_attribute("data-setback", "2")

    # The setback is a review task in the case worker's task list.
    task = PlanItem.objects.get(case=case, is_task=True)
    assert task.assigned_to.username == "pekerja.sambas"
    worker.goto(f"{base}/cases/tasks/")
    expect(worker.locator(f'#tasks [data-task="{task.pk}"]')).to_be_visible()

    # The case worker issues the victim's secret code from the case page.
    worker.goto(f"{base}/cases/{case.id}/")
    worker.locator("#victim-status-link").click()
    worker.get_by_role("button", name=t("Issue a secret code")).click()
    secret = worker.locator("#slip-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", secret)
    screenshot(worker, "journey-status-slip")

    # The victim, on a phone, signed in to nothing.
    victim = browser.new_context(locale="id-ID").new_page()
    victim.goto(f"{base}/status/")
    victim.locator("input[name=case_code]").fill(case.code)
    victim.locator("input[name=secret]").fill(secret.lower())
    victim.get_by_role("button", name=t("Show my status")).click()
    status = victim.locator("#victim-status")
    expect(status).to_be_visible()
    # Home again, followed up: the step says so even though the case stage is earlier.
    expect(victim.locator("#recovery-step")).to_have_attribute("data-step", "monitoring")
    months = victim.locator("#reintegration-visits li")
    expect(months).to_have_count(4)
    expect(victim.locator('#reintegration-visits li[data-month="3"]')).to_contain_text(
        t("done on %(on)s").split("%")[0].strip()
    )
    screenshot(victim, "journey-victim-status")
    text = status.inner_text()
    for hidden in ("Kenanga", person.code, shelter.name, "C1234987", "composite"):
        assert hidden not in text
