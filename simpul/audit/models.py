"""The append-only, hash-chained audit trail.

Each entry stores who did what to which record, when and why, and never the values (a searched
term only sealed). Each entry also stores the keyed MAC of the previous one, so any edit or
deletion in the middle of the chain is found by `simpul verify_audit`, and a cut tail is found
against the heads anchored outside the database.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditAppendOnlyError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("The audit trail is append-only.")


class Outcome(models.TextChoices):
    OK = "ok", _("Allowed")
    DENIED = "denied", _("Refused")
    FAILED = "failed", _("Failed")


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=64, db_index=True)
    record_type = models.CharField(max_length=64, blank=True)
    record_id = models.CharField(max_length=64, blank=True, db_index=True)
    fields = models.JSONField(default=list)
    count = models.IntegerField(null=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    # What a search looked for: sealed under the vault keys (never cleartext) and a keyed blind
    # index of its normalised form, so "who searched for NIK X" is one indexed lookup.
    searched_sealed = models.TextField(blank=True, default="")
    searched_index = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # Id of the SIMPUL_AUDIT_KEY that MACs this entry; empty for legacy plain SHA-256 entries.
    key_id = models.CharField(max_length=16, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.record_type}:{self.record_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditAppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("The audit trail is append-only.")
