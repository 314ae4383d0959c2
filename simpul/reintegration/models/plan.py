"""A victim's reintegration plan: goals per domain and level, each with its services.

A plan belongs to a case and one of its victims; it is read through the case's scope
(`cases.queries.cases_for`), like the case's own plan rows, so it is not a scoped record of its
own. Goal texts and return reasons may describe the person: they are sealed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.reintegration.choices import (
    Domain,
    GoalStatus,
    Level,
    PlanStatus,
    ServiceKind,
    ServiceStatus,
    Sex,
)

_USER = settings.AUTH_USER_MODEL


class ReintegrationPlan(models.Model):
    """draft → submitted → approved (or returned to draft with a reason) → active → closed."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The instrument version every visit of this plan uses, so that its trend compares.
    instrument = models.ForeignKey(
        "reintegration.Instrument", on_delete=models.PROTECT, related_name="+"
    )
    # The cohort: when the person came home, and the sex recorded in the vault (copied once
    # for de-identified statistics; the name never leaves the vault).
    returned_on = models.DateField(_("returned home on"))
    cohort_sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason_sealed = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_on = models.DateField(_("started on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=~models.Q(status=PlanStatus.CLOSED),
                name="reintegration_one_open_plan",
            )
        ]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"plan {self.pk} ({self.status})"


class Goal(models.Model):
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    text_sealed = models.TextField()
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED
    )

    class Meta:
        ordering = ["domain", "level", "id"]

    def __str__(self) -> str:
        return f"{self.domain}/{self.level}"


class PlanService(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=24, choices=ServiceKind.choices)
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.PLANNED
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "delivered_on"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.due_on}"
