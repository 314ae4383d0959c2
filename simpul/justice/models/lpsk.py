"""LPSK protection: the application, the decision (7-day clock), changes and termination."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.justice.codes import LpskApplicant, LpskChangeKind, LpskDecision, LpskStatus
from simpul.justice.models.proceedings import Proceeding

_USER = settings.AUTH_USER_MODEL


class LpskApplication(models.Model):
    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="lpsk_applications"
    )
    victim = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField(_("applied on"))
    applicant = models.CharField(_("applicant"), max_length=14, choices=LpskApplicant.choices)
    protections = models.JSONField(_("protections asked for"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=LpskStatus.choices, default=LpskStatus.PENDING
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=LpskDecision.choices, blank=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    granted = models.JSONField(_("protections granted"), default=list, blank=True)
    protected_until = models.DateField(_("protected until"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "applied_on"])]

    def __str__(self) -> str:
        return f"lpsk:{self.proceeding_id}:{self.victim_id}:{self.status}"

    @property
    def decision_days(self) -> int | None:
        return (self.decided_on - self.applied_on).days if self.decided_on else None


class LpskChange(models.Model):
    """A change of an accepted protection (extend, add, reduce) or its termination."""

    application = models.ForeignKey(
        LpskApplication, on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=10, choices=LpskChangeKind.choices)
    occurred_on = models.DateField(_("date"))
    protections = models.JSONField(_("protections"), default=list, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kind}"
