"""Monitoring: instrument versions as data, and the visits scored with them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

_USER = settings.AUTH_USER_MODEL


class Instrument(models.Model):
    """One version of a monitoring instrument (the validated JSON document of
    `reintegration.instrument`). Rows are only ever added: a visit keeps the version it was
    scored with, so re-scoring it reproduces its stored scores."""

    code = models.CharField(max_length=20)
    version = models.PositiveIntegerField()
    data = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Visit(models.Model):
    """A monitoring visit: the baseline (month 0) at plan time, then the follow-ups of the
    schedule (3, 6 and 12 months by default). Scored once, with the plan's instrument."""

    plan = models.ForeignKey(
        "reintegration.ReintegrationPlan", on_delete=models.CASCADE, related_name="visits"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due date"), db_index=True)
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    # {"indicators": {...}, "dimensions": {...}, "composite": "0.1234", "negative_safety": []}
    scores = models.JSONField(default=dict, blank=True)
    composite = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    setbacks = models.JSONField(default=list, blank=True)
    review_task = models.ForeignKey(
        "cases.PlanItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="visit_one_per_month")
        ]

    def __str__(self) -> str:
        return f"visit {self.plan_id} m{self.month}"
