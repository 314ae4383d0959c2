"""Building blocks of the reintegration tests: a Sambas case with a victim, plans and visits
through the real actions (the world fixture's agencies and accounts)."""

from datetime import date, timedelta

from django.utils import timezone

from simpul.reintegration import actions
from simpul.reintegration.models import ReintegrationPlan, Visit
from simpul.reintegration.queries import current_instrument
from tests.referrals.support import agency, canary_case, user


def worker():
    return user("pekerja.sambas")


def supervisor():
    return user("supervisor.sambas")


def answers(**overrides: str) -> dict[str, str]:
    """The best answer to every question of the current instrument, with `overrides`."""
    data = current_instrument().data
    return {q["key"]: q["options"][0]["key"] for q in data["questions"]} | overrides


def worst_economic() -> dict[str, str]:
    data = current_instrument().data
    econ = {i["key"] for i in data["indicators"] if i["dimension"] == "economic"}
    return answers(
        **{q["key"]: q["options"][-1]["key"] for q in data["questions"] if q["indicator"] in econ}
    )


def draft_plan(returned_on: date | None = None) -> ReintegrationPlan:
    case, person = canary_case()
    return actions.create_plan(
        worker(),
        case,
        person,
        returned_on=returned_on or timezone.localdate() - timedelta(days=10),
    )


def fresh(plan: ReintegrationPlan) -> ReintegrationPlan:
    return ReintegrationPlan.objects.get(pk=plan.pk)


def with_goal(plan: ReintegrationPlan, kind: str = "small_business"):
    goal = actions.add_goal(
        worker(),
        plan,
        domain="economic",
        level="individual",
        text="Usaha warung kelontong berjalan",
        responsible_agency=agency("sambas"),
        due_on=timezone.localdate() + timedelta(days=90),
        version=fresh(plan).version,
    )
    service = actions.add_service(
        worker(),
        goal,
        kind=kind,
        responsible_agency=agency("iom"),
        due_on=timezone.localdate() + timedelta(days=30),
        version=fresh(plan).version,
    )
    return goal, service


def active_plan(start_on: date | None = None) -> ReintegrationPlan:
    plan = draft_plan()
    with_goal(plan)
    actions.submit_plan(worker(), plan, version=fresh(plan).version)
    actions.review_plan(supervisor(), plan, approve=True)
    return actions.activate_plan(worker(), plan, start_on=start_on, version=fresh(plan).version)


def visit(plan: ReintegrationPlan, month: int) -> Visit:
    return Visit.objects.get(plan=plan, month=month)
