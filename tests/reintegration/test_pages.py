"""The reintegration pages, through the real views: the case worker writes the plan from the
case, the supervisor returns it with a reason then approves it, the worker starts it and
records the baseline and a 3-month visit whose setback opens a review task; refused forms are
shown again with what was typed (422), a stale one 409; lists keep their query count."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from simpul.cases.models import PlanItem
from simpul.reintegration import actions
from simpul.reintegration.choices import PlanStatus
from simpul.reintegration.models import ReintegrationPlan
from simpul.reintegration.queries import current_instrument
from tests.referrals.support import agency, canary_case
from tests.reintegration.helpers import (
    active_plan,
    answers,
    draft_plan,
    fresh,
    visit,
    worker,
    worst_economic,
)


def visit_post(plan, values: dict[str, str], **extra) -> dict:
    return {
        "version": fresh(plan).version,
        "done_on": timezone.localdate().isoformat(),
        **{f"q_{k}": v for k, v in values.items()},
        **extra,
    }


@pytest.mark.django_db
def test_the_whole_plan_through_the_pages(signed_in):
    worker, supervisor = signed_in("pekerja.sambas"), signed_in("supervisor.sambas")
    case, person = canary_case()
    page = worker.get(f"/cases/{case.id}/")
    assert f"/reintegration/cases/{case.id}/new/" in page.content.decode()
    created = worker.post(
        f"/reintegration/cases/{case.id}/new/",
        {"person": str(person.pk), "returned_on": "2026-01-05"},
    )
    assert created.status_code == 302
    plan = ReintegrationPlan.objects.get()
    url = f"/reintegration/plans/{plan.pk}/"
    assert created["Location"] == url
    # A goal without its text is refused, and the form keeps what was typed.
    refused = worker.post(
        url + "goals/",
        {
            "version": plan.version,
            "domain": "legal",
            "level": "family",
            "text": "",
            "responsible_agency": agency("sambas").pk,
            "due_on": "2026-12-01",
        },
    )
    assert refused.status_code == 422
    assert refused.context["goal_form"]["domain"].value() == "legal"
    assert not plan.goals.exists()
    assert (
        worker.post(
            url + "goals/",
            {
                "version": plan.version,
                "domain": "legal",
                "level": "family",
                "text": "Akta kelahiran anak terbit",
                "responsible_agency": agency("sambas").pk,
                "due_on": "2026-12-01",
            },
        ).status_code
        == 302
    )
    goal = plan.goals.get()
    # A stale version is refused with 409, nothing added.
    stale = worker.post(
        url + f"goals/{goal.pk}/services/",
        {
            "version": plan.version,
            "kind": "birth_certificate",
            "responsible_agency": agency("sambas").pk,
            "due_on": "2026-11-01",
        },
    )
    assert stale.status_code == 409
    assert not goal.services.exists()
    worker.post(
        url + f"goals/{goal.pk}/services/",
        {
            "version": fresh(plan).version,
            "kind": "birth_certificate",
            "responsible_agency": agency("sambas").pk,
            "due_on": "2026-11-01",
        },
    )
    assert goal.services.get().kind == "birth_certificate"
    worker.post(url + "submit/", {"version": fresh(plan).version})
    assert fresh(plan).status == PlanStatus.SUBMITTED
    # The worker cannot decide; the supervisor returns it with a reason the worker reads.
    assert (
        worker.post(url + "review/", {"version": fresh(plan).version, "decision": "approve"})
    ).status_code == 403
    supervisor.post(
        url + "review/",
        {
            "version": fresh(plan).version,
            "decision": "return",
            "reason": "Tambahkan layanan pelatihan kerja.",
        },
    )
    assert fresh(plan).status == PlanStatus.DRAFT
    assert "Tambahkan layanan pelatihan kerja." in worker.get(url).content.decode()
    worker.post(url + "submit/", {"version": fresh(plan).version})
    supervisor.post(url + "review/", {"version": fresh(plan).version, "decision": "approve"})
    assert fresh(plan).status == PlanStatus.APPROVED
    worker.post(url + "start/", {"version": fresh(plan).version, "start_on": ""})
    assert fresh(plan).status == PlanStatus.ACTIVE
    baseline, three = plan.visits.get(month=0), plan.visits.get(month=3)
    form = worker.get(url + f"visits/{baseline.pk}/")
    assert form.status_code == 200
    instrument = current_instrument().data
    assert instrument["questions"][0]["text"]["id"] in form.content.decode()
    # A missing answer: 422 with the others kept.
    partial = answers()
    del partial["food"]
    again = worker.post(url + f"visits/{baseline.pk}/", visit_post(plan, partial))
    assert again.status_code == 422
    assert again.context["form"]["q_work"].value() == "regular"
    assert (
        worker.post(url + f"visits/{baseline.pk}/", visit_post(plan, answers())).status_code == 302
    )
    worker.post(url + f"visits/{three.pk}/", visit_post(plan, worst_economic()))
    three.refresh_from_db()
    assert three.setbacks == ["composite_drop", "low_dimension"]
    assert PlanItem.objects.filter(case=case, is_task=True).count() == 1
    detail = worker.get(url).content.decode()
    assert 'data-month="3" data-composite="0.6667" data-setback="2"' in detail


@pytest.mark.django_db
def test_the_overdue_page_and_the_home_count(signed_in):
    plan = active_plan(start_on=timezone.localdate())
    with time_machine.travel(plan.visits.get(month=3).due_on + timedelta(days=20), tick=False):
        client = signed_in("pekerja.sambas")
        page = client.get("/reintegration/overdue/").content.decode()
        assert 'data-count="2"' in page  # the baseline (never recorded) and month 3
        home = client.get("/").content.decode()
        assert 'data-work="reintegration.overdue_visits" data-count="2"' in home
        other = signed_in("pekerja.tpi").get("/reintegration/overdue/").content.decode()
        assert 'data-count="0"' in other


@pytest.mark.django_db
def test_the_plan_list_costs_the_same_however_long(signed_in):
    client = signed_in("supervisor.sambas")
    draft_plan()
    with CaptureQueriesContext(connection) as one:
        assert client.get("/reintegration/?status=all").status_code == 200
    for _ in range(3):
        case, person = canary_case()
        actions.create_plan(
            worker(),
            case,
            person,
            returned_on=timezone.localdate(),
        )
    with CaptureQueriesContext(connection) as four:
        page = client.get("/reintegration/?status=all")
    assert page.context["page"].paginator.count == 4
    assert len(four) == len(one)


@pytest.mark.django_db
def test_the_cohort_page_for_an_analyst_and_a_supervisor(signed_in):
    plan = draft_plan()
    actions.record_visit(worker(), visit(plan, 0), answers=answers())
    analyst = signed_in("gt.kalbar").get("/reintegration/cohorts/?by=sex")
    assert analyst.status_code == 200
    assert analyst.context["r"]["overall"][0].count.value == 1
    assert "&lt;11" in analyst.content.decode()
    assert signed_in("analis.kepri").get("/reintegration/cohorts/").context["r"]["rows"] == []
    # Plans themselves stay closed to aggregate roles.
    assert signed_in("gt.kalbar").get(f"/reintegration/plans/{plan.pk}/").status_code == 403
