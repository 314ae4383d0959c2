"""One row per victim, case and right: informed (when, by whom), wanted, requested,
fulfilled, and what fulfils it. Read and written only through the case's scope."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.rights.choices import LinkKind, Right, RightStatus, Wanted

_USER = settings.AUTH_USER_MODEL


class VictimRight(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="+")
    right = models.CharField(_("right"), max_length=20, choices=Right.choices)
    informed_on = models.DateField(_("informed on"), null=True, blank=True)
    informed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wanted = models.CharField(
        _("wanted"), max_length=10, choices=Wanted.choices, default=Wanted.UNDECIDED
    )
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    link_kind = models.CharField(
        _("fulfilled by"), max_length=12, choices=LinkKind.choices, blank=True
    )
    link_id = models.CharField(max_length=40, blank=True)
    note_sealed = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "person", "right"]
        verbose_name = _("victim's right")
        verbose_name_plural = _("victims' rights")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "right"], name="rights_one_row_per_right"
            ),
            # Requested only after being informed; fulfilled only after being requested.
            models.CheckConstraint(
                condition=models.Q(requested_on__isnull=True) | models.Q(informed_on__isnull=False),
                name="rights_requested_after_informed",
            ),
            models.CheckConstraint(
                condition=models.Q(fulfilled_on__isnull=True)
                | models.Q(requested_on__isnull=False),
                name="rights_fulfilled_after_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.person_id} {self.right}"

    @property
    def status(self) -> str:
        if self.fulfilled_on:
            return RightStatus.FULFILLED
        if self.requested_on:
            return RightStatus.REQUESTED
        if self.wanted == Wanted.NO:
            return RightStatus.DECLINED
        if self.informed_on:
            return RightStatus.INFORMED
        return RightStatus.NOT_INFORMED

    def get_status_display(self) -> str:
        return str(RightStatus(self.status).label)
