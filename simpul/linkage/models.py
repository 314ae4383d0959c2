"""Record linkage: runs, clusters of the vault's persons, scored pairs, decisions, alerts.

Nothing here holds an identity in the clear. A `LinkedRecord` keeps a person's cluster id and
keyed hashes of its blocking keys (like the vault's blind indexes), so a new record can be
checked against everyone linked without decrypting them all; a `LinkedPair` keeps the score
and the per-field weights (how strongly each field agreed), never the values compared.
"""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class RunMode(models.TextChoices):
    FULL = "full", _("Full re-run")
    INCREMENTAL = "incremental", _("New records only")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class LinkageRun(models.Model):
    """One linkage job: a row that `simpul link_persons` picks up and reports progress on."""

    mode = models.CharField(_("mode"), max_length=12, choices=RunMode.choices)
    engine = models.CharField(_("engine"), max_length=8, default="duckdb")
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    auto_threshold = models.FloatField(_("automatic link threshold"))
    review_threshold = models.FloatField(_("review threshold"))
    records = models.PositiveIntegerField(_("records"), default=0)
    pairs = models.PositiveIntegerField(_("scored pairs"), default=0)
    review_pairs = models.PositiveIntegerField(_("pairs for review"), default=0)
    clusters = models.PositiveIntegerField(_("persons (clusters)"), default=0)
    refused_links = models.PositiveIntegerField(default=0)
    alerts = models.PositiveIntegerField(_("alerts"), default=0)
    trained = models.BooleanField(_("parameters estimated"), default=False)
    # The Splink model (comparisons and m/u parameters; no data values).
    model = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    # What did not go as planned without failing the run, as codes (engine.pipeline.PRIOR_*).
    notes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("linkage run")
        verbose_name_plural = _("linkage runs")
        constraints = [
            # At most one run waiting or running at a time (issue 21, finding 4): a unique
            # index over a constant, limited to the unfinished rows.
            models.UniqueConstraint(
                Lower(Value("in_flight", output_field=models.CharField())),
                condition=models.Q(status__in=["queued", "running"]),
                name="linkage_one_run_in_flight",
            )
        ]

    def __str__(self) -> str:
        return f"linkage run {self.pk}"

    @property
    def merged_records(self) -> int:
        return max(self.records - self.clusters, 0)


class LinkedRecord(models.Model):
    """A person's place in the linkage: cluster id and keyed blocking keys (64-bit keyed
    hashes, null when the record has no such key)."""

    # No database constraint: a full run rewrites a million rows and a per-row foreign-key
    # check would double its time. Deleting a person still cascades through the ORM.
    person = models.OneToOneField(
        "identity.Person",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    cluster_id = models.CharField(max_length=16)
    run = models.ForeignKey(
        LinkageRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    key_name = models.BigIntegerField(null=True, blank=True)
    key_min_dob = models.BigIntegerField(null=True, blank=True)
    key_max_dob = models.BigIntegerField(null=True, blank=True)
    key_dob_reg = models.BigIntegerField(null=True, blank=True)

    class Meta:
        # Plain indexes only (equality look-ups): `db_index` on a CharField would add a second,
        # pattern-matching index on PostgreSQL, and a full run rebuilds every index.
        indexes = [
            models.Index(fields=["cluster_id"], name="linkedrecord_cluster"),
            models.Index(fields=["key_name"], name="linkedrecord_key_name"),
            models.Index(fields=["key_min_dob"], name="linkedrecord_key_min_dob"),
            models.Index(fields=["key_max_dob"], name="linkedrecord_key_max_dob"),
            models.Index(fields=["key_dob_reg"], name="linkedrecord_key_dob_reg"),
        ]
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")

    def __str__(self) -> str:
        return f"{self.person_id}:{self.cluster_id}"


class PairStatus(models.TextChoices):
    LINKED = "linked", _("Linked automatically")
    REVIEW = "review", _("Waiting for review")
    DECIDED = "decided", _("Decided by a reviewer")


class LinkedPair(models.Model):
    """Two persons the model scored at or above the review threshold (person_a < person_b).

    A full run keeps the pairs for review, the pairs a reviewer decided, and of the linked
    pairs those that joined two clusters (a spanning forest: enough to rebuild each cluster,
    and every person's strongest link is among them)."""

    # Both are indexed through the unique pair (person_a first) and the person_b index.
    person_a = models.ForeignKey(
        "identity.Person",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    person_b = models.ForeignKey(
        "identity.Person",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField()
    # Partial match weight per field (log2 Bayes factor), e.g. {"name": 11.2, "dob": -4.3}.
    weights = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=PairStatus.choices)
    run = models.ForeignKey(
        LinkageRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="linkedpair_unique")
        ]
        indexes = [
            models.Index(fields=["person_b"]),
            # The review queue: one status, strongest first.
            models.Index(fields=["status", "-probability"], name="linkedpair_queue"),
        ]
        ordering = ["-probability"]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id}"


class Decision(models.TextChoices):
    MATCH = "match", _("Same person")
    NON_MATCH = "non_match", _("Not the same person")
    UNSURE = "unsure", _("Unsure")


class ReviewDecision(models.Model):
    """A reviewer's decision on a pair, which every later run respects (person_a < person_b)."""

    person_a = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    probability = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    # Sealed with the vault keys: a note may identify someone.
    note_sealed = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="reviewdecision_unique")
        ]
        indexes = [models.Index(fields=["person_b"])]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id}:{self.decision}"


class AlertKind(models.TextChoices):
    MISSING_MATCH = "missing_match", _("May be a missing person")
    KNOWN_VICTIM = "known_victim", _("May be a known victim")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Not the same person")


class LinkageAlert(models.Model):
    """A new record that matches an open missing report or a known victim, for the agency that
    owns the report or case (and the officer who reported or works it)."""

    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The new record's person, and the person of the report or case it matches.
    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    matched_person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="+"
    )
    # What the new record is: "return", "shelter", "intake", and its id.
    source_kind = models.CharField(max_length=12)
    source_id = models.CharField(max_length=64, blank=True)
    source_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_date = models.DateField(null=True, blank=True)
    missing_report = models.ForeignKey(
        "migration.MissingReport",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    intake = models.ForeignKey(
        "intake.Intake", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    probability = models.FloatField(_("match probability"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "person", "matched_person", "source_kind", "source_id"],
                name="linkagealert_unique",
            )
        ]
        indexes = [models.Index(fields=["agency", "status"])]
        verbose_name = _("linkage alert")
        verbose_name_plural = _("linkage alerts")

    def __str__(self) -> str:
        return f"{self.kind}:{self.pk}"
