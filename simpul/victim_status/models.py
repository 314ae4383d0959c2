"""The secret a victim or guardian keeps, with the case code, to read the status page.

Only a keyed hash of the secret is stored (`identity.crypto.blind_index`, kind
"victim_status"): the plain secret is shown once, to the case worker who issues it. One live
secret per victim of a case; issuing a new one revokes the old (a lost slip)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_USER = settings.AUTH_USER_MODEL


class StatusSecret(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    secret_index = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_read_at = models.DateTimeField(null=True, blank=True)
    reads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=Q(revoked_at__isnull=True),
                name="statussecret_one_live_per_victim",
            )
        ]
        verbose_name = _("status secret")
        verbose_name_plural = _("status secrets")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"
