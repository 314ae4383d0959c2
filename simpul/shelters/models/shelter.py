"""The shelter registry: a shelter, its dated bed inventory and its daily occupancy."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.shelters.codes import AcceptsSex, ShelterKind, ShelterStatus


class Shelter(models.Model):
    """A shelter. Its regency is shown to everyone who may see the registry; the exact address
    is sealed (`address_sealed`) and opened only for the operating agency and system
    administrators, with a reason, audited."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=ShelterKind.choices)
    operator_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operating agency"),
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("regency or city"),
    )
    address_sealed = models.TextField(blank=True)
    accepts_sex = models.CharField(
        _("accepts"), max_length=10, choices=AcceptsSex.choices, default=AcceptsSex.ANY
    )
    accepts_children = models.BooleanField(_("accepts children"), default=True)
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ShelterStatus.choices,
        default=ShelterStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="shelter_age_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class BedInventory(models.Model):
    """The shelter's beds from `valid_from` until `valid_to` (open-ended when empty): one row
    per period, so capacity has a history (HMIS inventory). A new row ends the current one."""

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="inventory")
    beds = models.PositiveIntegerField(_("beds"))
    blocked = models.PositiveIntegerField(_("blocked beds"), default=0)
    blocked_reason = models.CharField(_("why beds are blocked"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shelter", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(blocked__lte=models.F("beds")), name="inventory_blocked_le_beds"
            ),
            models.UniqueConstraint(
                fields=["shelter"],
                condition=models.Q(valid_to__isnull=True),
                name="inventory_one_current_per_shelter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shelter_id}: {self.beds}/{self.blocked} from {self.valid_from}"


class OccupancyDay(models.Model):
    """One row per shelter per day, written by the nightly job: the source of every occupancy
    statistic (Eden's `cr_shelter_status`)."""

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    is_open = models.BooleanField(default=True)
    beds = models.PositiveIntegerField(default=0)
    blocked = models.PositiveIntegerField(default=0)
    occupied = models.PositiveIntegerField(default=0)
    admissions = models.PositiveIntegerField(default=0)
    exits = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["shelter", "day"]
        constraints = [
            models.UniqueConstraint(fields=["shelter", "day"], name="occupancyday_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.shelter_id} {self.day}: {self.occupied}/{self.beds - self.blocked}"
