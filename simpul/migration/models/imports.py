"""A deportee list waiting for, or imported by, a background job (a file too large to import
while the page waits). The file is kept sealed with the vault keys in this row until the job
has run, then erased; the row keeps the counts and the row errors (sealed: a column heading
is the importer's own text) for the page that shows the result."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Nothing imported: problems found")
    FAILED = "failed", _("Failed")


class ImportStage(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    READING = "reading", _("Reading the file")
    CHECKING = "checking", _("Checking every row")
    WRITING = "writing", _("Writing all rows (all or nothing)")
    FINISHED = "finished", _("Finished")


class ImportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_format = models.CharField(max_length=4)  # "csv" or "xlsx": the name is not kept
    file_bytes = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64)
    encoding = models.CharField(max_length=16, default="utf-8")
    default_entry_point = models.CharField(max_length=40, blank=True)
    list_reference = models.CharField(max_length=120, blank=True)
    # The file, sealed (AAD migration.importjob.content:<id>); emptied once the job has run.
    content_sealed = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=8, choices=ImportStage.choices, default=ImportStage.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)
    persons_created = models.PositiveIntegerField(default=0)
    names_added = models.PositiveIntegerField(default=0)
    # [[row, column, reason], ...] as JSON, sealed (AAD migration.importjob.errors:<id>).
    errors_sealed = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0)
    batch = models.ForeignKey(
        "migration.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deportee list import")
        verbose_name_plural = _("deportee list imports")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
