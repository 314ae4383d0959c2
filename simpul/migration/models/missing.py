"""Missing-migrant reports: open until resolved, with an append-only history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel
from simpul.migration.codes import (
    Country,
    MissingEventKind,
    MissingStatus,
    Reporter,
    Resolution,
)


class MissingReport(ScopedModel):
    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    departure = models.ForeignKey(
        "migration.Departure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="missing_reports",
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.CharField(_("reported by"), max_length=12, choices=Reporter.choices)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    last_known_country = models.CharField(
        _("last known country"), max_length=2, choices=Country.choices, blank=True
    )
    last_known_place = models.CharField(_("last known place"), max_length=120, blank=True)
    last_known_employer_sealed = models.TextField(blank=True)
    circumstances_sealed = models.TextField(blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MissingStatus.choices,
        default=MissingStatus.OPEN,
        db_index=True,
    )
    resolution = models.CharField(
        _("resolution"), max_length=12, choices=Resolution.choices, blank=True
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["-reported_on", "-created_at"]
        verbose_name = _("missing-migrant report")
        verbose_name_plural = _("missing-migrant reports")

    def __str__(self) -> str:
        return self.reference


class MissingReportEvent(models.Model):
    """One step in a report's history. Rows are only ever added."""

    report = models.ForeignKey(MissingReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=MissingEventKind.choices)
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    # Which report fields this step changed (names only), and a sealed note.
    fields = models.JSONField(default=list)
    note_sealed = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.kind}"
