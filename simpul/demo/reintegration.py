"""The demo's reintegration plan, through the reintegration actions: the Sambas case in
monitoring (its victim back in her village) has an active plan over three domains, a
baseline visit at the start, a livelihood training delivered, and a 3-month visit whose
economic fall is a setback: a review task for `pekerja.sambas` (due in a week)."""

from datetime import timedelta

from django.utils import timezone

from simpul.accounts.models import Agency, User
from simpul.cases.models import Case
from simpul.reintegration import actions
from simpul.reintegration.models import ReintegrationPlan
from simpul.reintegration.queries import current_instrument

SAMBAS = "UPTD PPA Kabupaten Sambas"


def _first_options(data: dict, **overrides: str) -> dict[str, str]:
    return {q["key"]: q["options"][0]["key"] for q in data["questions"]} | overrides


def build_reintegration() -> None:
    if ReintegrationPlan.objects.exists():
        return
    actions.install_shipped_instruments()
    sambas = Agency.objects.get(name=SAMBAS)
    case = Case.objects.filter(owner_agency=sambas, stage="monitoring").first()
    if case is None:
        return
    worker = User.objects.get(username="pekerja.sambas")
    supervisor = User.objects.get(username="supervisor.sambas")
    iom = Agency.objects.filter(name__startswith="IOM").first() or sambas
    today = timezone.localdate()
    start = today - timedelta(days=95)
    person = case.victims.get().person
    plan = actions.create_plan(worker, case, person, returned_on=start - timedelta(days=5))
    goals = [
        ("economic", "individual", "Membuka usaha jahit di rumah", "vocational_training", iom),
        ("legal", "individual", "KTP dan akta kelahiran diterbitkan ulang", "ktp", sambas),
        (
            "social",
            "family",
            "Keluarga menerima dan mendukung kepulangan",
            "family_mediation",
            sambas,
        ),
        (
            "safety",
            "community",
            "Perangkat desa memantau calo di kampung",
            "community_awareness",
            sambas,
        ),
    ]
    services = []
    for domain, level, text, kind, agency in goals:
        goal = actions.add_goal(
            worker,
            plan,
            domain=domain,
            level=level,
            text=text,
            responsible_agency=agency,
            due_on=today + timedelta(days=180),
        )
        services.append(
            actions.add_service(
                worker,
                goal,
                kind=kind,
                responsible_agency=agency,
                due_on=start + timedelta(days=45),
            )
        )
    actions.submit_plan(worker, plan)
    actions.review_plan(supervisor, plan, approve=True)
    actions.activate_plan(worker, plan, start_on=start)
    data = current_instrument().data  # type: ignore[union-attr]
    visits = {v.month: v for v in plan.visits.all()}
    actions.record_visit(
        worker,
        visits[0],
        answers=_first_options(data, work="irregular", debt="hard", distress="sometimes"),
        done_on=start,
    )
    actions.deliver_service(worker, services[0], delivered_on=start + timedelta(days=40))
    actions.deliver_service(worker, services[1], delivered_on=start + timedelta(days=50))
    # Three months on: the sewing orders stopped and a new debt was taken: a setback.
    actions.record_visit(
        worker,
        visits[3],
        answers=_first_options(
            data,
            econ_satisfaction="dissatisfied",
            food="sometimes",
            work="none",
            debt="unpayable",
            assets="no",
            distress="often",
            leave_again="maybe",
        ),
        done_on=today - timedelta(days=2),
    )
