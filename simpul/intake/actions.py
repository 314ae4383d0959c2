"""Every write to intake: record, refer, submit publicly, add information, triage."""

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role, policy
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.errors import StaleRecordError
from simpul.core.models import AccessGrant
from simpul.identity.crypto import blind_index, seal_text
from simpul.identity.models import Person
from simpul.identity.validation import check_text_length, too_long_message
from simpul.intake.models import (
    Channel,
    Intake,
    IntakeNote,
    IntakePerson,
    Status,
    TriageDecision,
)
from simpul.intake.routing import receiving_agency
from simpul.regions.models import Region

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def narrative_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intake.narrative_sealed:{intake_id}"


def note_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intakenote.text_sealed:{intake_id}"


def contact_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intake.reporter_contact_sealed:{intake_id}"


def close_reason_aad(intake_id: uuid.UUID) -> str:
    return f"intake.intake.close_reason_sealed:{intake_id}"


def _new_reference() -> str:
    while True:
        ref = f"ADU-{timezone.now():%y}-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not Intake.objects.filter(reference=ref).exists():
            return ref


def new_receipt_code() -> str:
    """What a public reporter keeps: 12 characters, about 59 bits, grouped for reading aloud."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_index(code: str) -> str:
    return blind_index("receipt", code)


@dataclass(frozen=True)
class IntakeDetails:
    channel: str
    narrative: str
    place_region: Region | None = None
    place_country: str = ""
    immediate_danger: bool = False
    child_involved: bool = False


def _grant(
    record: Intake | Person,
    *,
    agency: Agency | None = None,
    user: User | None = None,
    kind: str,
    by: User | None,
) -> None:
    AccessGrant.objects.get_or_create(
        record_type=ContentType.objects.get_for_model(type(record)),
        record_id=record.pk,
        agency=agency,
        user=user,
        kind=kind,
        defaults={"granted_by": by},
    )


def _create(
    details: IntakeDetails,
    *,
    owner_agency: Agency,
    actor: User | None,
    persons: Iterable[Person] = (),
    reporter: Person | None = None,
    reporter_anonymous: bool = False,
    **extra: object,
) -> Intake:
    if not details.narrative.strip():
        raise ValidationError({"narrative": [_("Describe what happened, even briefly.")]})
    if details.channel not in Channel.values:
        raise ValidationError({"channel": [_("Choose how the report arrived.")]})
    check_text_length("narrative", details.narrative.strip())
    intake = Intake(
        id=uuid.uuid4(),
        reference=_new_reference(),
        channel=details.channel,
        received_at=timezone.now(),
        owner_agency=owner_agency,
        scope_region=details.place_region,
        place_country=details.place_country.upper()[:2],
        immediate_danger=details.immediate_danger,
        child_involved=details.child_involved,
        reporter=reporter,
        reporter_anonymous=reporter_anonymous,
        created_by=actor,
        **extra,
    )
    intake.narrative_sealed = seal_text(details.narrative.strip(), narrative_aad(intake.id))
    intake.save()
    IntakePerson.objects.bulk_create(IntakePerson(intake=intake, person=p) for p in persons)
    return intake


def record_intake(
    actor: User,
    details: IntakeDetails,
    *,
    owner_agency: Agency,
    persons: Iterable[Person] = (),
    reporter: Person | None = None,
    reporter_anonymous: bool = False,
    reporter_contact: str = "",
    request: HttpRequest | None = None,
) -> Intake:
    """An operator records a report received at their own agency. `reporter_contact` is how
    to reach a caller who gave no name (or stays anonymous): kept sealed like a public
    reporter's contact."""
    grants = principal_for(actor).grants_with(Perm.EDIT_RECORDS)
    if not any(g.agency_id == owner_agency.id for g in grants):
        raise PermissionDenied(_("You cannot record reports for this agency."))
    check_text_length("reporter_phone", reporter_contact.strip(), limit_of="contact")
    persons = list(persons)
    with transaction.atomic():
        intake = _create(
            details,
            owner_agency=owner_agency,
            actor=actor,
            persons=persons,
            reporter=reporter,
            reporter_anonymous=reporter_anonymous,
        )
        if reporter_contact.strip():
            intake.reporter_contact_sealed = seal_text(
                reporter_contact.strip(), contact_aad(intake.id)
            )
            intake.save(update_fields=["reporter_contact_sealed"])
        _grant(intake, user=actor, kind=AccessGrant.Kind.CREATOR, by=actor)
        audit(
            "intake.create",
            actor=actor,
            request=request,
            record=intake,
            fields=[
                "narrative",
                "channel",
                *(["persons"] if persons else []),
                *(["reporter"] if reporter else []),
                *(["contact"] if reporter_contact.strip() else []),
            ],
        )
    return intake


def refer_to_protection(
    actor: User,
    details: IntakeDetails,
    *,
    persons: Iterable[Person],
    source_type: str = "",
    source_id: str = "",
    to_agency: Agency | None = None,
    request: HttpRequest | None = None,
) -> Intake:
    """A village, border post, police unit or partner refers people to the UPTD PPA that serves
    the place. The receiving agency gets access to the persons; the referrer keeps access to
    the intake so it can follow what happened."""
    principal = principal_for(actor)
    grants = principal.grants_with(Perm.EDIT_RECORDS)
    if not grants:
        raise PermissionDenied(_("Your role cannot refer people."))
    from_agency = Agency.objects.get(pk=grants[0].agency_id)
    target = to_agency or receiving_agency(details.place_region, near=from_agency)
    if target is None:
        raise ValidationError({"to_agency": [_("No UPTD PPA serves this area. Choose one.")]})
    persons = list(persons)
    with transaction.atomic():
        intake = _create(
            details,
            owner_agency=target,
            actor=actor,
            persons=persons,
            source_type=source_type,
            source_id=source_id,
            referred_by_agency=from_agency,
        )
        _grant(intake, agency=from_agency, kind=AccessGrant.Kind.REFERRAL, by=actor)
        for person in persons:
            _grant(person, agency=target, kind=AccessGrant.Kind.REFERRAL, by=actor)
        audit(
            "intake.refer",
            actor=actor,
            request=request,
            record=intake,
            fields=["narrative", "persons"],
            reason=f"to agency {target.pk}",
        )
    return intake


def submit_public_report(
    details: IntakeDetails, *, contact: str = "", request: HttpRequest | None = None
) -> tuple[Intake, str]:
    """A report from the public web form: anonymous, routed by place. Returns the receipt."""
    target = receiving_agency(details.place_region)
    if target is None:
        raise ValidationError({"place_region": [_("Choose the area where it happened.")]})
    check_text_length("contact", contact.strip())
    code = new_receipt_code()
    details = IntakeDetails(**{**details.__dict__, "channel": Channel.PUBLIC_WEB})
    with transaction.atomic():
        intake = _create(
            details,
            owner_agency=target,
            actor=None,
            reporter_anonymous=True,
            receipt_index=receipt_index(code),
        )
        if contact.strip():
            intake.reporter_contact_sealed = seal_text(contact.strip(), contact_aad(intake.id))
            intake.save(update_fields=["reporter_contact_sealed"])
        audit(
            "intake.public_report",
            request=request,
            record=intake,
            fields=["narrative", *(["contact"] if contact.strip() else [])],
        )
    return intake, code


def add_reporter_information(
    code: str, text: str, *, request: HttpRequest | None = None
) -> Intake | None:
    """The public reporter adds to their report with the receipt. None if the code is unknown."""
    intake = Intake.objects.filter(receipt_index=receipt_index(code.strip().upper())).first()
    if intake is None or not text.strip():
        return None
    check_text_length("text", text.strip(), limit_of="note")
    with transaction.atomic():
        IntakeNote.objects.create(
            intake=intake,
            added_at=timezone.now(),
            from_reporter=True,
            text_sealed=seal_text(text.strip(), note_aad(intake.id)),
        )
        audit("intake.reporter_note", request=request, record=intake, fields=["note"])
    return intake


def link_person(
    actor: User, intake: Intake, person: Person, *, request: HttpRequest | None = None
) -> None:
    """Add a person concerned to a report (e.g. the person screened), audited."""
    from simpul.intake.queries import get_intake_for

    get_intake_for(actor, intake.pk, perm=Perm.EDIT_RECORDS, request=request)
    with transaction.atomic():
        _link, created = IntakePerson.objects.get_or_create(intake=intake, person=person)
        if created:
            audit(
                "intake.link_person",
                actor=actor,
                request=request,
                record=intake,
                fields=["persons"],
                reason=f"person {person.code}",
            )


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
    from simpul.intake.queries import triage_agency_ids

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
    from simpul.intake.queries import get_intake_for

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
    from simpul.cases.actions import record_consent
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


def record_case_opened(
    actor: User, intake: Intake, case: object, *, request: HttpRequest | None = None
) -> Intake:
    """A case was opened from this report (called by `cases.actions.open_case` inside its own
    transaction): the report leaves every worklist as "case opened", versioned and audited.

    Whatever the report's triage said, a report with a case is done; a later triage of it is
    refused (its status is no longer new). Idempotent: a second case from the same report
    changes nothing here."""
    with transaction.atomic():
        fresh = Intake.objects.select_for_update().get(pk=intake.pk)
        if fresh.status != Status.CASE_OPENED:
            fresh.status = Status.CASE_OPENED
            fresh.version += 1
            fresh.save(update_fields=["status", "version", "updated_at"])
            audit(
                "intake.case_opened",
                actor=actor,
                request=request,
                record=fresh,
                fields=["status"],
                reason=f"case {getattr(case, 'code', '') or getattr(case, 'pk', '')}",
            )
    intake.status = fresh.status
    intake.version = fresh.version
    return fresh


class IdempotencyConflict(Exception):
    """The same client id or Idempotency-Key was used before with a different request."""


def record_intake_once(
    actor: User,
    details: IntakeDetails,
    *,
    owner_agency: Agency,
    request_hash: str,
    client_id: uuid.UUID | None = None,
    idempotency_key: str = "",
    request: HttpRequest | None = None,
) -> tuple[Intake, bool]:
    """`record_intake`, made safe to retry: a repeated client id or Idempotency-Key returns the
    first intake (created=False); the same key with another body raises IdempotencyConflict.
    Concurrent duplicates lose the race on a unique constraint and get the winner's intake."""

    def existing() -> Intake | None:
        if client_id is not None:
            # Scoped to the sending agency: another agency's id is never replayed to it.
            found = Intake.objects.filter(owner_agency=owner_agency, client_id=client_id).first()
            if found is not None:
                return found
        if idempotency_key:
            return Intake.objects.filter(
                owner_agency=owner_agency, idempotency_key=idempotency_key
            ).first()
        return None

    def replay(found: Intake) -> tuple[Intake, bool]:
        if found.request_hash != request_hash:
            raise IdempotencyConflict
        return found, False

    found = existing()
    if found is not None:
        return replay(found)
    try:
        with transaction.atomic():
            intake = record_intake(actor, details, owner_agency=owner_agency, request=request)
            intake.client_id = client_id
            intake.idempotency_key = idempotency_key
            intake.request_hash = request_hash
            intake.save(update_fields=["client_id", "idempotency_key", "request_hash"])
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return replay(found)
    return intake, True
