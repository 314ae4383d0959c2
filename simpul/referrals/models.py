"""A referral of a case to another agency: consent-gated, answered within a due time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The parts of a case file a receiver may see; nothing else is shown to them."""

    IDENTITY = "identity", _("Victim identity")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN = "plan", _("Case plan")
    SERVICES = "services", _("Services delivered")
    EVENTS = "events", _("What happened (places and dates)")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended: consent withdrawn")


class Referral(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("service needed"), max_length=30, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    sections = models.JSONField(default=list)
    receiver_acts = models.BooleanField(
        _("ask the receiving agency to act on the case (record its own services/tasks)"),
        default=False,
    )
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(db_index=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.CharField(max_length=300, blank=True)
    consent_override_reason = models.CharField(max_length=300, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_agency_id} ({self.status})"
