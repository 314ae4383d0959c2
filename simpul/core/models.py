"""Base models every protected record stands on."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScopedModel(models.Model):
    """A protected record: it has an owning agency and a place, and can be granted to others.

    Reads go through `simpul.core.scoping.visible_to()`; writes through each app's actions.
    `version` supports optimistic locking: an update names the version it was based on.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    # Where the record belongs (for jurisdiction scope); a region code, possibly empty.
    scope_region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class AccessGrant(models.Model):
    """Access to one record beyond its owner: an assignment, an accepted referral, break-glass.

    A grant carries what it allows: `can_edit` (it counts for EDIT_RECORDS only when true) and
    `sections` (the parts of a case file shared; an empty list means not section-limited, as
    for assignment and creator grants). It counts for REVEAL_IDENTITY only when the identity
    is shared (no section limit, or "identity" among the sections).
    """

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Assignment")
        REFERRAL = "referral", _("Referral")
        CREATOR = "creator", _("Creator")

    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.UUIDField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    can_edit = models.BooleanField(_("may edit"), default=True)
    sections = models.JSONField(_("shared sections"), default=list, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["record_type", "user", "record_id"]),
            models.Index(fields=["record_type", "agency", "record_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(agency__isnull=False),
                name="accessgrant_has_grantee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_type_id}:{self.record_id}"
