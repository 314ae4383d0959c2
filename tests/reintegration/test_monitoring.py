"""Visits through the real actions: scored with the plan's instrument version and stored with
it; a setback opens exactly one review task for the case worker; the overdue list; re-scoring
after a new version is added; the cohort report's small counts."""

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from simpul.cases.models import PlanItem
from simpul.cases.queries import task_title
from simpul.reintegration import actions, cohorts, queries
from simpul.reintegration.choices import Sex
from simpul.reintegration.models import Visit
from simpul.reintegration.scoring import score
from tests.referrals.support import user
from tests.reintegration.helpers import (
    active_plan,
    answers,
    draft_plan,
    fresh,
    visit,
    worker,
    worst_economic,
)


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English; the interface's default is Indonesian."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_a_visit_is_scored_and_stored_with_its_instrument_version(world):
    plan = draft_plan()
    baseline = actions.record_visit(
        worker(), visit(plan, 0), answers=answers(work="irregular"), version=fresh(plan).version
    )
    assert baseline.instrument_id == plan.instrument_id
    assert baseline.scores["dimensions"]["economic"] == "0.9000"
    assert baseline.composite == Decimal("0.9667")
    assert baseline.setbacks == [] and baseline.review_task is None
    # Recorded once.
    with pytest.raises(ValidationError):
        actions.record_visit(worker(), visit(plan, 0), answers=answers())
    # A follow-up is only for a started plan; nothing is written when refused.
    assert not plan.visits.filter(month=3).exists()


@pytest.mark.django_db
def test_missing_answers_are_refused_at_their_questions(world):
    plan = draft_plan()
    incomplete = answers()
    del incomplete["food"]
    with pytest.raises(ValidationError) as refused:
        actions.record_visit(worker(), visit(plan, 0), answers=incomplete)
    assert list(refused.value.message_dict) == ["food"]
    assert visit(plan, 0).done_on is None


@pytest.mark.django_db
def test_a_setback_opens_exactly_one_review_task_for_the_case_worker(world):
    plan = active_plan()
    tasks = PlanItem.objects.filter(case=plan.case, is_task=True)
    actions.record_visit(worker(), visit(plan, 0), answers=answers())
    assert tasks.count() == 0
    three = actions.record_visit(
        worker(), visit(plan, 3), answers=worst_economic(), version=fresh(plan).version
    )
    assert three.setbacks == ["composite_drop", "low_dimension"]
    task = tasks.get()
    assert three.review_task == task
    assert task.assigned_to == worker() and task.responsible_agency_id == plan.case.owner_agency_id
    assert task.due_on == timezone.localdate() + timedelta(days=7)
    assert "month 3" in task_title(task)
    # The visit cannot be recorded again, so no second task for it.
    with pytest.raises(ValidationError):
        actions.record_visit(worker(), visit(plan, 3), answers=worst_economic())
    assert tasks.count() == 1


@pytest.mark.django_db
def test_a_negative_safety_answer_alone_is_a_setback(world):
    plan = draft_plan()
    baseline = actions.record_visit(worker(), visit(plan, 0), answers=answers(threats="yes"))
    assert baseline.setbacks == ["safety"]
    assert PlanItem.objects.filter(case=plan.case, is_task=True).count() == 1


@pytest.mark.django_db
def test_old_visits_rescore_identically_after_a_new_version_is_added(world):
    plan = draft_plan()
    stored = actions.record_visit(worker(), visit(plan, 0), answers=answers(food="sometimes"))
    newer = copy.deepcopy(plan.instrument.data)
    newer["version"] = 2
    newer["dimensions"][0]["weight"], newer["dimensions"][1]["weight"] = "1/2", "1/6"
    row, created = actions.load_instrument(newer)
    assert created and queries.current_instrument() == row
    again = Visit.objects.select_related("instrument").get(pk=stored.pk)
    assert score(again.instrument.data, again.answers).as_json() == again.scores
    # A new plan uses the new version; the old plan keeps its own.
    assert fresh(plan).instrument.version == 1
    # The same version with other content is refused.
    newer["setback_drop"] = "0.2"
    with pytest.raises(ValidationError):
        actions.load_instrument(newer)


@pytest.mark.django_db
def test_the_overdue_list_has_exactly_the_visits_past_the_grace_days(world, settings):
    settings.REINTEGRATION_OVERDUE_DAYS = 14
    start = timezone.localdate()
    plan = active_plan(start_on=start)
    actions.record_visit(worker(), visit(plan, 0), answers=answers())
    due3 = visit(plan, 3).due_on
    with time_machine.travel(due3 + timedelta(days=14), tick=False):
        assert list(queries.overdue_visits(worker())) == []
    with time_machine.travel(due3 + timedelta(days=15), tick=False):
        assert list(queries.overdue_visits(worker())) == [visit(plan, 3)]
        # Another agency's worker sees none of it.
        assert list(queries.overdue_visits(user("pekerja.tpi"))) == []
        work = {w.key: w.count for w in queries.waiting_work(worker())}
        assert work == {"reintegration.overdue_visits": 1}
    with time_machine.travel(visit(plan, 6).due_on + timedelta(days=15), tick=False):
        assert list(queries.overdue_visits(worker())) == [visit(plan, 3), visit(plan, 6)]


@pytest.mark.django_db
def test_the_cohort_report_hides_means_of_fewer_than_eleven_visits(world):
    plan = active_plan()
    actions.record_visit(worker(), visit(plan, 0), answers=answers())
    data = cohorts.report(user("analis.kepri"), "year")
    assert data["rows"] == []  # Kepri's analyst does not cover Sambas
    data = cohorts.report(user("supervisor.sambas"), "sex")
    assert [r["label"] for r in data["rows"]] == [str(Sex.FEMALE.label)]
    cell = data["rows"][0]["cells"][0]
    assert (str(cell.count), cell.mean) == ("<11", "")
    assert [str(c.count) for c in data["overall"]] == ["<11", "0", "0", "0"]


@pytest.mark.django_db
def test_score_change_is_set_against_the_services_delivered_between_visits(world):
    plan = active_plan()
    actions.record_visit(
        worker(), visit(plan, 0), answers=answers(), done_on=timezone.localdate() - timedelta(1)
    )
    service = plan.goals.get().services.get()
    actions.deliver_service(
        worker(), service, delivered_on=timezone.localdate(), version=fresh(plan).version
    )
    actions.record_visit(worker(), visit(plan, 3), answers=answers(work="none"))
    pairs = cohorts.change_by_services(
        cohorts.cohort_plans(user("supervisor.sambas")),
        cohorts._visits(cohorts.cohort_plans(user("supervisor.sambas"))),
    )
    assert [(r["services"], r["cell"].count.value) for r in pairs] == [
        ("0", 0),
        ("1", 1),
        ("2", 0),
        ("3+", 0),
    ]


def test_a_mean_is_shown_from_eleven_visits():
    assert cohorts.MeanCell.of([Decimal("0.5")] * 10).mean == ""
    shown = cohorts.MeanCell.of([Decimal("0.5")] * 10 + [Decimal("0.61")])
    assert (str(shown.count), shown.mean) == ("11", "0.51")
