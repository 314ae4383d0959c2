"""Stored codes of the backups app and their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")
    RUNNING = "running", _("Running")


class FailureReason(models.TextChoices):
    """Why a backup or a drill failed (empty when it succeeded)."""

    NO_KEY = "no_key", _("No backup key configured")
    CLIENT_VERSION = "client_version", _("pg_dump does not match the server version")
    DUMP_FAILED = "dump_failed", _("The database dump failed")
    NO_BACKUP = "no_backup", _("No backup to restore")
    FILE_MISSING = "file_missing", _("The backup file is missing")
    NOT_A_BACKUP = "not_a_backup", _("Not a backup file")
    UNSUPPORTED_VERSION = "unsupported_version", _("Backup format version not supported")
    UNKNOWN_KEY = "unknown_key", _("Backup key not configured")
    WRONG_KEY = "wrong_key", _("Wrong backup key")
    TRUNCATED = "truncated", _("The backup file is truncated")
    CORRUPT = "corrupt", _("The backup file is damaged")
    WRONG_VENDOR = "wrong_vendor", _("Backup of another database kind")
    TARGET_NOT_EMPTY = "target_not_empty", _("The target database is not empty")
    RESTORE_FAILED = "restore_failed", _("The restore failed")
    MIGRATIONS_UNAPPLIED = "migrations_unapplied", _("Migrations missing after restore")
    COUNTS_DIFFER = "counts_differ", _("Row counts differ from the manifest")
    AUDIT_BROKEN = "audit_broken", _("The audit chain does not verify")
    AUDIT_HEAD_DIFFERS = "audit_head_differs", _("The audit chain head differs from the manifest")
    CANARY_FAILED = "canary_failed", _("The canary could not be decrypted")
    ERROR = "error", _("Unexpected error")
