"""Triage: the decision on a new report, and the next step of a triaged one."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.roles import Perm, Role, policy
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.errors import StaleRecordError
from simpul.identity.crypto import seal_text
from simpul.identity.models import Person
from simpul.identity.validation import check_text_length, too_long_message
from simpul.intake.actions import record_case_opened  # defined before this module is imported
from simpul.intake.models import (
    Intake,
    IntakeNote,
    IntakePerson,
    Status,
    TriageDecision,
)
from simpul.intake.queries import get_intake_for, triage_agency_ids
from simpul.intake.sealing import close_reason_aad, note_aad

# The rule for "open a case" (issue 12, item 1). A case needs at least one victim
# (`cases.actions.open_case`), and the victim of a report is the person concerned the operator
# recorded on the hotline form or the screening interview linked to it. So: a report naming at
# least one person concerned opens its case at once (with the report's latest screening, if
# any); a report naming nobody goes to the screening interview first and stays on the
# operator's worklist (status "triaged") until the case is opened from the screening result,
# or the report is closed with a reason. A referral to another agency hangs on a case
# (`referrals.actions.send_referral`), so "refer" opens the case at the report's own agency
# and refers it at once, under the consent rules: the victim's consent to sharing with that
# agency given on the call, or a supervisor's (CONSENT_OVERRIDE) reason why it cannot wait.
REFERRAL_REASON_MAX = 300  # referrals.models.Referral.reason
FOLLOW_UP_DECISIONS = (TriageDecision.OPEN_CASE, TriageDecision.REFER, TriageDecision.NO_ACTION)


@dataclass(frozen=True)
class ReferralRequest:
    """What "refer to another agency" needs: where, what it may see, and consent."""

    to_agency: Agency | None
    sections: tuple[str, ...] = ("identity",)
    consent_given: bool = False  # the person concerned agreed to sharing with that agency
    guardian_consent: bool = False  # for a child: a parent or guardian agreed
    guardian_relation: str = ""
    override_reason: str = ""  # a supervisor's reason to refer without consent


def receiving_agencies(exclude: Iterable[int] = ()) -> QuerySet[Agency]:
    """Agencies that can receive a referral: active, with an active member whose role works
    cases (edits records), so someone there can accept or decline it."""
    working = [r for r in Role if Perm.EDIT_RECORDS in policy(r).perms]
    return (
        Agency.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__user__is_active=True,
            memberships__role__in=working,
        )
        .exclude(pk__in=list(exclude))
        .distinct()
        .order_by("name")
    )


def _require_triage_role(actor: User, intake: Intake) -> None:
    if intake.owner_agency_id not in triage_agency_ids(actor):
        raise PermissionDenied(_("Only the agency's hotline operators and supervisors triage."))


def triage(
    actor: User,
    intake: Intake,
    decision: str,
    *,
    immediate_danger: bool,
    child_involved: bool,
    note: str = "",
    reason: str = "",
    referral: ReferralRequest | None = None,
    assigned_to: User | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Intake:
    """Record the triage decision on a report waiting for triage, and do what it says:

    * "screen": the report stays on the operator's worklist (status triaged) for screening;
    * "open_case": the case is opened (status case opened), or, when the report names nobody
      yet, screening comes first and the report stays on the worklist (see the rule above);
    * "refer": the case is opened at this agency and referred to `referral.to_agency` under
      the consent rules (status case opened);
    * "no_action": closed, with a required reason (kept sealed).

    A decision outside `TriageDecision` is refused (ValidationError, nothing changed).
    Refused with StaleRecordError, nothing changed, if the report is no longer waiting
    (someone else triaged it, or a case was opened from it) or, when `expected_version` names
    the version the decision was based on, if the report changed since: a stale decision must
    never silently overwrite a newer one (issue 21, finding 7). Everything in one transaction
    with its audit entries: a refused case or referral leaves the report as it was."""
    return _decide(
        actor,
        intake,
        decision,
        expected_status=Status.NEW,
        immediate_danger=immediate_danger,
        child_involved=child_involved,
        note=note,
        reason=reason,
        referral=referral,
        assigned_to=assigned_to,
        expected_version=expected_version,
        request=request,
    )


def complete_triaged(
    actor: User,
    intake: Intake,
    decision: str,
    *,
    note: str = "",
    reason: str = "",
    referral: ReferralRequest | None = None,
    assigned_to: User | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Intake:
    """The next step for a triaged report still on the worklist (after screening): open the
    case, refer, or close it with a reason. Only for a report in status "triaged"; the triage
    decision itself is kept, the step is audited as `intake.follow_up`."""
    return _decide(
        actor,
        intake,
        decision,
        expected_status=Status.TRIAGED,
        immediate_danger=None,
        child_involved=None,
        note=note,
        reason=reason,
        referral=referral,
        assigned_to=assigned_to,
        expected_version=expected_version,
        request=request,
    )


def _decide(
    actor: User,
    intake: Intake,
    decision: str,
    *,
    expected_status: str,
    immediate_danger: bool | None,
    child_involved: bool | None,
    note: str,
    reason: str,
    referral: ReferralRequest | None,
    assigned_to: User | None,
    expected_version: int | None,
    request: HttpRequest | None,
) -> Intake:
    allowed = TriageDecision.values if expected_status == Status.NEW else FOLLOW_UP_DECISIONS
    if decision not in allowed:
        raise ValidationError({"decision": [_("Choose one of the decisions offered.")]})
    get_intake_for(actor, intake.pk, perm=Perm.EDIT_RECORDS, request=request)
    _require_triage_role(actor, intake)
    check_text_length("note", note.strip())
    check_text_length("reason", reason.strip(), limit_of="note")
    try:
        return _decide_locked(
            actor,
            intake,
            decision,
            expected_status=expected_status,
            immediate_danger=immediate_danger,
            child_involved=child_involved,
            note=note,
            reason=reason,
            referral=referral,
            assigned_to=assigned_to,
            expected_version=expected_version,
            request=request,
        )
    except (ValidationError, PermissionDenied):
        if decision == TriageDecision.REFER and referral and referral.to_agency:
            # The refusal (e.g. no consent) rolled back with the transaction: record it.
            audit(
                "intake.refer_refused",
                actor=actor,
                request=request,
                record=intake,
                outcome=Outcome.DENIED,
                reason=f"to agency {referral.to_agency.pk}",
            )
        raise


def _decide_locked(
    actor: User,
    intake: Intake,
    decision: str,
    *,
    expected_status: str,
    immediate_danger: bool | None,
    child_involved: bool | None,
    note: str,
    reason: str,
    referral: ReferralRequest | None,
    assigned_to: User | None,
    expected_version: int | None,
    request: HttpRequest | None,
) -> Intake:
    with transaction.atomic():
        fresh = Intake.objects.select_for_update().get(pk=intake.pk)
        if fresh.status != expected_status or (
            expected_version is not None and fresh.version != expected_version
        ):
            raise StaleRecordError(fresh.version)
        victims = [
            ip.person
            for ip in fresh.persons.filter(role=IntakePerson.Role.CONCERNED).select_related(
                "person"
            )
        ]
        if decision == TriageDecision.NO_ACTION and not reason.strip():
            raise ValidationError(
                {"reason": [_("Say why no action is needed: the report is closed with it.")]}
            )
        if decision == TriageDecision.REFER:
            _check_referral(fresh, referral, reason, victims)
        if decision == TriageDecision.OPEN_CASE and not victims and expected_status != Status.NEW:
            raise ValidationError(
                {
                    "decision": [
                        _(
                            "Nobody is recorded on this report yet: record the person "
                            "concerned in the screening interview first."
                        )
                    ]
                }
            )
        now = timezone.now()
        if expected_status == Status.NEW:
            fresh.triage_decision = decision
            fresh.triaged_at = now
            fresh.triaged_by = actor
        if immediate_danger is not None:
            fresh.immediate_danger = immediate_danger
        if child_involved is not None:
            fresh.child_involved = child_involved
        fields = ["status", "triage_decision"]
        if decision == TriageDecision.NO_ACTION:
            fresh.status = Status.CLOSED
            fresh.close_reason_sealed = seal_text(reason.strip(), close_reason_aad(fresh.id))
            fields.append("close_reason")
        else:
            fresh.status = Status.TRIAGED
        fresh.version += 1
        fresh.save()
        if note.strip():
            IntakeNote.objects.create(
                intake=fresh,
                added_at=now,
                added_by=actor,
                text_sealed=seal_text(note.strip(), note_aad(fresh.id)),
            )
            fields.append("note")
        audit(
            "intake.triage" if expected_status == Status.NEW else "intake.follow_up",
            actor=actor,
            request=request,
            record=fresh,
            fields=fields,
            reason=decision,
        )
        if decision in (TriageDecision.OPEN_CASE, TriageDecision.REFER) and victims:
            case = _open_case(actor, fresh, victims, assigned_to, request)
            if decision == TriageDecision.REFER:
                assert referral is not None and referral.to_agency is not None
                _refer(actor, case, fresh, victims, referral, reason, request)
        fresh.refresh_from_db()
    return fresh


def _check_referral(
    intake: Intake, referral: ReferralRequest | None, reason: str, victims: list[Person]
) -> None:
    errors: dict[str, list[str]] = {}
    if referral is None or referral.to_agency is None:
        errors["to_agency"] = [_("Choose the agency to refer to.")]
    elif (
        not receiving_agencies(exclude=[intake.owner_agency_id])
        .filter(pk=referral.to_agency.pk)
        .exists()
    ):
        errors["to_agency"] = [_("This agency cannot receive referrals. Choose another one.")]
    if not reason.strip():
        errors["reason"] = [_("Say why you refer the report.")]
    elif len(reason.strip()) > REFERRAL_REASON_MAX:
        errors["reason"] = [too_long_message(REFERRAL_REASON_MAX, len(reason.strip()))]
    if not victims:
        errors["decision"] = [
            _(
                "A referral needs the person concerned: record them in a screening interview "
                "first (choose “Screen for trafficking”)."
            )
        ]
    if errors:
        raise ValidationError(errors)


def _open_case(
    actor: User,
    intake: Intake,
    victims: list[Person],
    assigned_to: User | None,
    request: HttpRequest | None,
) -> object:
    # cases.actions imports intake.actions (record_case_opened): a real cycle, broken here.
    # cycle: cases.actions imports intake.actions (record_case_opened)
    from simpul.cases.actions import open_case

    screening = intake.screenings.order_by("-interviewed_at").first()
    case = open_case(
        actor,
        victims=victims,
        intake=intake,
        screening=screening,
        assigned_to=assigned_to,
        request=request,
    )
    # Whether or not `open_case` already told intake (record_case_opened), the report is done.
    record_case_opened(actor, intake, case, request=request)
    return case


def _refer(
    actor: User,
    case: object,
    intake: Intake,
    victims: list[Person],
    referral: ReferralRequest,
    reason: str,
    request: HttpRequest | None,
) -> None:
    # cases and referrals import intake.actions: a real cycle, broken here.
    # cycle: cases.actions imports intake.actions (record_case_opened)
    from simpul.cases.actions import record_consent

    # cycle: referrals.actions imports cases.actions, which imports intake.actions
    from simpul.referrals.actions import send_referral

    assert referral.to_agency is not None
    if referral.consent_given:
        for person in victims:
            record_consent(
                actor,
                case,  # type: ignore[arg-type]
                person,
                items=["sharing"],
                share_with=[referral.to_agency],
                guardian_consent=referral.guardian_consent,
                guardian_relation=referral.guardian_relation,
                is_child=intake.child_involved,
                request=request,
            )
    send_referral(
        actor,
        case,  # type: ignore[arg-type]
        referral.to_agency,
        reason=reason.strip(),
        sections=list(referral.sections),
        override_reason="" if referral.consent_given else referral.override_reason,
        request=request,
    )
