"""Opening a proceeding, assigning its prosecutor, and appending to its event log (the only
write the log has: no update, no delete)."""

from dataclasses import dataclass, field, fields
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Role
from simpul.audit.log import record as audit
from simpul.cases.models import Case
from simpul.cases.queries import cases_for
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import seal_text
from simpul.justice.actions.common import grant_user, new_proceeding_code, role_grant
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import ProtectiveMeasure, Regime, StopReason
from simpul.justice.models import Proceeding, ProceedingEvent, Reminder
from simpul.justice.queries import deadlines_of
from simpul.justice.rules.clocks import default_regime
from simpul.justice.rules.events import STOPS, p19_round_trips, recorder, refusal, stage_after
from simpul.justice.sealing import event_note_aad

# Which identifier an event's document number fills (the first time).
IDENTIFIER_OF: dict[str, str] = {
    E.REPORT: "police_report_number",
    E.SPDP: "spdp_number",
    E.FILE_HANDED_OVER: "case_file_number",
    E.COURT_REGISTERED: "court_case_number",
    E.BANDING_REQUESTED: "appeal_number",
    E.KASASI_REQUESTED: "cassation_number",
    E.PK_REQUESTED: "review_number",
}
HEARINGS = frozenset({E.FIRST_HEARING, E.HEARING})


@dataclass
class EventInput:
    code: str
    occurred_on: date
    document_number: str = ""
    stop_reason: str = ""
    verdict_outcome: str = ""
    victim_testified: bool = False
    protective_measures: list[str] = field(default_factory=list)
    next_hearing_on: date | None = None
    note: str = ""


def open_proceeding(
    actor: User,
    case: Case,
    *,
    reported_on: date,
    police_report_number: str,
    regime: str = "",
    regime_reason: str = "",
    request: HttpRequest | None = None,
) -> Proceeding:
    """The police open a proceeding on a case they see (referred to them); the police report
    is its first event. The regime follows the report date unless overridden with a reason."""
    grant = role_grant(actor, Role.POLICE_INVESTIGATOR)
    if not cases_for(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    if reported_on > timezone.localdate():
        errors["reported_on"] = _("The date cannot be in the future.")
    if not police_report_number.strip():
        errors["police_report_number"] = _("Enter the police report number.")
    default = default_regime(reported_on)
    overridden = bool(regime) and regime != default
    if regime and regime not in Regime.values:
        errors["regime"] = _("Choose a procedural regime from the list.")
    elif overridden and not regime_reason.strip():
        errors["regime_reason"] = _("Say why this proceeding follows another procedural regime.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proceeding = Proceeding.objects.create(
            code=new_proceeding_code(),
            owner_agency_id=grant.agency_id,
            scope_region=None,  # no jurisdiction reach: need to know (docs/justice.md)
            created_by=actor,
            case=case,
            regime=regime or default,
            regime_overridden=overridden,
            regime_reason=regime_reason.strip() if overridden else "",
            investigator=actor,
            reported_on=reported_on,
        )
        grant_user(proceeding, actor, by=actor)
        audit(
            "proceeding.open",
            actor=actor,
            request=request,
            record=proceeding,
            fields=["case", "regime", "reported_on"] + (["regime_reason"] if overridden else []),
        )
        _append(
            actor,
            proceeding,
            EventInput(E.REPORT, reported_on, document_number=police_report_number.strip()),
            request=request,
        )
    return proceeding


def assign_prosecutor(
    actor: User,
    proceeding: Proceeding,
    prosecutor: User,
    *,
    request: HttpRequest | None = None,
) -> Proceeding:
    """The investigator names the prosecutor who follows the file (after the SPDP)."""
    if proceeding.investigator_id != actor.pk:
        raise PermissionDenied
    if Role.PROSECUTOR not in principal_for(prosecutor).roles:
        raise ValidationError({"prosecutor": _("Choose a user who holds the prosecutor role.")})
    with transaction.atomic():
        locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        if locked.prosecutor_id is not None and locked.prosecutor_id != prosecutor.pk:
            raise ValidationError({"prosecutor": _("A prosecutor is already assigned.")})
        locked.prosecutor = prosecutor
        locked.version += 1
        locked.save(update_fields=["prosecutor", "version", "updated_at"])
        grant_user(locked, prosecutor, by=actor)
        for defendant in locked.defendants.select_related("perpetrator"):
            grant_user(defendant.perpetrator, prosecutor, by=actor)
            if defendant.perpetrator.person is not None:
                grant_user(defendant.perpetrator.person, prosecutor, by=actor)
        audit(
            "proceeding.assign_prosecutor",
            actor=actor,
            request=request,
            record=locked,
            fields=["prosecutor"],
        )
    return locked


def may_record(actor: User, proceeding: Proceeding, code: str) -> bool:
    who = recorder(code)
    police = proceeding.investigator_id == actor.pk
    prosecutor = proceeding.prosecutor_id == actor.pk
    return (
        (who == "police" and police)
        or (who == "prosecutor" and prosecutor)
        or (who == "either" and (police or prosecutor))
    )


def append_event(
    actor: User,
    proceeding: Proceeding,
    data: EventInput,
    *,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ProceedingEvent:
    """Append the next event, refused with the reason when the order, the recorder or a
    field is wrong (nothing is written then)."""
    if data.code not in E.values:
        raise ValidationError({"code": _("Choose an event from the list.")})
    if not may_record(actor, proceeding, data.code):
        raise PermissionDenied
    with transaction.atomic():
        locked = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleRecordError(locked.version)
        event = _append(actor, locked, data, request=request)
    proceeding.refresh_from_db()
    return event


def _validate(proceeding: Proceeding, earlier: list[ProceedingEvent], data: EventInput) -> None:
    errors: dict[str, object] = {}
    reason = refusal([e.code for e in earlier], data.code)
    if reason:
        errors["code"] = str(reason)
    if data.occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    elif earlier and data.occurred_on < earlier[-1].occurred_on:
        errors["occurred_on"] = _("The date cannot be before the previous event's date.")
    if data.code in STOPS and data.stop_reason not in StopReason.values:
        errors["stop_reason"] = _("Say why the proceeding stopped.")
    if data.code == E.VERDICT and not data.verdict_outcome:
        errors["verdict_outcome"] = _("Choose the verdict's outcome.")
    if data.protective_measures and data.code not in HEARINGS:
        errors["protective_measures"] = _("Protective measures belong to a hearing.")
    if any(m not in ProtectiveMeasure.values for m in data.protective_measures):
        errors["protective_measures"] = _("Choose protective measures from the list.")
    if data.next_hearing_on and data.next_hearing_on < data.occurred_on:
        errors["next_hearing_on"] = _("The next hearing cannot be before this event.")
    if data.code == E.P19 and not data.note.strip():
        errors["note"] = _("Write the prosecutor's instructions (petunjuk) for the investigator.")
    if errors:
        raise ValidationError(errors)


def _append(
    actor: User, proceeding: Proceeding, data: EventInput, *, request: HttpRequest | None
) -> ProceedingEvent:
    earlier = list(proceeding.events.order_by("seq"))
    _validate(proceeding, earlier, data)
    seq = proceeding.event_count + 1
    event = ProceedingEvent.objects.create(
        proceeding=proceeding,
        seq=seq,
        code=data.code,
        occurred_on=data.occurred_on,
        document_number=data.document_number.strip(),
        stop_reason=data.stop_reason if data.code in STOPS else "",
        verdict_outcome=data.verdict_outcome if data.code == E.VERDICT else "",
        victim_testified=data.victim_testified and data.code in HEARINGS,
        protective_measures=sorted(set(data.protective_measures)),
        next_hearing_on=data.next_hearing_on,
        note_sealed=seal_text(data.note.strip(), event_note_aad(proceeding.pk, seq)),
        recorded_by=actor,
    )
    codes = [e.code for e in earlier] + [data.code]
    changed = ["stage", "last_event_on", "p19_count", "event_count", "version", "updated_at"]
    proceeding.stage = stage_after(codes)
    proceeding.last_event_on = data.occurred_on
    proceeding.p19_count = p19_round_trips(codes)
    proceeding.event_count = seq
    proceeding.version += 1
    if data.code in HEARINGS or data.code == E.VERDICT:
        proceeding.next_hearing_on = data.next_hearing_on
        changed.append("next_hearing_on")
    if data.code in STOPS:
        proceeding.stop_reason = data.stop_reason
        changed.append("stop_reason")
    identifier = IDENTIFIER_OF.get(data.code)
    if identifier and data.document_number.strip() and not getattr(proceeding, identifier):
        setattr(proceeding, identifier, data.document_number.strip())
        changed.append(identifier)
    proceeding.save(update_fields=changed)
    _close_reminders(proceeding, [*earlier, event])
    audit(
        "proceeding.event_append",
        actor=actor,
        request=request,
        record=proceeding,
        fields=[f.name for f in _filled(data)],
    )
    return event


def _filled(data: EventInput) -> list:
    return [f for f in fields(data) if getattr(data, f.name)]


def _close_reminders(proceeding: Proceeding, events: list[ProceedingEvent]) -> None:
    """A reminder is done once its limit no longer runs (the stop event came); a stalled one
    once any event is recorded."""
    running = {(d.clock, d.started_on) for d in deadlines_of(proceeding, events)}
    now = timezone.now()
    for reminder in Reminder.objects.filter(proceeding=proceeding, done_at__isnull=True):
        if (reminder.clock, reminder.started_on) not in running:
            reminder.done_at = now
            reminder.save(update_fields=["done_at"])
