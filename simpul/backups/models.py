"""Backups taken, restore drills run, and the canary each backup carries.

None of these rows holds an identity: a backup row names a file, its size and what its manifest
counted; a drill row names the backup, its outcome, the RPO and RTO it achieved and a failure
code; the canary is a random token sealed with the identity vault's keys.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.backups.choices import FailureReason, Outcome


class Backup(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    failure_reason = models.CharField(
        _("failure reason"), max_length=32, choices=FailureReason.choices, blank=True
    )
    path = models.CharField(_("file"), max_length=1000, blank=True)
    size_bytes = models.BigIntegerField(_("size in bytes"), default=0)
    vendor = models.CharField(_("database"), max_length=16)
    key_id = models.CharField(_("backup key"), max_length=16, blank=True)
    tables = models.PositiveIntegerField(_("tables"), default=0)
    rows = models.BigIntegerField(_("rows"), default=0)
    audit_entries = models.BigIntegerField(_("audit entries"), default=0)
    # Set when the file was deleted to keep only the newest SIMPUL_BACKUP_KEEP backups.
    removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class RestoreDrill(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    backup = models.ForeignKey(
        Backup, on_delete=models.SET_NULL, null=True, blank=True, related_name="drills"
    )
    backup_path = models.CharField(_("backup file"), max_length=1000, blank=True)
    backup_created_at = models.DateTimeField(_("backup made at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    failure_reason = models.CharField(
        _("failure reason"), max_length=32, choices=FailureReason.choices, blank=True
    )
    # RPO achieved: the age of the restored backup when the drill began (data that would be
    # lost). RTO achieved: the wall time of the restore itself (checks, decryption, loading).
    rpo_seconds = models.FloatField(_("RPO (seconds)"), null=True, blank=True)
    rto_seconds = models.FloatField(_("RTO (seconds)"), null=True, blank=True)
    tables_checked = models.PositiveIntegerField(_("tables compared"), default=0)
    rows_checked = models.BigIntegerField(_("rows compared"), default=0)
    audit_entries_verified = models.BigIntegerField(_("audit entries verified"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("restore drill")
        verbose_name_plural = _("restore drills")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class Canary(models.Model):
    """A random token sealed with the identity vault's keys: a drill opens the copy in the
    restored database, which proves the vault keys still open the backup's sealed data without
    decrypting any real person's identity. A new one is made when the vault key changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sealed = models.TextField()
    key_id = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)  # SHA-256 of the token, also in each manifest
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("backup canary")
        verbose_name_plural = _("backup canaries")

    def __str__(self) -> str:
        return str(self.id)
