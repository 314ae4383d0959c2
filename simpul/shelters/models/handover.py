"""The handover of an accompanied return (berita acara serah terima): from the shelter's (or
the acting) agency to the agency of the origin regency, with its escorts, the persons and the
documents handed over, and its append-only history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel
from simpul.shelters.codes import DocumentType, HandoverStatus

_USER = settings.AUTH_USER_MODEL


class Handover(ScopedModel):
    """draft → sent → received → acknowledged, or cancelled (until received).

    Owned by the handing-over agency (`from_agency` = `owner_agency`), placed in the receiving
    agency's regency (`scope_region`). The receiving agency sees it from the moment it is sent
    (`queries.handovers_to_acknowledge`) and then gets scoped access to the stay, the persons
    and the case (access grants written by the send action)."""

    code = models.CharField(_("handover code"), max_length=20, unique=True)
    stay = models.ForeignKey(
        "shelters.Stay",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers",
        verbose_name=_("shelter stay"),
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The deportee return (migration app) this accompanied return continues, when recorded.
    return_event = models.ForeignKey(
        "migration.ReturnEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("return"),
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving agency"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=HandoverStatus.choices,
        default=HandoverStatus.DRAFT,
        db_index=True,
    )
    handover_on = models.DateField(_("date of the handover"))
    place = models.CharField(_("place of the handover"), max_length=200)
    # Escorts: officers who are users (named by their account), and others as sealed text.
    escort_users = models.ManyToManyField(
        "accounts.User", blank=True, related_name="+", verbose_name=_("escorting officers")
    )
    escorts_sealed = models.TextField(blank=True)
    other_documents_sealed = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    # Set once by the scheduled job when not acknowledged in time (both supervisors see it).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-handover_on", "-created_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        indexes = [models.Index(fields=["to_agency", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["stay"],
                condition=models.Q(stay__isnull=False) & ~models.Q(status=HandoverStatus.CANCELLED),
                name="handover_one_per_stay",
            )
        ]

    def __str__(self) -> str:
        return self.code


class HandoverPerson(models.Model):
    """A person handed over: the stay's person, and others of the same case."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "person"], name="handover_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.handover_id}: {self.person_id}"


class HandoverDocument(models.Model):
    """A document handed over: one held in the custody register (marked returned when the
    handover is sent), or another one named by its type."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="documents")
    custody = models.ForeignKey(
        "shelters.CustodyDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers",
    )
    document_type = models.CharField(_("document"), max_length=10, choices=DocumentType.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "custody"],
                condition=models.Q(custody__isnull=False),
                name="handover_custody_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.handover_id}: {self.document_type}"


class HandoverEvent(models.Model):
    """One step of a handover. Rows are only ever added."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, choices=HandoverStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=HandoverStatus.choices)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.handover_id}: {self.from_status} -> {self.to_status}"
