"""A victim's restitution as rules over its ledger (pure, no database): which step may follow
which, who records it, the state and payment status the ledger gives, and the due date.

The steps (justice-chain.md C.4.5): assessed by LPSK (optional) → filed (through LPSK, the
investigator, the prosecutor or directly) → in the sentencing demand → awarded (heads of loss)
→ final (notice received; the due date follows the payment clock, `clocks.RULES`) → deposits,
payments and refunds → paid in full, partly or not → enforcement (seizure, auction) →
substitute detention or closed. The victim may refuse restitution at any point before it ends.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from simpul.justice.codes import Clock, PaymentStatus
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import RestitutionState as S
from simpul.justice.codes import RestitutionStep as R
from simpul.justice.rules.clocks import rule_for

MONEY = frozenset({R.DEPOSIT, R.PAYMENT, R.REFUND})
AMOUNT_NEEDED = frozenset({R.DEPOSIT, R.PAYMENT, R.REFUND, R.AWARDED})
ENDS = frozenset({R.CLOSED, R.REFUSED, R.SUBSTITUTE_DETENTION})
# Steps the investigator may record too (the claim can be filed through the investigator).
EITHER = frozenset({R.ASSESSED, R.FILED, R.REFUSED, R.DEPOSIT})
HEADS = ("lost_income", "suffering", "medical", "other_loss")

# What must come before each step (any of).
NEEDS: dict[str, frozenset[str]] = {
    R.DEMANDED: frozenset({R.FILED}),
    R.AWARDED: frozenset({R.FILED, R.DEMANDED}),
    R.FINAL: frozenset({R.AWARDED}),
    R.PAYMENT: frozenset({R.AWARDED}),
    R.REFUND: frozenset({R.DEPOSIT, R.PAYMENT}),
    R.SEIZURE: frozenset({R.FINAL}),
    R.AUCTION: frozenset({R.SEIZURE}),
    R.SUBSTITUTE_DETENTION: frozenset({R.FINAL}),
    R.CLOSED: frozenset({R.FINAL, R.REFUSED}),
}
ONCE = frozenset({R.ASSESSED, R.FILED, R.DEMANDED, R.AWARDED, R.FINAL})


def recorder(step: str) -> str:
    return "either" if step in EITHER else "prosecutor"


def refusal(earlier: list[str], step: str) -> str | None:
    """Why `step` cannot follow `earlier` (None when it can)."""
    if any(s in ENDS for s in earlier):
        return str(_("This restitution has ended; nothing more can be recorded."))
    if step in ONCE and step in earlier:
        return str(_("This step is already recorded."))
    needs = NEEDS.get(step)
    if needs and not needs & set(earlier):
        labels = ", ".join(str(R(n).label) for n in sorted(needs))
        return str(_("This step needs first: %(steps)s.") % {"steps": labels})
    if step == R.FILED and R.AWARDED in earlier:
        return str(_("The claim is already awarded."))
    return None


def paid_total(entries: list[tuple[str, int | None]]) -> int:
    """Deposits and payments less refunds."""
    total = 0
    for step, amount in entries:
        if step in (R.DEPOSIT, R.PAYMENT):
            total += amount or 0
        elif step == R.REFUND:
            total -= amount or 0
    return total


def payment_status(awarded: int, paid: int) -> str:
    if not awarded:
        return PaymentStatus.NOT_AWARDED
    if paid >= awarded:
        return PaymentStatus.FULL
    return PaymentStatus.PARTLY if paid > 0 else PaymentStatus.UNPAID


def state_after(steps: list[str], awarded: int, paid: int) -> str:
    """The state the ledger gives (steps in the order recorded)."""
    done = set(steps)
    if R.REFUSED in done:
        return S.REFUSED
    if R.CLOSED in done:
        return S.CLOSED
    if R.SUBSTITUTE_DETENTION in done:
        return S.SUBSTITUTE_DETENTION
    if R.FINAL in done:
        status = payment_status(awarded, paid)
        if status == PaymentStatus.FULL:
            return S.PAID
        if done & {R.SEIZURE, R.AUCTION}:
            return S.ENFORCEMENT
        return S.PARTLY_PAID if status == PaymentStatus.PARTLY else S.DUE
    for step, state in (
        (R.AWARDED, S.AWARDED),
        (R.DEMANDED, S.DEMANDED),
        (R.FILED, S.FILED),
    ):
        if step in done:
            return state
    return S.ASSESSED


@dataclass(frozen=True)
class DueDate:
    due_on: date
    days: int
    legal_basis: str


def due_date(regime: str, notice_on: date) -> DueDate | None:
    """The payment deadline from the notice of the final award: the restitution payment clock
    in force on that date (UU 21/2007 Ps 50(1) 14 days until 28 Feb 2022, PERMA 1/2022 Ps 30(5)
    30 days from 1 Mar 2022)."""
    rule = rule_for(Clock.RESTITUTION_PAYMENT, regime, E.FINAL, notice_on)
    if rule is None:
        return None
    return DueDate(notice_on + timedelta(days=rule.days), rule.days, rule.legal_basis)


def overdue(state: str, due_on: date | None, today: date) -> bool:
    """Past the due date with less than awarded paid (and not ended another way)."""
    return due_on is not None and today > due_on and state in (S.DUE, S.PARTLY_PAID, S.ENFORCEMENT)
