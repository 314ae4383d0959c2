"""Notices the system raises for the village officer: a scheduled check-in overdue, a migrant
unreachable at the latest check-ins. Written by the hourly job
(`simpul.migration.actions.record_checkin_notices`), once per departure, kind and date."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.migration.models.departure import Departure


class NoticeKind(models.TextChoices):
    OVERDUE = "overdue", _("Check-in overdue")
    UNREACHABLE = "unreachable", _("Migrant unreachable")


class CheckInNotice(models.Model):
    """One notice: `on` is the check-in's due date (overdue) or the date of the latest
    unreachable contact (unreachable). The agency is the departure's owner, the user the
    officer who registered it. Holds no identity: the departure and its person are scoped."""

    departure = models.ForeignKey(Departure, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    on = models.DateField(_("date"))
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["departure", "kind", "on"], name="checkinnotice_once_per_date"
            )
        ]
        indexes = [models.Index(fields=["agency", "kind", "created_at"])]
        verbose_name = _("check-in notice")
        verbose_name_plural = _("check-in notices")

    def __str__(self) -> str:
        return f"{self.kind}:{self.departure_id}:{self.on}"
