"""Reports that reach a UPTD PPA from every channel, before and while they are triaged."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.models import ScopedModel


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    HOTLINE = "hotline", _("24/7 hotline call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    SOCIAL_MEDIA = "social_media", _("Social media")
    REFERRAL_VILLAGE = "referral_village", _("Referral from a village")
    REFERRAL_BORDER = "referral_border", _("Referral from a border or port post")
    REFERRAL_POLICE = "referral_police", _("Referral from the police")
    REFERRAL_PARTNER = "referral_partner", _("Referral from a partner agency")
    PUBLIC_WEB = "public_web", _("Public web form")
    API = "api", _("API")


class Status(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    TRIAGED = "triaged", _("Triaged")
    CASE_OPENED = "case_opened", _("Case opened")
    CLOSED = "closed", _("Closed without a case")


class TriageDecision(models.TextChoices):
    SCREEN = "screen", _("Screen for trafficking")
    OPEN_CASE = "open_case", _("Open a case")
    REFER = "refer", _("Refer to another agency")
    NO_ACTION = "no_action", _("No action needed")


class Intake(ScopedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    immediate_danger = models.BooleanField(_("someone is in immediate danger"), default=False)
    child_involved = models.BooleanField(_("a child is involved"), default=False)
    place_country = models.CharField(_("country"), max_length=2, blank=True)
    # The narrative is sealed with the vault keys (AAD binds it to this row).
    narrative_sealed = models.TextField(blank=True)
    reporter = models.ForeignKey(
        "identity.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporter"),
    )
    reporter_anonymous = models.BooleanField(_("anonymous reporter"), default=False)
    # How to reach a public reporter who left a contact (sealed like the narrative).
    reporter_contact_sealed = models.TextField(blank=True)
    # Keyed hash of the receipt the public reporter keeps to add information later.
    receipt_index = models.CharField(max_length=64, blank=True, db_index=True)
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    referred_by_agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    triage_decision = models.CharField(max_length=20, choices=TriageDecision.choices, blank=True)
    # Why the report was closed without a case (required for "no action"), sealed.
    close_reason_sealed = models.TextField(blank=True)
    # Unique per agency, not globally: another agency's id is an independent request.
    client_id = models.UUIDField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=128, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-immediate_danger", "received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_agency", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="intake_unique_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["owner_agency", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="intake_unique_client_id",
            ),
        ]
        indexes = [models.Index(fields=["owner_agency", "status", "received_at"])]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return self.reference


class IntakePerson(models.Model):
    class Role(models.TextChoices):
        CONCERNED = "concerned", _("Person concerned (possible victim)")
        WITNESS = "witness", _("Witness")
        SUSPECT = "suspect", _("Suspected perpetrator")

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CONCERNED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intake", "person"], name="intakeperson_unique")
        ]

    def __str__(self) -> str:
        return f"{self.intake_id}:{self.person_id}"


class IntakeNote(models.Model):
    """Information added after the first report, by an operator or by the public reporter."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="notes")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_reporter = models.BooleanField(default=False)
    text_sealed = models.TextField()

    class Meta:
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.intake_id}"
