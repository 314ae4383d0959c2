"""The departure registry: who leaves, how, with which documents, and the check-ins after."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel
from simpul.migration.codes import (
    Channel,
    CheckInOutcome,
    ContactWith,
    Country,
    Job,
    ProceduralStatus,
    Recruiter,
    Route,
    Stage,
    TravelDocument,
    TravelPurpose,
)


class Departure(ScopedModel):
    """One person's departure to work abroad, registered by a village, LTSA or Disnaker.

    `scope_region` is the migrant's home village, so the village and the district above it
    see the record. Employer and family contact identify people: they are sealed.
    """

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.PLANNED
    )
    reported_by_family = models.BooleanField(
        _("already left; reported by the family"), default=False
    )
    destination_country = models.CharField(
        _("destination country"), max_length=2, choices=Country.choices
    )
    destination_place = models.CharField(_("destination place"), max_length=120, blank=True)
    job = models.CharField(_("job"), max_length=16, choices=Job.choices, default=Job.UNKNOWN)
    job_detail = models.CharField(_("job details"), max_length=120, blank=True)
    employer_sealed = models.TextField(blank=True)
    channel = models.CharField(_("placement channel"), max_length=20, choices=Channel.choices)
    placement_company = models.CharField(_("placement company"), max_length=200, blank=True)
    placement_licence = models.CharField(_("licence number"), max_length=60, blank=True)
    recruiter = models.CharField(
        _("recruited by"), max_length=20, choices=Recruiter.choices, default=Recruiter.UNKNOWN
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    crossing_point = models.CharField(_("crossing point"), max_length=24, blank=True)
    travel_document = models.CharField(
        _("travel document"), max_length=16, choices=TravelDocument.choices
    )
    travel_purpose = models.CharField(
        _("declared purpose of travel"),
        max_length=16,
        choices=TravelPurpose.choices,
        default=TravelPurpose.WORK,
    )
    planned_on = models.DateField(_("planned departure date"))
    departed_on = models.DateField(_("departure date"), null=True, blank=True)
    age_at_departure = models.PositiveSmallIntegerField(null=True, blank=True)
    fees_or_debt = models.BooleanField(
        _("pays fees or owes a debt to the recruiter"), default=False
    )
    passport_held_by_recruiter = models.BooleanField(
        _("passport held by the recruiter"), default=False
    )
    name_mismatch = models.BooleanField(_("name differs between documents"), default=False)
    age_mismatch = models.BooleanField(_("age differs between documents"), default=False)
    family_contact_sealed = models.TextField(blank=True)
    checkin_months = models.JSONField(_("check-in schedule (months)"), default=list)
    procedural_status = models.CharField(
        _("procedural status"),
        max_length=16,
        choices=ProceduralStatus.choices,
        db_index=True,
    )
    status_reasons = models.JSONField(default=list)
    risk_flags = models.JSONField(default=list)

    class Meta:
        ordering = ["-planned_on", "-created_at"]
        indexes = [
            models.Index(fields=["scope_region", "stage"]),
            models.Index(fields=["person"]),
        ]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")

    def __str__(self) -> str:
        return self.reference

    @property
    def left_on(self) -> date:
        return self.departed_on or self.planned_on


class DepartureDocument(models.Model):
    """One line of the Pasal 13 checklist for a departure."""

    departure = models.ForeignKey(Departure, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=32)
    present = models.BooleanField(default=False)
    acknowledged = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["departure", "code"], name="departuredocument_unique")
        ]

    def __str__(self) -> str:
        return f"{self.departure_id}:{self.code}"


class CheckIn(ScopedModel):
    """A scheduled or unscheduled contact with the migrant or their family after departure.

    Scheduled rows are created with the departure (`due_on` set, no outcome yet); recording a
    contact fills the earliest open one. `scope_region` is the home village.
    """

    departure = models.ForeignKey(Departure, on_delete=models.CASCADE, related_name="checkins")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"), null=True, blank=True)
    contacted_on = models.DateField(_("contact date"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=CheckInOutcome.choices, blank=True
    )
    contact_with = models.CharField(
        _("contact with"), max_length=12, choices=ContactWith.choices, blank=True
    )
    problems = models.JSONField(default=list)
    note_sealed = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_intake = models.ForeignKey(
        "intake.Intake", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "contacted_on", "created_at"]
        indexes = [models.Index(fields=["scope_region", "outcome", "due_on"])]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"check-in {self.pk}"
