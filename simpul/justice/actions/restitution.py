"""Restitution per victim per proceeding: the only write is appending to its ledger (a step
or a sum); the state, the awarded and paid figures and the due date follow from the ledger."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.identity.models import Person
from simpul.justice.codes import Clock, RestitutionChannel
from simpul.justice.codes import RestitutionStep as R
from simpul.justice.models import Proceeding, Reminder, Restitution, RestitutionEntry
from simpul.justice.queries import RESTITUTION_OPEN, case_victims, deadlines_of
from simpul.justice.rules import restitution as rules


@dataclass
class RestitutionInput:
    step: str
    occurred_on: date
    amount: int | None = None  # deposits, payments, refunds; the LPSK assessment; the claim
    heads: dict[str, int] = field(default_factory=dict)  # awarded: lost_income, suffering, ...
    channel: str = ""  # filed: through whom
    reference: str = ""  # a decision, receipt or document number


def may_record_restitution(actor: User, proceeding: Proceeding, step: str) -> bool:
    prosecutor = proceeding.prosecutor_id == actor.pk
    if rules.recorder(step) == "prosecutor":
        return prosecutor
    return prosecutor or proceeding.investigator_id == actor.pk


def _validate(
    proceeding: Proceeding,
    restitution: Restitution | None,
    steps: list[str],
    data: RestitutionInput,
) -> None:
    errors: dict[str, str] = {}
    reason = rules.refusal(steps, data.step)
    if reason:
        errors["step"] = reason
    if data.occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    elif data.occurred_on < proceeding.reported_on:
        errors["occurred_on"] = _("The date cannot be before the police report.")
    if data.step == R.AWARDED:
        if any(k not in rules.HEADS for k in data.heads) or any(
            (v or 0) < 0 for v in data.heads.values()
        ):
            errors["heads"] = _("Give the amounts per head of loss in whole rupiah.")
        elif not sum(v or 0 for v in data.heads.values()):
            errors["heads"] = _("Enter the amount awarded for at least one head of loss.")
    elif data.step in rules.MONEY and not data.amount:
        errors["amount"] = _("Enter the amount in whole rupiah.")
    if data.amount is not None and data.amount < 0:
        errors["amount"] = _("Enter the amount in whole rupiah.")
    if data.step == R.FILED and data.channel not in RestitutionChannel.values:
        errors["channel"] = _("Say through whom the claim was filed.")
    refund = data.step == R.REFUND and restitution is not None and not errors
    if refund and (data.amount or 0) > (restitution.paid_total if restitution else 0):
        errors["amount"] = _("A refund cannot be more than what was paid.")
    final = data.step == R.FINAL and not errors
    if final and rules.due_date(proceeding.regime, data.occurred_on) is None:
        errors["occurred_on"] = _("No payment rule is in force on this date.")
    if errors:
        raise ValidationError(errors)


def record_restitution(
    actor: User,
    proceeding: Proceeding,
    victim: Person,
    data: RestitutionInput,
    *,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Restitution:
    """Append one step or sum to the victim's restitution in this proceeding (the first
    entry starts it). Refused with the reason when out of order; nothing is written then."""
    if data.step not in R.values:
        raise ValidationError({"step": _("Choose a step from the list.")})
    if not may_record_restitution(actor, proceeding, data.step):
        raise PermissionDenied
    if victim.pk not in {p.pk for p in case_victims(proceeding)}:
        raise ValidationError({"victim": _("Choose a victim of this case.")})
    with transaction.atomic():
        Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        restitution = (
            Restitution.objects.select_for_update()
            .filter(proceeding=proceeding, victim=victim)
            .first()
        )
        if (
            restitution is not None
            and expected_version is not None
            and restitution.version != expected_version
        ):
            raise StaleRecordError(restitution.version)
        entries = list(restitution.entries.order_by("seq")) if restitution else []
        steps = [e.step for e in entries]
        _validate(proceeding, restitution, steps, data)
        if restitution is None:
            restitution = Restitution.objects.create(
                proceeding=proceeding, victim=victim, state="", created_by=actor
            )
        seq = restitution.entry_count + 1
        amount = sum(data.heads.values()) if data.step == R.AWARDED else data.amount
        entry = RestitutionEntry.objects.create(
            restitution=restitution,
            seq=seq,
            step=data.step,
            occurred_on=data.occurred_on,
            amount=amount,
            heads={k: int(v) for k, v in data.heads.items() if v} if data.step == R.AWARDED else {},
            channel=data.channel if data.step == R.FILED else "",
            reference=data.reference.strip(),
            recorded_by=actor,
        )
        _apply(proceeding, restitution, [*entries, entry])
        restitution.entry_count = seq
        restitution.version += 1
        restitution.save()
        _close_reminders(proceeding)
        audit(
            "restitution.record",
            actor=actor,
            request=request,
            record=proceeding,
            fields=["step"]
            + [n for n in ("amount", "heads", "channel", "reference") if getattr(data, n)],
        )
    return restitution


def _apply(proceeding: Proceeding, r: Restitution, entries: list[RestitutionEntry]) -> None:
    """Derive the figures and the state from the whole ledger."""
    for e in entries:
        if e.step == R.ASSESSED:
            r.assessed_amount = e.amount
        elif e.step == R.FILED:
            r.channel, r.claimed_amount = e.channel, e.amount
        elif e.step == R.DEMANDED:
            r.demanded_amount = e.amount
        elif e.step == R.AWARDED:
            for head in rules.HEADS:
                setattr(r, head, int(e.heads.get(head, 0)))
            r.awarded_total, r.awarded_on = e.amount or 0, e.occurred_on
        elif e.step == R.FINAL:
            due = rules.due_date(proceeding.regime, e.occurred_on)
            r.final_on = e.occurred_on
            r.due_on = due.due_on if due else None
            r.due_basis = due.legal_basis if due else ""
        elif e.step == R.REFUSED:
            r.refused_on = e.occurred_on
        elif e.step == R.CLOSED:
            r.closed_on = e.occurred_on
    r.paid_total = rules.paid_total([(e.step, e.amount) for e in entries])
    if r.awarded_total and r.paid_total >= r.awarded_total and r.paid_in_full_on is None:
        r.paid_in_full_on = entries[-1].occurred_on
    elif r.paid_total < r.awarded_total:
        r.paid_in_full_on = None
    r.state = rules.state_after([e.step for e in entries], r.awarded_total, r.paid_total)


def _close_reminders(proceeding: Proceeding) -> None:
    """An overdue reminder is done once no restitution of the proceeding that was due by its
    date is still unpaid (paid in full, closed, refused or substitute detention); the
    proceeding's payment-limit reminder once every victim's restitution is settled."""
    if not any(d.clock == Clock.RESTITUTION_PAYMENT for d in deadlines_of(proceeding)):
        Reminder.objects.filter(
            proceeding=proceeding, clock=Clock.RESTITUTION_PAYMENT, done_at__isnull=True
        ).update(done_at=timezone.now())
    open_dues = list(
        Restitution.objects.filter(
            proceeding=proceeding, state__in=RESTITUTION_OPEN, due_on__isnull=False
        ).values_list("due_on", flat=True)
    )
    for reminder in Reminder.objects.filter(
        proceeding=proceeding, clock=Clock.RESTITUTION_OVERDUE, done_at__isnull=True
    ):
        if not any(due is not None and due <= reminder.started_on for due in open_dues):
            reminder.done_at = timezone.now()
            reminder.save(update_fields=["done_at"])
