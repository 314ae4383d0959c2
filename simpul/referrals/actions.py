"""Sending, answering and escalating referrals."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.cases.models import Case, CaseActivity, Consent
from simpul.core.models import AccessGrant
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


def send_referral(
    actor: User,
    case: Case,
    to_agency: Agency,
    *,
    reason: str,
    sections: list[str],
    service: str = "",
    override_reason: str = "",
    answer_within_hours: int = DEFAULT_ANSWER_HOURS,
    request: HttpRequest | None = None,
) -> Referral:
    if not visible_to(actor, Case, Perm.EDIT_RECORDS).filter(pk=case.pk).exists():
        raise PermissionDenied
    if to_agency.pk == case.owner_agency_id:
        raise ValidationError({"to_agency": [_("Choose another agency than the case owner.")]})
    unknown = set(sections) - set(Section.values)
    if not sections or unknown:
        raise ValidationError({"sections": [_("Choose what the receiving agency may see.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why you refer the case.")]})
    covered = consent_covers(case, to_agency)
    override = override_reason.strip()
    if not covered:
        if not override:
            audit(
                "referral.refused_no_consent",
                actor=actor,
                request=request,
                record=case,
                outcome=Outcome.DENIED,
                reason=f"to agency {to_agency.pk}",
            )
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
            from_agency_id=case.owner_agency_id,
            to_agency=to_agency,
            service=service,
            reason=reason.strip(),
            sections=sorted(set(sections)),
            sent_at=now,
            sent_by=actor,
            due_at=now + timedelta(hours=answer_within_hours),
            consent_override_reason="" if covered else override,
        )
        CaseActivity.objects.create(
            case=case,
            at=now,
            actor=actor,
            kind="referral_sent",
            summary=_("Referred to %(a)s") % {"a": to_agency.name},
        )
        audit(
            "referral.send",
            actor=actor,
            request=request,
            record=case,
            fields=sorted(set(sections)),
            reason=f"to agency {to_agency.pk}",
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
    grants = principal_for(actor).grants_with(Perm.EDIT_RECORDS)
    if not any(g.agency_id == referral.to_agency_id for g in grants):
        raise PermissionDenied
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("This referral was already answered."))


def accept_referral(
    actor: User, referral: Referral, *, request: HttpRequest | None = None
) -> Referral:
    """The receiving agency takes the case: it gets scoped access to the case and victims."""
    _receiver_check(actor, referral)
    now = timezone.now()
    with transaction.atomic():
        referral.status, referral.responded_at, referral.responded_by = (
            ReferralStatus.ACCEPTED,
            now,
            actor,
        )
        referral.save(update_fields=["status", "responded_at", "responded_by"])
        case_ct = ContentType.objects.get_for_model(Case)
        AccessGrant.objects.get_or_create(
            record_type=case_ct,
            record_id=referral.case_id,
            agency=referral.to_agency,
            kind=AccessGrant.Kind.REFERRAL,
            defaults={"granted_by": actor},
        )
        AccessGrant.objects.get_or_create(
            record_type=case_ct,
            record_id=referral.case_id,
            user=actor,
            kind=AccessGrant.Kind.REFERRAL,
            defaults={"granted_by": actor},
        )
        if Section.IDENTITY in referral.sections:
            person_ct = ContentType.objects.get_for_model(Person)
            # The agency (for its agency-scope roles) and the accepting user (whatever their
            # scope) see the victims.
            for person_id in referral.case.victims.values_list("person_id", flat=True):
                for grantee in ({"agency": referral.to_agency}, {"user": actor}):
                    AccessGrant.objects.get_or_create(
                        record_type=person_ct,
                        record_id=person_id,
                        kind=AccessGrant.Kind.REFERRAL,
                        defaults={"granted_by": actor},
                        **grantee,
                    )
        CaseActivity.objects.create(
            case=referral.case,
            at=now,
            actor=actor,
            kind="referral_accepted",
            summary=_("Referral accepted by %(a)s") % {"a": referral.to_agency.name},
        )
        audit("referral.accept", actor=actor, request=request, record=referral.case)
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
        CaseActivity.objects.create(
            case=referral.case,
            at=now,
            actor=actor,
            kind="referral_declined",
            summary=_("Referral declined"),
        )
        audit(
            "referral.decline",
            actor=actor,
            request=request,
            record=referral.case,
            reason=reason.strip(),
        )
    return referral


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
