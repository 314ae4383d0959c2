"""Restitution per victim per proceeding, with its append-only ledger (steps and money)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.justice.codes import RestitutionChannel, RestitutionState, RestitutionStep
from simpul.justice.models.proceedings import Proceeding

_USER = settings.AUTH_USER_MODEL


class Restitution(models.Model):
    """One victim's restitution in one proceeding. The figures and the state are derived from
    the ledger by the append action (`actions.restitution`); amounts are whole rupiah."""

    proceeding = models.ForeignKey(
        Proceeding, on_delete=models.PROTECT, related_name="restitutions"
    )
    victim = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=24, choices=RestitutionState.choices, db_index=True
    )
    channel = models.CharField(
        _("filed through"), max_length=14, choices=RestitutionChannel.choices, blank=True
    )
    assessed_amount = models.PositiveBigIntegerField(_("assessed (Rp)"), null=True, blank=True)
    claimed_amount = models.PositiveBigIntegerField(_("claimed (Rp)"), null=True, blank=True)
    demanded_amount = models.PositiveBigIntegerField(_("demanded (Rp)"), null=True, blank=True)
    # Heads of loss awarded (PERMA 1/2022 Ps 4; UU 21/2007 Ps 48(2)).
    lost_income = models.PositiveBigIntegerField(_("lost income (Rp)"), default=0)
    suffering = models.PositiveBigIntegerField(_("suffering (Rp)"), default=0)
    medical = models.PositiveBigIntegerField(_("medical and psychological costs (Rp)"), default=0)
    other_loss = models.PositiveBigIntegerField(_("other loss (Rp)"), default=0)
    awarded_total = models.PositiveBigIntegerField(_("awarded (Rp)"), default=0)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    final_on = models.DateField(_("notice of the final award"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    due_basis = models.CharField(_("due-date rule"), max_length=120, blank=True)
    paid_total = models.BigIntegerField(_("paid (Rp)"), default=0)
    paid_in_full_on = models.DateField(_("paid in full on"), null=True, blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    entry_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "victim"], name="restitution_once")
        ]

    def __str__(self) -> str:
        return f"{self.proceeding_id}:{self.victim_id}:{self.state}"


class RestitutionEntry(models.Model):
    """One step or sum of a restitution. Append-only, like the proceeding event log (the
    database refuses UPDATE, and DELETE on PostgreSQL - migration 0004)."""

    restitution = models.ForeignKey(Restitution, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField()
    step = models.CharField(_("step"), max_length=24, choices=RestitutionStep.choices)
    occurred_on = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"), null=True, blank=True)
    heads = models.JSONField(_("heads of loss"), default=dict, blank=True)
    channel = models.CharField(
        _("filed through"), max_length=14, choices=RestitutionChannel.choices, blank=True
    )
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["restitution", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["restitution", "seq"], name="restentry_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.restitution_id}:{self.seq}:{self.step}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("Restitution entries are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Restitution entries are append-only.")
