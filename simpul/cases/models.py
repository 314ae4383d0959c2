"""The case file: victims, what happened, consent, the plan, services, and the workflow."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.cases.codes import (
    Education,
    EventType,
    Exploitation,
    IncidentPlace,
    Occupation,
    PerpetratorRelation,
    Service,
)
from simpul.core.models import ScopedModel


class Stage(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment waiting for approval")
    PLANNING = "planning", _("Case plan being prepared")
    PLAN_SUBMITTED = "plan_submitted", _("Plan waiting for approval")
    SERVICES = "services", _("Services under way")
    MONITORING = "monitoring", _("Monitoring")
    CLOSURE_REQUESTED = "closure_requested", _("Closure waiting for approval")
    CLOSED = "closed", _("Closed")


class ReturnedStep(models.TextChoices):
    """What a supervisor sent back to the case worker, with a reason the worker sees."""

    ASSESSMENT = "assessment", _("Assessment")
    PLAN = "plan", _("Case plan")
    CLOSURE = "closure", _("Closure")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Plan goals met")
    REFERRED = "referred", _("Handed over to another agency")
    DECLINED = "declined", _("Victim declined further services")
    UNREACHABLE = "unreachable", _("Victim cannot be reached")
    NOT_TRAFFICKING = "not_trafficking", _("Not a trafficking case")
    DECEASED = "deceased", _("Victim died")


_USER = settings.AUTH_USER_MODEL


class Case(ScopedModel):
    code = models.CharField(_("case code"), max_length=20, unique=True)
    stage = models.CharField(
        _("stage"), max_length=24, choices=Stage.choices, default=Stage.ASSESSMENT, db_index=True
    )
    intake = models.ForeignKey(
        "intake.Intake", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    screening = models.ForeignKey(
        "screening.ScreeningResult",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case worker"),
    )
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    exploitation_types = models.JSONField(_("types of exploitation"), default=list, blank=True)
    means_of_control = models.JSONField(_("means of control"), default=list, blank=True)
    violence_forms = models.JSONField(_("forms of violence"), default=list, blank=True)
    incident_place = models.CharField(
        _("place of incident"), max_length=20, choices=IncidentPlace.choices, blank=True
    )
    perpetrator_relation = models.CharField(
        _("relationship to perpetrator"),
        max_length=20,
        choices=PerpetratorRelation.choices,
        blank=True,
    )
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=24, choices=Occupation.choices, blank=True
    )
    assessment_sealed = models.TextField(blank=True)
    assessment_submitted_at = models.DateTimeField(null=True, blank=True)
    assessment_approved_at = models.DateTimeField(null=True, blank=True)
    assessment_approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_goals_sealed = models.TextField(blank=True)
    plan_submitted_at = models.DateTimeField(null=True, blank=True)
    plan_approved_at = models.DateTimeField(null=True, blank=True)
    plan_approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    # The stage a closure was requested from: a refused closure returns the case there.
    stage_before_closure = models.CharField(
        max_length=24, choices=Stage.choices, blank=True, default=""
    )
    # The last step a supervisor returned, until the worker submits it again.
    returned_step = models.CharField(
        max_length=12, choices=ReturnedStep.choices, blank=True, default="", db_index=True
    )
    return_reason_sealed = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_approved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_changed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["owner_agency", "stage", "opened_at"]),
            models.Index(fields=["assigned_to", "stage"]),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.code

    def get_exploitation_labels(self) -> list[str]:
        return [
            str(Exploitation(v).label) if v in Exploitation.values else "—"
            for v in self.exploitation_types
        ]

    @property
    def htcds_status(self) -> str:
        if self.stage == Stage.CLOSED:
            return "ClosedReferred" if self.closure_reason == ClosureReason.REFERRED else "Closed"
        return "FollowUp" if self.stage == Stage.MONITORING else "Active"


class CaseVictim(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="casevictim_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class TraffickingEvent(models.Model):
    """One step of the trafficking chronology (HTCDS hte_Type): recruitment, transit or
    exploitation, where (a region in Indonesia or a country abroad, plus a place) and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(_("what happened"), max_length=20, choices=EventType.choices)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region in Indonesia"),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    until_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.occurred_on}"


class Consent(models.Model):
    """What a victim agreed to (UU 27/2022 Pasal 20-25), and any withdrawal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=list)
    share_with = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    guardian_consent = models.BooleanField(default=False)
    guardian_relation = models.CharField(max_length=60, blank=True)
    given_at = models.DateTimeField()
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"consent {self.pk} {self.items}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def covers(self, item: str) -> bool:
        return self.active and item in self.items


class PlanItem(models.Model):
    """A task of a case: a row of the approved plan (a service by an agency by a date), or a
    task created ad hoc (`is_task`, with a sealed title), by the owner side or by a receiving
    agency for its own part. Either may be assigned to a person and reassigned."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_items")
    service = models.CharField(_("service"), max_length=30, choices=Service.choices, blank=True)
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    due_on = models.DateField(_("due date"))
    done_at = models.DateTimeField(null=True, blank=True)
    is_task = models.BooleanField(default=False)
    title_sealed = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["responsible_agency", "done_at", "due_on"]),
            models.Index(fields=["assigned_to", "done_at", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.service or 'task'} by {self.due_on}"


class ServiceDelivery(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=30, choices=Service.choices)
    delivered_on = models.DateField(_("date"))
    provider = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("provider")
    )
    outcome_sealed = models.TextField(blank=True)
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [models.Index(fields=["case", "delivered_on"])]

    def __str__(self) -> str:
        return f"{self.service} {self.delivered_on}"


class CaseActivity(models.Model):
    """The case timeline: every step as a code (`kind`) with its parameters (codes and ids,
    never identifying values), rendered in the reader's language by `cases.timeline`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    at = models.DateTimeField()
    actor = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at}"
