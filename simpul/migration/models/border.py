"""Returns and deportations, their bulk imports, border and port screening, and Imigrasi's
passport refusals and departure deferrals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel
from simpul.migration.codes import (
    Country,
    Direction,
    ImmigrationDecisionKind,
    ReturnDocument,
    ReturnKind,
    ScreeningOutcome,
)


class ImportBatch(ScopedModel):
    """One committed deportee list. Rejected files leave only an audit entry."""

    list_reference = models.CharField(_("list reference"), max_length=120, blank=True)
    file_sha256 = models.CharField(max_length=64)
    rows_total = models.PositiveIntegerField()
    rows_created = models.PositiveIntegerField()
    rows_skipped = models.PositiveIntegerField()
    persons_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deportee list import")
        verbose_name_plural = _("deportee list imports")

    def __str__(self) -> str:
        return f"import {self.pk}"


class ReturnEvent(ScopedModel):
    """A person coming back: deported, repatriated or on their own (domain.md §4.4).

    `owner_agency` is the receiving post; `scope_region` is the returnee's home village when
    known (else the district of their NIK), so the village register shows the return.
    `natural_key` is a keyed hash of entry point, date, document number, name and birth date:
    the same return recorded twice by one agency, by hand or by a re-run import, is refused.
    Another agency's record of the same return does not count (and is never revealed to it).
    """

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(
        _("kind of return"),
        max_length=14,
        choices=ReturnKind.choices,
        default=ReturnKind.DEPORTATION,
    )
    returned_on = models.DateField(_("arrival date"), db_index=True)
    entry_point = models.CharField(_("entry point"), max_length=24, db_index=True)
    from_country = models.CharField(
        _("returned from"), max_length=2, choices=Country.choices, default=Country.MY
    )
    source_depot = models.CharField(_("depot or detention centre"), max_length=120, blank=True)
    consulate = models.CharField(_("consulate or embassy"), max_length=120, blank=True)
    travel_document = models.CharField(
        _("travel document"), max_length=10, choices=ReturnDocument.choices
    )
    receiving_team = models.CharField(_("receiving team"), max_length=120, blank=True)
    shelter = models.CharField(_("shelter"), max_length=120, blank=True)
    onward_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("onward destination"),
    )
    escort = models.CharField(_("escorted home by"), max_length=120, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    natural_key = models.CharField(max_length=64)
    referred_intake = models.ForeignKey(
        "intake.Intake", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-returned_on", "-created_at"]
        indexes = [
            models.Index(fields=["owner_agency", "returned_on"]),
            models.Index(fields=["person"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_agency", "natural_key"], name="migration_return_key_per_agency"
            )
        ]
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self) -> str:
        return f"return {self.pk}"


class Screening(ScopedModel):
    """One traveller or returnee screened by an integrated border or port team (seed 002)."""

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    crossing_point = models.CharField(_("post"), max_length=24, db_index=True)
    screened_at = models.DateTimeField(_("screened at"), db_index=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    return_event = models.ForeignKey(
        ReturnEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="screenings"
    )
    destination_country = models.CharField(
        _("destination country"), max_length=2, choices=Country.choices, blank=True
    )
    tasks = models.JSONField(default=list)
    documents_checked = models.JSONField(default=list)
    red_flags = models.JSONField(default=list)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ScreeningOutcome.choices)
    note_sealed = models.TextField(blank=True)
    referred_intake = models.ForeignKey(
        "intake.Intake", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-screened_at"]
        indexes = [models.Index(fields=["owner_agency", "screened_at"])]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"screening {self.pk}"


class ImmigrationDecision(ScopedModel):
    """A passport refused or deferred, or a departure deferred, to prevent trafficking
    (UU 6/2011; seed 002 records them per office)."""

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    kind = models.CharField(_("decision"), max_length=20, choices=ImmigrationDecisionKind.choices)
    decided_on = models.DateField(_("date"), db_index=True)
    office = models.CharField(_("immigration office or checkpoint"), max_length=120)
    crossing_point = models.CharField(_("checkpoint"), max_length=24, blank=True)
    destination_country = models.CharField(
        _("intended destination"), max_length=2, choices=Country.choices, blank=True
    )
    reasons = models.JSONField(default=list)
    note_sealed = models.TextField(blank=True)
    legal_basis = models.CharField(max_length=120, default="UU 6/2011 (Keimigrasian)")

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        verbose_name = _("passport refusal or departure deferral")
        verbose_name_plural = _("passport refusals and departure deferrals")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
