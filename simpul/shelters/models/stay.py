"""A person's stay in a shelter, its append-only history, and the decisions taken during it:
extensions, movement restrictions, documents held for safekeeping."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel
from simpul.shelters.codes import (
    OPEN_STATUSES,
    ConsentBasis,
    DocumentType,
    ExitReason,
    RestrictionKind,
    StayStatus,
)

_USER = settings.AUTH_USER_MODEL


class Stay(ScopedModel):
    """requested → planned → checked in ⇄ temporarily absent → checked out, or cancelled.

    Owned by the shelter's operating agency (`owner_agency`), placed in its regency. A person
    has at most one open stay (planned, checked in or absent): a partial unique index, so the
    database refuses a second one whatever the code above it does."""

    shelter = models.ForeignKey(
        "shelters.Shelter",
        on_delete=models.PROTECT,
        related_name="stays",
        verbose_name=_("shelter"),
    )
    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The accepted referral for temporary shelter this stay answers (read, never written).
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StayStatus.choices,
        default=StayStatus.REQUESTED,
        db_index=True,
    )
    planned_on = models.DateField(_("planned arrival"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    # Until when the stay runs: check-in + the shelter type's default length, then extensions.
    stay_until = models.DateField(_("stay until"), null=True, blank=True)
    overflow_reason = models.CharField(
        _("overflow reason (shelter full)"), max_length=200, blank=True
    )
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=200, blank=True)
    # The stay's consent: who gave it, on what basis, when, recorded by whom.
    consent_basis = models.CharField(
        _("consent given by"), max_length=10, choices=ConsentBasis.choices, blank=True
    )
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="stay_one_open_per_person",
                violation_error_message=_("This person already has an open stay."),
            ),
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(referral__isnull=False) & ~models.Q(status=StayStatus.CANCELLED),
                name="stay_one_per_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["shelter", "status"]),
            # The occupancy report's stays of a set of shelters over a period: on PostgreSQL an
            # index-only scan (check-in time and person are carried in the index).
            models.Index(
                fields=["shelter", "checked_out_at"],
                include=["checked_in_at", "person"],
                name="stay_shelter_checkout_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"stay {self.pk} ({self.status})"


class StayEvent(models.Model):
    """One change of a stay's status. Rows are only ever added: admissions and exits per day
    are counted from them."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, choices=StayStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=StayStatus.choices)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.stay_id}: {self.from_status} -> {self.to_status}"


class StayExtension(models.Model):
    """A decision to extend a stay: who, until when, why."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="extensions")
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    previous_until = models.DateField(null=True, blank=True)
    until = models.DateField(_("extended until"))
    reason = models.CharField(_("why"), max_length=300)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.stay_id} until {self.until}"


class MovementRestriction(models.Model):
    """A restriction of a resident's movement, recorded as a decision with its legal basis and
    a review date (the US TIP report's complaint made measurable)."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="restrictions")
    kind = models.CharField(_("restriction"), max_length=20, choices=RestrictionKind.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    review_on = models.DateField(_("review on"))
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["review_on", "id"]

    def __str__(self) -> str:
        return f"{self.stay_id} {self.kind}"


class CustodyDocument(models.Model):
    """An identity document held for safekeeping: received (with the person's consent), and
    returned. Its number is kept only as a keyed hash."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document"), max_length=10, choices=DocumentType.choices)
    number_index = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(_("received"))
    received_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    consent = models.BooleanField(_("the person agreed to the safekeeping"), default=False)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent=True), name="custody_only_with_consent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stay_id} {self.document_type}"
