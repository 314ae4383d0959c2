"""The placement-company register: companies holding (or having held) a placement licence
(SIP3MI), recorded whether or not they were ever a defendant. Public business data: name,
business number, licence number and status; no personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.justice.codes import LicenceStatus


class PlacementCompany(models.Model):
    name = models.CharField(_("company name"), max_length=200)
    nib = models.CharField(_("business number (NIB)"), max_length=20, blank=True)
    licence_number = models.CharField(_("placement licence number"), max_length=60, blank=True)
    licence_status = models.CharField(
        _("licence status"),
        max_length=12,
        choices=LicenceStatus.choices,
        default=LicenceStatus.ACTIVE,
    )
    suspended_from = models.DateField(_("suspended from"), null=True, blank=True)
    suspended_to = models.DateField(_("suspended until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("placement company")
        verbose_name_plural = _("placement companies")
        constraints = [
            models.UniqueConstraint(
                fields=["licence_number"],
                condition=~models.Q(licence_number=""),
                name="placement_company_licence_unique",
                violation_error_message=_("A company with this licence number is registered."),
            ),
            models.UniqueConstraint(
                fields=["nib"],
                condition=~models.Q(nib=""),
                name="placement_company_nib_unique",
                violation_error_message=_("A company with this business number is registered."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
