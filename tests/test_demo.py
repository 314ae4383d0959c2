"""The demo world loads through the real actions and is safe to load twice."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from simpul.audit.models import AuditEvent
from simpul.cases.models import Case, Stage
from simpul.identity.models import Person
from simpul.intake.models import Intake
from simpul.justice.models import (
    Defendant,
    LpskApplication,
    PlacementCompany,
    Proceeding,
    ProceedingEvent,
    Reminder,
    Restitution,
    Sentence,
)
from simpul.linkage.models import LinkageAlert, LinkageRun, LinkedPair, PairStatus
from simpul.migration.codes import CheckInOutcome, ScreeningOutcome
from simpul.migration.models import (
    CheckIn,
    Departure,
    ImportBatch,
    MissingReport,
    ReturnEvent,
    Screening,
)
from simpul.referrals.models import Referral
from simpul.shelters.models import Stay


@pytest.mark.django_db
def test_load_demo_refuses_outside_demo_mode(regions, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="SIMPUL_DEMO=true"):
        call_command("load_demo")
    assert Intake.objects.count() == 0


def _world() -> tuple[object, ...]:
    return (
        Person.objects.count(),
        Intake.objects.count(),
        Counter(Intake.objects.values_list("status", flat=True)),
        Counter(Case.objects.values_list("stage", flat=True)),
        Counter(Referral.objects.values_list("status", flat=True)),
        Departure.objects.count(),
        Counter(CheckIn.objects.exclude(outcome="").values_list("outcome", flat=True)),
        MissingReport.objects.count(),
        ReturnEvent.objects.count(),
        ImportBatch.objects.count(),
        Counter(Screening.objects.values_list("outcome", flat=True)),
        LinkageRun.objects.count(),
        LinkedPair.objects.filter(status=PairStatus.REVIEW).count(),
        LinkageAlert.objects.count(),
        AuditEvent.objects.count(),
        Stay.objects.count(),
        Proceeding.objects.count(),
        ProceedingEvent.objects.count(),
        Reminder.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_world(regions, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", verbosity=0)
    first = _world()
    call_command("load_demo", verbosity=0)
    assert _world() == first
    assert Intake.objects.count() == 7
    assert Counter(Intake.objects.values_list("status", flat=True)) == {
        "new": 4,
        "triaged": 1,
        "case_opened": 1,
        "closed": 1,
    }
    assert Intake.objects.filter(immediate_danger=True).count() == 1
    # Every stage of the workflow, one returned to the worker.
    stages = Counter(Case.objects.values_list("stage", flat=True))
    assert set(stages) == set(Stage.values)
    assert stages == {
        "assessment": 4,  # one is the two sisters' case of the concluded prosecution
        "assessment_submitted": 2,
        "planning": 1,
        "plan_submitted": 1,
        "services": 1,
        "monitoring": 1,
        "closure_requested": 1,
        "closed": 1,
    }
    assert Case.objects.exclude(returned_step="").count() == 1
    # Accepted: the police's, and the RPTC's referral for temporary shelter (a stay to plan);
    # the two sisters' case referred to the police and the prosecutor (the justice demo).
    assert Counter(Referral.objects.values_list("status", flat=True)) == {"accepted": 4, "sent": 3}
    assert Counter(Stay.objects.values_list("status", flat=True)) == {
        "checked_in": 3,
        "checked_out": 2,  # one with her KTP still held, one handed over to Sambas
        "planned": 1,
    }
    # Migration: departures with check-ins, a missing report, screenings, a deportee list.
    assert Departure.objects.count() == 7
    outcomes = Counter(CheckIn.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {CheckInOutcome.WELL: 3, CheckInOutcome.UNREACHABLE: 1}
    assert MissingReport.objects.count() == 1
    assert ImportBatch.objects.count() == 1
    assert ReturnEvent.objects.count() == 6
    assert Screening.objects.filter(outcome=ScreeningOutcome.REFERRED).count() == 1
    assert Screening.objects.exclude(referred_intake=None).count() == 1
    # One finished linkage run with pairs to review and the missing report's alert.
    run = LinkageRun.objects.get()
    assert run.status == "done" and run.review_pairs == 3
    assert LinkedPair.objects.filter(status=PairStatus.REVIEW).count() == 3
    alert = LinkageAlert.objects.get()
    assert alert.kind == "missing_match"
    assert alert.user.username == "desa.sebunga"
    assert alert.missing_report == MissingReport.objects.get()
    # Justice: a running proceeding at P-19 with an LPSK application, and a stalled split file,
    # both on the case referred to the police; the reminders the daily job raises for them.
    case = (
        Referral.objects.filter(status="accepted", to_agency__name="Unit PPA Polres Sambas")
        .earliest("sent_at")
        .case
    )
    running, stalled = Proceeding.objects.filter(case=case).order_by("-last_event_on")
    assert (running.stage, running.p19_count, running.prosecutor.username) == (
        "prosecution",
        1,
        "jaksa.sambas",
    )
    assert Counter(
        Defendant.objects.filter(proceeding=running).values_list("perpetrator__kind", flat=True)
    ) == {"person": 1, "company": 1}
    assert stalled.stage == "police" and stalled.event_count == 5
    # The register: the demo departures' company is licensed, another is suspended.
    assert dict(PlacementCompany.objects.values_list("name", "licence_status")) == {
        "PT Contoh Penempatan": "active",
        "PT Contoh Jasa Luar Negeri (demo)": "suspended",
    }
    reminders = Counter(Reminder.objects.values_list("user__username", "clock"))
    assert reminders == {
        ("polisi.sambas", "p19_completion"): 1,
        ("polisi.sambas", "stalled"): 1,
        ("jaksa.sambas", "lpsk_decision"): 1,
        ("jaksa.sambas", "stalled"): 1,
    }
    # The concluded prosecution: a sentence below the minimum, restitution awarded to two
    # victims with different amounts, a partial payment, due in 20 days; LPSK accepted.
    concluded = Proceeding.objects.get(stage="final")
    assert Sentence.objects.get(charge__defendant__proceeding=concluded).prison_flag == "below"
    assert sorted(
        Restitution.objects.filter(proceeding=concluded).values_list(
            "awarded_total", "paid_total", "state"
        )
    ) == [(15_000_000, 0, "due"), (32_500_000, 12_500_000, "partly_paid")]
    assert {r.due_on for r in Restitution.objects.all()} == {
        timezone.localdate() + timedelta(days=20)
    }
    assert LpskApplication.objects.filter(status="accepted").count() == 1
    assert LpskApplication.objects.filter(status="pending").count() == 1
