"""Versioned screening rule sets and the results computed with them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel


class RuleSet(models.Model):
    code = models.CharField(max_length=40)
    version = models.CharField(max_length=20)
    legal_basis = models.TextField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="ruleset_unique_version")
        ]
        ordering = ["code", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk and ScreeningResult.objects.filter(ruleset_id=self.pk).exists():
            stored = RuleSet.objects.get(pk=self.pk)
            if stored.definition != self.definition:
                raise ValueError("A rule set in use is never changed: add a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ScreeningOutcome(models.TextChoices):
    LIKELY = "likely_victim", _("Likely victim")
    POSSIBLE = "possible_victim", _("Possible victim")
    NOT_INDICATED = "not_indicated", _("Not indicated")


class TraffickingStatus(models.TextChoices):
    """HTCDS vic_TraffickingStatus."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("Possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("Victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("Not a victim of trafficking")


class DecisionOrg(models.TextChoices):
    """HTCDS vic_TraffickingStatusDecisionMakingOrg."""

    POLICE = "Police", _("Police")
    NGO = "NGO", _("NGO")
    COURT = "CourtOrProsecution", _("Court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("Government body (not police)")
    OTHER = "Other", _("Other")


class ScreeningResult(ScopedModel):
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    intake = models.ForeignKey(
        "intake.Intake",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    interviewed_at = models.DateTimeField()
    answers = models.JSONField()
    result = models.CharField(max_length=20, choices=ScreeningOutcome.choices)
    outcome = models.JSONField()
    trafficking_status = models.CharField(
        max_length=40, choices=TraffickingStatus.choices, blank=True
    )
    decision_org = models.CharField(max_length=40, choices=DecisionOrg.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-interviewed_at"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.result}"
