"""Restitution per victim per proceeding through the real actions: the order of the steps,
the heads of loss, the ledger (append-only), the due date from the payment clock, the states,
and the daily job after the due date (time travel)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import translation

from simpul.justice import actions, queries
from simpul.justice.actions import RestitutionInput
from simpul.justice.codes import Clock, PaymentStatus, Regime, RestitutionChannel
from simpul.justice.codes import RestitutionState as S
from simpul.justice.codes import RestitutionStep as R
from simpul.justice.models import Reminder, Restitution, RestitutionEntry
from simpul.justice.rules import restitution as rules
from tests.justice.support import ago, finalised, two_victim_case
from tests.referrals.support import user


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English; the interface's default is Indonesian."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db
JAKSA, POLISI, WORKER = "jaksa.sambas", "polisi.sambas", "pekerja.sambas"


def at(day: date) -> datetime:
    return datetime.combine(day, time(3, 0), tzinfo=UTC)


def rec(p, victim, step, days_ago, who=JAKSA, **kw):
    return actions.record_restitution(
        user(who), p, victim, RestitutionInput(step, ago(days_ago), **kw)
    )


def awarded_two(p, victims):
    """Both victims filed through LPSK, in the demand, awarded different amounts."""
    a, b = victims
    rec(p, a, R.ASSESSED, 60, who=POLISI, amount=30_000_000)
    rec(p, a, R.FILED, 59, who=POLISI, channel=RestitutionChannel.LPSK, amount=30_000_000)
    rec(p, b, R.FILED, 59, channel=RestitutionChannel.PROSECUTOR, amount=12_000_000)
    rec(p, a, R.DEMANDED, 12, amount=30_000_000)
    rec(p, b, R.DEMANDED, 12, amount=12_000_000)
    heads_a = {"lost_income": 15_000_000, "suffering": 5_000_000, "medical": 4_000_000}
    rec(p, a, R.AWARDED, 5, heads=heads_a)
    rec(p, b, R.AWARDED, 5, heads={"lost_income": 8_000_000, "other_loss": 500_000})


def test_two_victims_awarded_partly_paid_and_overdue_tasks(world):
    case, victims = two_victim_case()
    p = finalised(case, final_days_ago=2)
    awarded_two(p, victims)
    a, b = victims
    ra = rec(p, a, R.FINAL, 2)
    rb = rec(p, b, R.FINAL, 2)
    # PERMA 1/2022 Ps 30(5): 30 days from the notice.
    assert (ra.due_on, ra.due_basis) == (
        ago(2) + timedelta(days=30),
        "PERMA 1/2022 Ps 30(5); UU 20/2025 Ps 178-181",
    )
    assert (ra.awarded_total, ra.lost_income, ra.suffering, ra.medical, ra.other_loss) == (
        24_000_000,
        15_000_000,
        5_000_000,
        4_000_000,
        0,
    )
    assert (rb.awarded_total, rb.state) == (8_500_000, S.DUE)
    ra = rec(p, a, R.PAYMENT, 1, amount=10_000_000, reference="BA/REST/1")
    assert (ra.state, ra.paid_total, queries.restitution_status(ra)) == (
        S.PARTLY_PAID,
        10_000_000,
        PaymentStatus.PARTLY,
    )
    assert ra.entry_count == 6
    due = ra.due_on
    # The day of the due date: nothing overdue yet.
    assert actions.raise_reminders(now=at(due)) == 0
    assert not Reminder.objects.filter(clock=Clock.RESTITUTION_OVERDUE).exists()
    # The day after: one task for the prosecutor and one for the case's worker.
    assert actions.raise_reminders(now=at(due + timedelta(days=1))) == 2
    assert actions.raise_reminders(now=at(due + timedelta(days=2))) == 0  # idempotent
    assert set(
        Reminder.objects.filter(clock=Clock.RESTITUTION_OVERDUE).values_list(
            "user__username", "due_on"
        )
    ) == {(JAKSA, due), (WORKER, due)}
    # The case worker does not see the proceeding but sees the reminder on its case.
    assert [r.clock for r in queries.open_reminders(user(WORKER))] == [Clock.RESTITUTION_OVERDUE]
    assert [r.clock for r in queries.deadlines_this_week(user(WORKER), today=due)] == [
        Clock.RESTITUTION_OVERDUE
    ]
    assert queries.victim_justice_status(a.pk, case.pk) == queries.VictimJusticeStatus(
        "final", S.PARTLY_PAID, PaymentStatus.PARTLY, due
    )
    # Paid in full for both: the reminders are done.
    rec(p, a, R.PAYMENT, 0, amount=14_000_000)
    assert (
        Reminder.objects.filter(done_at__isnull=True, clock=Clock.RESTITUTION_OVERDUE).count() == 2
    )
    rb = rec(p, b, R.DEPOSIT, 0, amount=8_500_000)
    assert (rb.state, rb.paid_in_full_on) == (S.PAID, ago(0))
    assert not Reminder.objects.filter(
        done_at__isnull=True, clock=Clock.RESTITUTION_OVERDUE
    ).exists()


def test_out_of_order_steps_are_refused_and_nothing_is_written(world):
    case, (a, _b) = two_victim_case()
    p = finalised(case)
    with pytest.raises(ValidationError) as err:
        rec(p, a, R.PAYMENT, 1, amount=1_000)
    assert "step" in err.value.message_dict
    assert not Restitution.objects.exists()
    rec(p, a, R.FILED, 3, channel=RestitutionChannel.PROSECUTOR)
    with pytest.raises(ValidationError) as err:
        rec(p, a, R.AWARDED, 2, heads={})
    assert err.value.message_dict["heads"] == [
        "Enter the amount awarded for at least one head of loss."
    ]
    with pytest.raises(ValidationError):
        rec(p, a, R.FILED, 2, channel=RestitutionChannel.LPSK)  # once only
    with pytest.raises(ValidationError) as err:
        rec(p, a, R.REFUND, 2, amount=5)
    assert "step" in err.value.message_dict
    # The investigator files and records a refusal, never an award.
    with pytest.raises(PermissionDenied):
        rec(p, a, R.AWARDED, 2, who=POLISI, heads={"suffering": 1_000})
    r = rec(p, a, R.REFUSED, 1, who=POLISI)
    assert (r.state, r.refused_on) == (S.REFUSED, ago(1))
    with pytest.raises(ValidationError) as err:
        rec(p, a, R.AWARDED, 1, heads={"suffering": 1_000})
    assert err.value.message_dict["step"] == [
        "This restitution has ended; nothing more can be recorded."
    ]
    assert RestitutionEntry.objects.count() == 2


def test_refunds_enforcement_and_substitute_detention(world):
    case, (a, _b) = two_victim_case()
    p = finalised(case, final_days_ago=1)
    rec(p, a, R.FILED, 4, channel=RestitutionChannel.LPSK)
    rec(p, a, R.AWARDED, 3, heads={"suffering": 2_000_000})
    rec(p, a, R.DEPOSIT, 3, amount=2_500_000)
    with pytest.raises(ValidationError) as err:
        rec(p, a, R.REFUND, 2, amount=3_000_000)
    assert err.value.message_dict["amount"] == ["A refund cannot be more than what was paid."]
    r = rec(p, a, R.REFUND, 2, amount=500_000)
    assert (r.paid_total, r.state) == (2_000_000, S.AWARDED)
    r = rec(p, a, R.FINAL, 1)
    assert r.state == S.PAID


def test_unpaid_goes_to_enforcement_then_substitute_detention(world):
    case, (a, _b) = two_victim_case()
    p = finalised(case, final_days_ago=1)
    rec(p, a, R.FILED, 4, channel=RestitutionChannel.DIRECT)
    rec(p, a, R.AWARDED, 3, heads={"medical": 3_000_000})
    assert rec(p, a, R.FINAL, 1).state == S.DUE
    assert rec(p, a, R.SEIZURE, 0).state == S.ENFORCEMENT
    assert rec(p, a, R.AUCTION, 0, amount=None).state == S.ENFORCEMENT
    r = rec(p, a, R.SUBSTITUTE_DETENTION, 0)
    assert r.state == S.SUBSTITUTE_DETENTION
    assert queries.victim_justice_status(a.pk, case.pk).payment == PaymentStatus.UNPAID


def test_the_ledger_is_append_only(world):
    case, (a, _b) = two_victim_case()
    p = finalised(case)
    rec(p, a, R.FILED, 3, channel=RestitutionChannel.LPSK)
    entry = RestitutionEntry.objects.get()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cur:  # noqa: B017
        cur.execute("UPDATE justice_restitutionentry SET amount = 1")
    assert RestitutionEntry.objects.get().amount is None


@pytest.mark.parametrize(
    ("regime", "notice", "days", "basis"),
    [
        (Regime.KUHAP_1981, date(2022, 2, 28), 14, "UU 21/2007 Ps 50(1)"),
        (Regime.KUHAP_1981, date(2022, 3, 1), 30, "PERMA 1/2022 Ps 30(5)"),
        (Regime.KUHAP_2025, date(2026, 2, 1), 30, "PERMA 1/2022 Ps 30(5); UU 20/2025 Ps 178-181"),
    ],
)
def test_due_date_rule_is_the_payment_clock(regime, notice, days, basis):
    due = rules.due_date(regime, notice)
    assert due == rules.DueDate(notice + timedelta(days=days), days, basis)


def test_state_rules():
    assert rules.state_after([R.FILED], 0, 0) == S.FILED
    assert rules.state_after([R.FILED, R.AWARDED, R.FINAL], 10, 0) == S.DUE
    assert rules.state_after([R.FILED, R.AWARDED, R.FINAL, R.PAYMENT], 10, 4) == S.PARTLY_PAID
    assert rules.state_after([R.FILED, R.AWARDED, R.FINAL, R.PAYMENT], 10, 10) == S.PAID
    assert rules.state_after([R.FILED, R.AWARDED, R.FINAL, R.CLOSED], 10, 0) == S.CLOSED
    assert rules.overdue(S.PARTLY_PAID, date(2026, 1, 1), date(2026, 1, 2))
    assert not rules.overdue(S.PARTLY_PAID, date(2026, 1, 1), date(2026, 1, 1))
    assert not rules.overdue(S.PAID, date(2026, 1, 1), date(2026, 2, 1))


def test_the_payment_clock_stops_once_every_victims_restitution_is_settled(world):
    """The proceeding-level payment limit (PERMA 1/2022: 30 days from the final verdict) runs
    while any victim's restitution is unsettled, and its reminder closes once all are paid,
    refused or closed; a later run of the job raises it again for nobody."""
    from simpul.justice.actions import PerpetratorInput, SentenceInput

    case, victims = two_victim_case()
    p = finalised(case, final_days_ago=2)
    jaksa = user(JAKSA)
    defendant = actions.add_defendant(jaksa, p, PerpetratorInput(kind="person", full_name="Budi"))
    charge = actions.add_charge(jaksa, defendant, law="uu21_2007", article="2_1", aggravations=[])
    actions.record_sentence(
        jaksa,
        charge,
        SentenceInput(prison_months=48, restitution_ordered=True, restitution_amount=32_500_000),
    )
    awarded_two(p, victims)
    a, b = victims
    rec(p, a, R.FINAL, 2)
    rec(p, b, R.FINAL, 2)
    due = ago(2) + timedelta(days=30)
    # Five days before the limit (travelling in time): one reminder for the prosecutor.
    assert actions.raise_reminders(now=at(due - timedelta(days=5))) == 1
    payment = Reminder.objects.get(clock=Clock.RESTITUTION_PAYMENT)
    assert (payment.user, payment.due_on, payment.done_at) == (jaksa, due, None)

    rec(p, a, R.PAYMENT, 0, amount=24_000_000)  # the first victim paid in full
    payment.refresh_from_db()
    assert payment.done_at is None  # the second is still owed
    assert [d.clock for d in queries.deadlines_of(p)].count(Clock.RESTITUTION_PAYMENT) == 1

    rec(p, b, R.DEPOSIT, 0, amount=8_500_000)  # and the second
    payment.refresh_from_db()
    assert payment.done_at is not None
    assert [d.clock for d in queries.deadlines_of(p)].count(Clock.RESTITUTION_PAYMENT) == 0
    assert actions.raise_reminders(now=at(due - timedelta(days=3))) == 0
    assert Reminder.objects.filter(done_at__isnull=True).filter(proceeding=p).count() == 0
