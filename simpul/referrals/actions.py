"""Sending, answering and escalating referrals."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import acting_agency_ids, acts_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.cases.actions import record_timeline
from simpul.cases.models import Case, Consent
from simpul.cases.queries import owner_side
from simpul.core.grants import revoke_referral_grants, widen_referral_grant
from simpul.core.scoping import visible_to
from simpul.identity.models import Person
from simpul.referrals.models import Referral, ReferralStatus, Section

DEFAULT_ANSWER_HOURS = 72


def consent_covers(case: Case, agency: Agency) -> bool:
    """True when every victim has an active consent to sharing with this agency."""
    victims = set(case.victims.values_list("person_id", flat=True))
    covered = {
        c.person_id
        for c in Consent.objects.filter(case=case, withdrawn_at__isnull=True, share_with=agency)
        if c.covers("sharing")
    }
    return bool(victims) and victims <= covered


def sending_side(actor: User, case: Case) -> tuple[int, set[str] | None, bool]:
    """Which agency the actor refers the case for, and what it may pass on.

    The owner side (a member of the owning agency who may edit the case) sends for the owning
    agency and may share every section. A receiving agency may refer on only what its own accepted
    referral(s) showed it (and ask the next agency to act only if it was asked to act).
    Returns (from agency id, allowed sections or None for all, may ask to act)."""
    if owner_side(actor, case):
        return case.owner_agency_id, None, True
    if not visible_to(actor, Case).filter(pk=case.pk).exists():
        raise PermissionDenied
    acting = acting_agency_ids(actor)
    received = list(
        Referral.objects.filter(
            case=case, to_agency_id__in=acting, status=ReferralStatus.ACCEPTED
        ).order_by("responded_at", "pk")
    )
    if not received:
        raise PermissionDenied
    allowed = {section for r in received for section in r.sections}
    return received[0].to_agency_id, allowed, any(r.receiver_acts for r in received)


def send_referral(
    actor: User,
    case: Case,
    to_agency: Agency,
    *,
    reason: str,
    sections: list[str],
    service: str = "",
    override_reason: str = "",
    receiver_acts: bool = False,
    answer_within_hours: int = DEFAULT_ANSWER_HOURS,
    request: HttpRequest | None = None,
) -> Referral:
    from_agency_id, allowed, may_ask_to_act = sending_side(actor, case)
    owner = allowed is None
    if to_agency.pk in (case.owner_agency_id, from_agency_id):
        raise ValidationError(
            {"to_agency": [_("Choose another agency than the case owner or your own.")]}
        )
    unknown = set(sections) - set(Section.values)
    if not sections or unknown:
        raise ValidationError({"sections": [_("Choose what the receiving agency may see.")]})
    if allowed is not None and not set(sections) <= allowed:
        audit(
            "referral.refused_not_shared",
            actor=actor,
            request=request,
            record=case,
            outcome=Outcome.DENIED,
            fields=sorted(set(sections) - allowed),
            reason=f"to agency {to_agency.pk}",
        )
        raise ValidationError(
            {
                "sections": [
                    _("You can refer on only what was shared with your agency: %(s)s.")
                    % {"s": ", ".join(str(Section(x).label) for x in sorted(allowed)) or "—"}
                ]
            }
        )
    if receiver_acts and not may_ask_to_act:
        raise ValidationError(
            {
                "receiver_acts": [
                    _("Your agency was not asked to act on this case, so it cannot ask others.")
                ]
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why you refer the case.")]})
    covered = consent_covers(case, to_agency)
    override = override_reason.strip()
    if not covered:
        if not override or not owner:
            audit(
                "referral.refused_no_consent",
                actor=actor,
                request=request,
                record=case,
                outcome=Outcome.DENIED,
                reason=f"to agency {to_agency.pk}",
            )
        if not owner:
            raise ValidationError(
                {
                    "to_agency": [
                        _(
                            "The victim's consent does not cover sharing with this agency. "
                            "Only the case's own agency can record consent or override it."
                        )
                    ]
                }
            )
        if not override:
            raise ValidationError(
                {
                    "to_agency": [
                        _(
                            "The victim's consent does not cover sharing with this agency. "
                            "Record consent first, or ask a supervisor to override with a "
                            "reason."
                        )
                    ]
                }
            )
        if not principal_for(actor).has_perm(Perm.CONSENT_OVERRIDE):
            raise PermissionDenied(_("Only a supervisor may refer without consent."))
        if len(override) < 10:
            raise ValidationError(
                {
                    "override_reason": [
                        _(
                            "Explain why the referral cannot wait for consent "
                            "(at least 10 characters)."
                        )
                    ]
                }
            )
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            from_agency_id=from_agency_id,
            to_agency=to_agency,
            service=service,
            reason=reason.strip(),
            sections=sorted(set(sections)),
            receiver_acts=receiver_acts,
            sent_at=now,
            sent_by=actor,
            due_at=now + timedelta(hours=answer_within_hours),
            consent_override_reason="" if covered else override,
        )
        record_timeline(case, actor, "referral_sent", at=now, agency=to_agency.pk)
        audit(
            "referral.send",
            actor=actor,
            request=request,
            record=case,
            fields=sorted(set(sections)),
            reason=f"to agency {to_agency.pk}"
            + ("" if owner else f", referred on by agency {from_agency_id}")
            + (", receiver acts" if receiver_acts else ""),
        )
        if not covered:
            audit(
                "referral.consent_override",
                actor=actor,
                request=request,
                record=case,
                reason=override,
            )
    return referral


def _receiver_check(actor: User, referral: Referral) -> None:
    if not acts_for(actor, referral.to_agency_id):
        raise PermissionDenied
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("This referral was already answered."))


def _grant_referral(referral: Referral, *, by: User) -> None:
    """What an accepted referral allows: the case for the receiving agency and the accepting
    user (read-only unless asked to act), and its victims when the identity is shared."""
    grantees: list[tuple[User | None, Agency | None]] = [(None, referral.to_agency)]
    if referral.responded_by_id:
        grantees.append((referral.responded_by, None))
    for user, agency in grantees:
        widen_referral_grant(
            Case,
            referral.case_id,
            can_edit=referral.receiver_acts,
            sections=referral.sections,
            granted_by=by,
            user=user,
            agency=agency,
        )
    if Section.IDENTITY in referral.sections:
        # The agency (for its agency-scope roles) and the accepting user (whatever their
        # scope) see the victims, read-only.
        for person_id in referral.case.victims.values_list("person_id", flat=True):
            for user, agency in grantees:
                widen_referral_grant(
                    Person,
                    person_id,
                    can_edit=False,
                    sections=[Section.IDENTITY],
                    granted_by=by,
                    user=user,
                    agency=agency,
                )


def accept_referral(
    actor: User, referral: Referral, *, request: HttpRequest | None = None
) -> Referral:
    """The receiving agency takes the case: it gets access to exactly the shared sections,
    read-only unless the referral asks it to act (then it records its own part). The victims
    are granted only when their identity is shared."""
    _receiver_check(actor, referral)
    now = timezone.now()
    with transaction.atomic():
        referral.status, referral.responded_at, referral.responded_by = (
            ReferralStatus.ACCEPTED,
            now,
            actor,
        )
        referral.save(update_fields=["status", "responded_at", "responded_by"])
        _grant_referral(referral, by=actor)
        record_timeline(
            referral.case, actor, "referral_accepted", at=now, agency=referral.to_agency_id
        )
        audit(
            "referral.accept",
            actor=actor,
            request=request,
            record=referral.case,
            fields=sorted(referral.sections),
        )
    return referral


def decline_referral(
    actor: User, referral: Referral, *, reason: str, request: HttpRequest | None = None
) -> Referral:
    _receiver_check(actor, referral)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why you decline.")]})
    now = timezone.now()
    with transaction.atomic():
        referral.status, referral.responded_at, referral.responded_by = (
            ReferralStatus.DECLINED,
            now,
            actor,
        )
        referral.decline_reason = reason.strip()
        referral.save(update_fields=["status", "responded_at", "responded_by", "decline_reason"])
        record_timeline(
            referral.case, actor, "referral_declined", at=now, agency=referral.to_agency_id
        )
        audit(
            "referral.decline",
            actor=actor,
            request=request,
            record=referral.case,
            reason=reason.strip(),
        )
    return referral


def end_referrals_without_consent(
    actor: User, case: Case, *, request: HttpRequest | None = None
) -> list[Referral]:
    """After a consent withdrawal: every referral of the case that rested on consent (no
    supervisor override) and that consent no longer covers ends now, and the access its
    acceptance granted is revoked (the case and, when shared, its victims), unless another
    standing referral to the same agency still justifies it. Called by
    `cases.actions.withdraw_consent` inside its transaction."""
    now = timezone.now()
    standing = list(
        Referral.objects.select_for_update()
        .filter(case=case, status__in=[ReferralStatus.ACCEPTED, ReferralStatus.SENT])
        .select_related("to_agency")
    )
    ending = [
        r
        for r in standing
        if not r.consent_override_reason and not consent_covers(case, r.to_agency)
    ]
    if not ending:
        return []
    for referral in ending:
        referral.status, referral.ended_at = ReferralStatus.ENDED, now
        referral.save(update_fields=["status", "ended_at"])
        record_timeline(case, actor, "referral_ended", at=now, agency=referral.to_agency_id)
        audit(
            "referral.end",
            actor=actor,
            request=request,
            record=case,
            reason=f"consent withdrawn; to agency {referral.to_agency_id}",
        )
    _rebuild_grants(case, ending, now)
    return ending


def _rebuild_grants(case: Case, ended: list[Referral], now: object) -> None:
    """Revoke the referral grants of the agencies (and accepting users) whose referrals ended,
    then grant again what their remaining accepted referrals allow."""
    person_ids = list(case.victims.values_list("person_id", flat=True))
    agencies = {r.to_agency_id for r in ended}
    users = {r.responded_by_id for r in ended if r.responded_by_id}
    revoke_referral_grants(
        [(Case, [case.pk]), (Person, person_ids)], agency_ids=agencies, user_ids=users, at=now
    )
    # The victims may be in other cases referred to the same agency: those grants stand.
    for referral in (
        Referral.objects.filter(
            Q(to_agency_id__in=agencies) | Q(responded_by_id__in=users),
            Q(case=case) | Q(case__victims__person_id__in=person_ids),
            status=ReferralStatus.ACCEPTED,
        )
        .select_related("to_agency", "responded_by", "case")
        .distinct()
    ):
        _grant_referral(referral, by=referral.responded_by or referral.sent_by)


def escalate_overdue(now=None) -> int:
    """Mark unanswered referrals past their due time; they then show to the sender's
    supervisors and on the task force's coordination view. Safe to run often."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = Referral.objects.filter(
            status=ReferralStatus.SENT, due_at__lt=now, escalated_at__isnull=True
        )
        count = overdue.update(escalated_at=now)
        if count:
            audit("referral.escalate", record_type="referrals.referral", count=count)
    return count
