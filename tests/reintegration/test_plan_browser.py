"""The reintegration journey in a real browser: the case worker writes a plan from the case
page, the supervisor approves it, the worker starts it, records the baseline and a 3-month
visit whose economic fall is a setback: a review task for the case worker."""

import pytest
from playwright.sync_api import Browser, Page, expect

from simpul.cases.models import PlanItem
from simpul.reintegration.choices import PlanStatus
from simpul.reintegration.models import ReintegrationPlan
from simpul.reintegration.queries import current_instrument
from tests.browser.helpers import screenshot, sign_in_page
from tests.referrals.support import canary_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def answer(page: Page, values: dict[str, str]) -> None:
    for key, option in values.items():
        page.locator(f'#visit-form input[name="q_{key}"][value="{option}"]').check()


def test_plan_approved_baseline_and_a_setback(live_server, world, browser: Browser):
    base = live_server.url
    case, person = canary_case()
    worker = sign_in_page(browser, base, "pekerja.sambas")
    worker.goto(f"{base}/cases/{case.id}/")
    worker.locator("#reintegration-link").click()
    worker.locator(f'#plan-form input[name=person][value="{person.pk}"]').check()
    worker.locator("#plan-form input[name=returned_on]").fill("2026-01-05")
    worker.locator("#plan-form button[type=submit]").click()
    expect(worker.locator("#plan-status")).to_have_attribute("data-status", PlanStatus.DRAFT)
    plan = ReintegrationPlan.objects.get()

    form = worker.locator("#goal-form")
    form.locator("select[name=domain]").select_option("economic")
    form.locator("select[name=level]").select_option("individual")
    form.locator("textarea[name=text]").fill("Usaha menjahit di rumah berjalan")
    form.locator("select[name=responsible_agency]").select_option(str(case.owner_agency_id))
    form.locator("input[name=due_on]").fill("2026-12-31")
    form.locator("button[type=submit]").click()
    goal = worker.locator("article.goal")
    expect(goal).to_have_count(1)
    goal.locator("summary").click()
    service = goal.locator("form.service-form")
    service.locator("select[name=kind]").select_option("vocational_training")
    service.locator("select[name=responsible_agency]").select_option(str(case.owner_agency_id))
    service.locator("input[name=due_on]").fill("2026-12-01")
    service.locator("button[type=submit]").click()
    expect(worker.locator("article.goal li[data-service]")).to_have_count(1)
    worker.locator("#submit-form button").click()
    expect(worker.locator("#plan-status")).to_have_attribute("data-status", PlanStatus.SUBMITTED)

    supervisor = sign_in_page(browser, base, "supervisor.sambas")
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
    screenshot(worker, "reintegration-visit-form")
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
    screenshot(worker, "reintegration-plan-setback")
    task = PlanItem.objects.get(case=case, is_task=True)
    assert task.assigned_to.username == "pekerja.sambas"

    worker.goto(f"{base}/reintegration/cohorts/")
    screenshot(worker, "reintegration-cohorts")
