"""Prevention: outreach events, knowledge tests, hearing discussions, village risk, volunteers.

Outreach records hold no identities: participants are counted by sex and age band, and the
knowledge tests link a participant's pre- and post-test by a pseudonymous code only. Volunteer
contact details are the exception; they are sealed with the vault keys (see actions).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel


class Topic(models.TextChoices):
    """The outreach topic catalogue; the question bank is organised by these codes."""

    CAUSES = "causes", _("Causes of trafficking")
    FORMS_MODUS = "forms_modus", _("Forms and modus of trafficking")
    RIGHTS_LAW = "rights_law", _("Victims' rights and legal protection")
    SAFE_MIGRATION = "safe_migration", _("Safe migration procedure")
    REINTEGRATION = "reintegration", _("Reintegration of returnees and victims")
    WHERE_TO_REPORT = "where_to_report", _("Where to report and get help")
    ONLINE_RECRUITMENT = "online_recruitment", _("Recruitment through social media")


class Audience(models.TextChoices):
    VILLAGE_OFFICIALS = "village_officials", _("Village officials")
    RT_RW = "rt_rw", _("RT/RW forum and LPM")
    DEPARTING_MIGRANTS = "departing_migrants", _("Departing migrant workers")
    RETURNED_MIGRANTS = "returned_migrants", _("Returned migrant workers")
    FAMILIES = "families", _("Families of migrant workers")
    WOMEN = "women", _("Women's groups")
    YOUTH = "youth", _("Youth")
    STUDENTS = "students", _("School students")
    TEACHERS = "teachers", _("Teachers")
    RELIGIOUS_LEADERS = "religious_leaders", _("Religious leaders")
    COMMUNITY_LEADERS = "community_leaders", _("Community and customary leaders")
    POLICE_MILITARY = "police_military", _("Police and military (Bhabinkamtibmas, Babinsa)")
    VOLUNTEERS = "volunteers", _("Community volunteers (SAPA, PATBM)")
    GENERAL_PUBLIC = "general_public", _("General public")


class Material(models.TextChoices):
    SLIDES = "slides", _("Slides or talk")
    LEAFLET = "leaflet", _("Leaflet")
    POSTER = "poster", _("Poster or banner")
    BOOKLET = "booklet", _("Booklet")
    VIDEO = "video", _("Video")
    CASE_STUDY = "case_study", _("Case study or role play")
    SOCIAL_MEDIA = "social_media", _("Social media post")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    FEMALE = "F", _("Women and girls")
    MALE = "M", _("Men and boys")


class AgeBand(models.TextChoices):
    """SIMFONI PPA age bands (domain.md §5.4), with an "unknown" column for tallies."""

    UNDER_13 = "0-12", _("0-12")
    TEEN = "13-17", _("13-17")
    YOUNG_ADULT = "18-24", _("18-24")
    ADULT = "25-44", _("25-44")
    MIDDLE = "45-59", _("45-59")
    OLDER = "60+", _("60+")
    UNKNOWN = "unknown", _("Age unknown")


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class PhoneTest(models.TextChoices):
    CLOSED = "closed", _("Closed")
    PRE = "pre", _("Pre-test open")
    POST = "post", _("Post-test open")


class OutreachEvent(ScopedModel):
    """One outreach (sosialisasi) session in a village. `scope_region` is always the village."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"), db_index=True)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    co_organisers = models.ManyToManyField(
        "accounts.Agency", blank=True, related_name="+", verbose_name=_("co-organising agencies")
    )
    other_organisers = models.CharField(
        _("other organisers"), max_length=200, blank=True
    )  # e.g. a university or an NGO without a Simpul account
    audiences = models.JSONField(_("audience groups"), default=list)
    topics = models.JSONField(_("topics"), default=list)
    materials = models.JSONField(_("materials used"), default=list)
    materials_note = models.CharField(_("about the materials"), max_length=300, blank=True)
    # Participants answer on their phones through /prevention/t/<phone_token>/ while a phase is
    # open; the token is random and the facilitator closes it after the session.
    phone_token = models.CharField(max_length=32, unique=True, null=True, blank=True)
    phone_phase = models.CharField(
        max_length=8, choices=PhoneTest.choices, default=PhoneTest.CLOSED
    )

    class Meta:
        ordering = ["-held_on", "title"]
        indexes = [models.Index(fields=["village", "held_on"])]
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]

    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]

    def material_labels(self) -> list[str]:
        return [str(Material(m).label) for m in self.materials if m in Material.values]


class ParticipantCount(models.Model):
    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="counts")
    sex = models.CharField(max_length=1, choices=Sex.choices)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    count = models.PositiveIntegerField(validators=[MaxValueValidator(100_000)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sex", "age_band"], name="participantcount_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.sex} {self.age_band}: {self.count}"


class Question(models.Model):
    """A multiple-choice question of the bank. The text is content in Bahasa Indonesia."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    topic = models.CharField(_("topic"), max_length=24, choices=Topic.choices, db_index=True)
    language = models.CharField(max_length=8, default="id")
    text = models.TextField(_("question"))
    options = models.JSONField(_("options"))  # list of 2-4 strings, shown as A, B, C, D
    correct = models.PositiveSmallIntegerField(_("correct option"))  # index into options
    explanation = models.TextField(_("explanation"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    bank_version = models.CharField(max_length=20)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["topic", "code"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.code

    @property
    def lettered_options(self) -> list[tuple[str, str]]:
        return [(OPTION_LETTERS[i], text) for i, text in enumerate(self.options)]

    @property
    def correct_letter(self) -> str:
        return OPTION_LETTERS[self.correct]


OPTION_LETTERS = "ABCD"


class EventQuestion(models.Model):
    """The questions of an event's test, in the order printed on the sheet."""

    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="eventquestion_position"),
            models.UniqueConstraint(fields=["event", "question"], name="eventquestion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} #{self.position}"


class Participant(models.Model):
    """A test taker, known only by a pseudonymous code unique within the event."""

    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="participants")
    code = models.CharField(_("participant code"), max_length=12)
    # SHA-256 of the secret in the cookie of the phone that first sent answers for this code:
    # only that phone can send answers for it again (issue 21, finding 9). Empty for codes
    # entered from paper until a phone claims them.
    phone_claim = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="participant_unique_code")
        ]

    def __str__(self) -> str:
        return self.code


class Attempt(models.Model):
    class Channel(models.TextChoices):
        PAPER = "paper", _("Entered from paper")
        PHONE = "phone", _("Filled in on a phone")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="attempts")
    phase = models.CharField(max_length=4, choices=Phase.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    n_questions = models.PositiveSmallIntegerField()
    n_correct = models.PositiveSmallIntegerField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "phase"], name="attempt_once_per_phase")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.phase}: {self.n_correct}/{self.n_questions}"

    @property
    def score(self) -> float:
        """Percentage of the test's questions answered correctly (a blank counts as wrong)."""
        return 100 * self.n_correct / self.n_questions if self.n_questions else 0.0


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    event_question = models.ForeignKey(EventQuestion, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)  # None: left blank
    is_correct = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "event_question"], name="answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.event_question_id}"


class IssueTheme(models.TextChoices):
    """How issues raised in a hearing discussion (diskusi dengar pendapat) are coded."""

    PROCEDURE_UNKNOWN = "procedure_unknown", _("Departure procedure unknown")
    DOCUMENTS = "documents", _("Documents (passport, ID, birth certificate)")
    DEBTS = "debts", _("Debts and recruitment fees")
    UNOFFICIAL_ROUTES = "unofficial_routes", _("Unofficial routes (jalur tikus)")
    STIGMA = "stigma", _("Fear of stigma")
    JOB_INFORMATION = "job_information", _("No information on legal jobs")
    RECRUITERS = "recruiters", _("Unlicensed recruiters and brokers")
    SOCIAL_MEDIA = "social_media", _("Offers through social media")
    MISSING_ABROAD = "missing_abroad", _("Family members missing abroad")
    WAGES_CONDITIONS = "wages_conditions", _("Wages and working conditions abroad")
    REINTEGRATION_SUPPORT = "reintegration_support", _("Support after return")
    REPORTING = "reporting", _("Not knowing where to report")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    OTHER = "other", _("Other")


class RaisedIssue(models.Model):
    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="issues")
    theme = models.CharField(_("theme"), max_length=32, choices=IssueTheme.choices)
    mentions = models.PositiveSmallIntegerField(
        _("times raised"), default=1, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    summary = models.CharField(_("what was said"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "theme"]

    def __str__(self) -> str:
        return f"{self.event_id} {self.theme} x{self.mentions}"


class RiskIndicator(models.Model):
    """One indicator of the village vulnerability score; weights and reference ranges are data.

    A value is normalised to 0..1 by clamping (value - scale_min) / (scale_max - scale_min),
    reversed when a higher value means less risk. See docs/prevention.md for the defaults.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered or imported")
        REGISTRY = "registry", _("From the Simpul registries, else entered")
        REFERENCE = "reference", _("Reference value, not scored")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source_kind = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.ENTERED
    )
    weight = models.FloatField(
        _("weight"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    scale_min = models.FloatField(_("value scored as no risk"), default=0)
    scale_max = models.FloatField(_("value scored as full risk"), default=100)
    higher_is_riskier = models.BooleanField(_("a higher value means more risk"), default=True)
    per_thousand = models.BooleanField(
        _("registry count per 1,000 residents"), default=False
    )  # registry counts are divided by the village's "population" value
    active = models.BooleanField(_("used in the score"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("risk indicator")
        verbose_name_plural = _("risk indicators")

    def __str__(self) -> str:
        return self.code


class VillageIndicator(models.Model):
    """An indicator's value for one village and year, with where it came from."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    indicator = models.ForeignKey(RiskIndicator, on_delete=models.CASCADE, related_name="values")
    value = models.FloatField(_("value"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=200)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region", "indicator", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "indicator", "year"], name="villageindicator_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.indicator_id} {self.year}: {self.value}"


class VolunteerNetwork(models.TextChoices):
    SAPA = "sapa", _("SAPA volunteers")
    PATBM = "patbm", _("PATBM (community-based child protection)")
    MIGRANT_VILLAGE = "desmigratif", _("Migrant-care village (Desmigratif)")
    RELIGIOUS = "religious", _("Religious organisation")
    OTHER = "other", _("Other")


class Volunteer(ScopedModel):
    """A community volunteer. Name and phone are sealed; lists show code and masked name."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    masked_name = models.CharField(_("name"), max_length=80)
    contact_sealed = models.TextField()
    network = models.CharField(_("network"), max_length=16, choices=VolunteerNetwork.choices)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    since = models.DateField(_("volunteer since"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["village", "code"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.code


class VolunteerTraining(models.Model):
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    topics = models.JSONField(_("topics"), default=list)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    organiser = models.CharField(_("trainer or organiser"), max_length=200, blank=True)
    volunteers = models.ManyToManyField(Volunteer, related_name="trainings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class VolunteerReportKind(models.TextChoices):
    SUSPICIOUS_RECRUITMENT = "suspicious_recruitment", _("Suspicious recruitment or job offer")
    IRREGULAR_DEPARTURE = "irregular_departure", _("Departure without documents or procedure")
    MISSING_MIGRANT = "missing_migrant", _("Migrant worker out of contact")
    RETURNEE_NEEDS_HELP = "returnee_needs_help", _("Returnee needing help")
    CHILD_AT_RISK = "child_at_risk", _("Child at risk (marriage, dropping out, online)")
    VIOLENCE = "violence", _("Violence against a woman or child")
    OTHER = "other", _("Other")


class VolunteerReport(models.Model):
    """That a volunteer brought a report in, of what kind and where. What the report says about
    a person goes to the UPTD PPA as an intake (its reference is kept here), never here."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="reports")
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("kind"), max_length=32, choices=VolunteerReportKind.choices)
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    intake_reference = models.CharField(_("intake reference"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.volunteer_id} {self.kind} {self.received_on}"
