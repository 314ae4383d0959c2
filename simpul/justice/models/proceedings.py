"""Perpetrators (persons in the vault, or companies with a placement licence), proceedings with
their append-only event log, defendants, charges, sentences, and deadline reminders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel
from simpul.justice.codes import (
    AgeBand,
    Clock,
    EventCode,
    Law,
    LicenceStatus,
    Nationality,
    PerpetratorKind,
    RangeFlag,
    Regime,
    SanctionKind,
    Sex,
    Stage,
    StopReason,
    VerdictOutcome,
    VictimRelation,
)

_USER = settings.AUTH_USER_MODEL


class Perpetrator(ScopedModel):
    code = models.CharField(_("perpetrator code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=PerpetratorKind.choices)
    # A person's identity lives in the vault; a company's name is public business data.
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    nib = models.CharField(_("business number (NIB)"), max_length=20, blank=True)
    licence_number = models.CharField(_("placement licence number"), max_length=60, blank=True)
    licence_status = models.CharField(
        _("licence status"),
        max_length=12,
        choices=LicenceStatus.choices,
        default=LicenceStatus.NONE,
    )
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    suspended_to = models.DateField(_("suspended until"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, choices=Nationality.choices, default=Nationality.UNKNOWN
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    age_band = models.CharField(
        _("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    roles = models.JSONField(_("role in the process"), default=list, blank=True)
    complicit_official = models.BooleanField(_("complicit official"), default=False)
    office_held = models.CharField(_("office held"), max_length=120, blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="+", blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="person") & models.Q(person__isnull=False))
                | (models.Q(kind="company") & ~models.Q(company_name="")),
                name="perpetrator_person_or_company",
            )
        ]

    def __str__(self) -> str:
        return self.code


class LicenceSanction(models.Model):
    """A sanction event on a placement company's licence (Permenaker 7/2020)."""

    # A defendant company met in a proceeding, or a company of the register: exactly one.
    perpetrator = models.ForeignKey(
        Perpetrator, null=True, blank=True, on_delete=models.CASCADE, related_name="sanctions"
    )
    company = models.ForeignKey(
        "justice.PlacementCompany",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sanctions",
    )
    kind = models.CharField(_("sanction"), max_length=20, choices=SanctionKind.choices)
    decision_number = models.CharField(_("decision number"), max_length=80)
    decided_on = models.DateField(_("decided on"))
    effective_from = models.DateField(_("from"), null=True, blank=True)
    effective_to = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(perpetrator__isnull=False) & models.Q(company__isnull=True))
                | (models.Q(perpetrator__isnull=True) & models.Q(company__isnull=False)),
                name="sanction_perpetrator_or_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.perpetrator_id or self.company_id}:{self.kind}"


class PerpetratorVictim(models.Model):
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(
        _("relation to the victim"), max_length=20, choices=VictimRelation.choices
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["perpetrator", "person"], name="perpvictim_unique")
        ]

    def __str__(self) -> str:
        return f"{self.perpetrator_id}:{self.person_id}"


class Proceeding(ScopedModel):
    code = models.CharField(_("proceeding code"), max_length=20, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    regime = models.CharField(_("procedural regime"), max_length=12, choices=Regime.choices)
    regime_overridden = models.BooleanField(default=False)
    regime_reason = models.CharField(_("reason for the regime"), max_length=300, blank=True)
    investigator = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("investigator")
    )
    prosecutor = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prosecutor"),
    )
    police_report_number = models.CharField(_("police report number"), max_length=80, blank=True)
    spdp_number = models.CharField(_("SPDP number"), max_length=80, blank=True)
    case_file_number = models.CharField(_("case file number"), max_length=80, blank=True)
    court_case_number = models.CharField(_("court case number"), max_length=80, blank=True)
    appeal_number = models.CharField(_("appeal number"), max_length=80, blank=True)
    cassation_number = models.CharField(_("cassation number"), max_length=80, blank=True)
    review_number = models.CharField(_("case review number"), max_length=80, blank=True)
    # Derived from the event log by the append action (for lists and the daily job).
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.POLICE, db_index=True
    )
    reported_on = models.DateField(_("reported on"))
    last_event_on = models.DateField(null=True, blank=True, db_index=True)
    next_hearing_on = models.DateField(null=True, blank=True, db_index=True)
    p19_count = models.PositiveSmallIntegerField(default=0)
    stop_reason = models.CharField(max_length=24, choices=StopReason.choices, blank=True)
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["investigator", "stage"]),
            models.Index(fields=["prosecutor", "stage"]),
        ]

    def __str__(self) -> str:
        return self.code


class Defendant(models.Model):
    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="defendants")
    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.PROTECT, related_name="defendancies"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "perpetrator"], name="defendant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proceeding_id}:{self.perpetrator_id}"


class ProceedingEvent(models.Model):
    """One step of a proceeding. Append-only: the database refuses UPDATE (both databases)
    and DELETE (PostgreSQL; on SQLite the model refuses) - see migration 0002."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    code = models.CharField(_("event"), max_length=30, choices=EventCode.choices)
    occurred_on = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    stop_reason = models.CharField(
        _("reason"), max_length=24, choices=StopReason.choices, blank=True
    )
    verdict_outcome = models.CharField(
        _("outcome"), max_length=12, choices=VerdictOutcome.choices, blank=True
    )
    victim_testified = models.BooleanField(_("victim testified"), default=False)
    protective_measures = models.JSONField(_("protective measures"), default=list, blank=True)
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True)
    note_sealed = models.TextField(blank=True)  # P-19 instructions, notes: may identify someone
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proceeding", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "seq"], name="procevent_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proceeding_id}:{self.seq}:{self.code}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("Proceeding events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Proceeding events are append-only.")


class Charge(models.Model):
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="charges")
    law = models.CharField(_("law"), max_length=12, choices=Law.choices)
    article = models.CharField(_("article"), max_length=40)
    aggravations = models.JSONField(_("aggravating circumstances"), default=list, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.law} {self.article}"


class Sentence(models.Model):
    charge = models.OneToOneField(Charge, on_delete=models.CASCADE, related_name="sentence")
    prison_months = models.PositiveIntegerField(_("prison (months)"), null=True, blank=True)
    life = models.BooleanField(_("life imprisonment"), default=False)
    fine = models.PositiveBigIntegerField(_("fine (Rp)"), null=True, blank=True)
    substitute_detention_months = models.PositiveIntegerField(
        _("substitute detention (months)"), null=True, blank=True
    )
    additional_penalties = models.JSONField(_("additional penalties"), default=list, blank=True)
    restitution_ordered = models.BooleanField(_("restitution ordered"), default=False)
    restitution_amount = models.PositiveBigIntegerField(
        _("restitution (Rp)"), null=True, blank=True
    )
    prison_flag = models.CharField(max_length=8, choices=RangeFlag.choices)
    fine_flag = models.CharField(max_length=8, choices=RangeFlag.choices)
    rule_version = models.CharField(max_length=30, blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sentence:{self.charge_id}"


class Reminder(models.Model):
    """A limit about to pass (or a stalled file), raised once for a responsible user."""

    proceeding = models.ForeignKey(Proceeding, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(_USER, on_delete=models.CASCADE, related_name="+")
    clock = models.CharField(max_length=24, choices=Clock.choices)
    due_on = models.DateField()
    started_on = models.DateField()
    raised_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "user", "clock", "started_on"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["user", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.proceeding_id}:{self.clock}:{self.due_on}"
