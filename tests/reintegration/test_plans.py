"""Plans through the real actions: created for a case's victim with a baseline visit,
goals and services, submitted, returned with a reason or approved by the supervisor, started
with its follow-ups scheduled; refusals change nothing; stale versions are refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.core.errors import StaleRecordError
from simpul.reintegration import actions, queries
from simpul.reintegration.actions.plans import add_months
from simpul.reintegration.choices import PlanStatus, ServiceStatus
from simpul.reintegration.models import Goal, ReintegrationPlan
from simpul.reintegration.sealing import goal_text
from tests.referrals.support import canary_case, user
from tests.reintegration.helpers import (
    active_plan,
    draft_plan,
    fresh,
    supervisor,
    with_goal,
    worker,
)


@pytest.mark.django_db
def test_a_plan_is_created_for_a_victim_of_the_case_with_its_baseline_visit(world):
    plan = draft_plan(returned_on=date(2026, 1, 5))
    assert plan.status == PlanStatus.DRAFT
    assert (plan.instrument.code, plan.instrument.version) == ("rss", 1)
    assert plan.cohort_sex == "F"  # copied from the vault for the cohort report
    assert [(v.month, v.due_on, v.done_on) for v in plan.visits.all()] == [
        (0, timezone.localdate(), None)
    ]
    assert AuditEvent.objects.filter(action="reintegration.plan.create").count() == 1
    # A second open plan for the same person is refused, nothing written.
    with pytest.raises(ValidationError) as refused:
        actions.create_plan(worker(), plan.case, plan.person, returned_on=date(2026, 1, 5))
    assert "person" in refused.value.message_dict
    assert ReintegrationPlan.objects.count() == 1


@pytest.mark.django_db
def test_only_the_case_agency_writes_the_plan(world):
    case, person = canary_case()
    with pytest.raises(PermissionDenied):
        actions.create_plan(user("pekerja.tpi"), case, person, returned_on=date(2026, 1, 5))
    assert ReintegrationPlan.objects.count() == 0


@pytest.mark.django_db
def test_goals_are_sealed_and_a_stale_version_is_refused(world):
    plan = draft_plan()
    goal, service = with_goal(plan)
    assert "warung" not in goal.text_sealed
    assert goal_text(Goal.objects.get(pk=goal.pk)) == "Usaha warung kelontong berjalan"
    assert fresh(plan).version == 3  # created, goal added, service added
    with pytest.raises(StaleRecordError):
        actions.set_goal_status(worker(), goal, status="in_progress", version=2)
    assert Goal.objects.get(pk=goal.pk).status == "planned"
    assert service.kind == "small_business"


@pytest.mark.django_db
def test_submit_needs_a_goal_with_a_service(world):
    plan = draft_plan()
    with pytest.raises(ValidationError):
        actions.submit_plan(worker(), plan, version=fresh(plan).version)
    assert fresh(plan).status == PlanStatus.DRAFT


@pytest.mark.django_db
def test_the_supervisor_returns_the_plan_with_a_reason_then_approves_it(world):
    plan = draft_plan()
    with_goal(plan, kind="ktp")
    actions.submit_plan(worker(), plan, version=fresh(plan).version)
    # The case worker cannot approve their own plan.
    with pytest.raises(PermissionDenied):
        actions.review_plan(worker(), plan, approve=True)
    with pytest.raises(ValidationError):
        actions.review_plan(supervisor(), plan, approve=False, reason="no")
    assert fresh(plan).status == PlanStatus.SUBMITTED
    actions.review_plan(
        supervisor(), plan, approve=False, reason="Tambahkan tujuan di tingkat keluarga."
    )
    returned = fresh(plan)
    assert returned.status == PlanStatus.DRAFT
    assert queries.plan_return_reason(returned) == "Tambahkan tujuan di tingkat keluarga."
    assert returned.returned_by == supervisor()
    actions.submit_plan(worker(), plan, version=returned.version)
    approved = actions.review_plan(supervisor(), plan, approve=True)
    assert (approved.status, approved.approved_by) == (PlanStatus.APPROVED, supervisor())
    assert queries.plan_return_reason(approved) == ""


@pytest.mark.django_db
def test_starting_schedules_the_follow_ups_and_services_are_delivered(world, settings):
    settings.REINTEGRATION_VISIT_MONTHS = (3, 6, 12)
    plan = active_plan(start_on=date(2026, 1, 31))
    assert plan.status == PlanStatus.ACTIVE
    assert [(v.month, v.due_on) for v in plan.visits.exclude(month=0)] == [
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]
    service = Goal.objects.get(plan=plan).services.get()
    done = actions.deliver_service(
        worker(),
        service,
        delivered_on=timezone.localdate(),
        version=fresh(plan).version,
    )
    assert (done.status, done.delivered_on) == (ServiceStatus.DELIVERED, timezone.localdate())
    closed = actions.close_plan(worker(), plan, version=fresh(plan).version)
    assert closed.status == PlanStatus.CLOSED
    # A closed plan frees the person for a new one.
    again = actions.create_plan(worker(), plan.case, plan.person, returned_on=date(2026, 1, 5))
    assert again.status == PlanStatus.DRAFT


def test_months_are_added_to_the_end_of_a_shorter_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


@pytest.mark.django_db
def test_a_configured_schedule_is_used(world, settings):
    settings.REINTEGRATION_VISIT_MONTHS = (1, 2)
    plan = active_plan(start_on=date(2026, 3, 1))
    assert list(plan.visits.values_list("month", "due_on")) == [
        (0, timezone.localdate()),
        (1, date(2026, 4, 1)),
        (2, date(2026, 5, 1)),
    ]
