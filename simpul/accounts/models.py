"""Agencies, users and their memberships (a user's role at an agency)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# AgencyType lives with the role table (which roles each type of agency has); kept importable
# from here for the other apps.
from simpul.accounts.roles import AgencyType as AgencyType
from simpul.accounts.roles import Role


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    agency_type = models.CharField(_("type"), max_length=20, choices=AgencyType.choices)
    # The region subtree the agency serves; empty means national.
    jurisdiction = models.ForeignKey(
        "regions.Region",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def jurisdiction_code(self) -> str | None:
        return self.jurisdiction_id


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships, never from flags."""

    # Django's is_staff/is_superuser stay False for everyone: Simpul has no Django admin.
    confidentiality_accepted_at = models.DateTimeField(
        _("confidentiality agreement accepted at"), null=True, blank=True
    )
    confidentiality_version = models.CharField(max_length=20, blank=True)
    # Set for an account enrolled by link or reset by an administrator: the next sign-in goes to
    # the password page before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who gave (or last restored) the role; a role someone gave themselves grants nothing.
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class EnrolmentToken(models.Model):
    """A one-time link for a new account to set its own password. Only the token's SHA-256 is
    stored; the link is shown once, to the administrator who created the account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment link")
        verbose_name_plural = _("enrolment links")

    def __str__(self) -> str:
        return f"enrolment of {self.user}"


class RoleChange(models.TextChoices):
    ADDED = "added", _("given")
    ACTIVATED = "activated", _("restored")
    DEACTIVATED = "deactivated", _("suspended")


class RoleChangeNotice(models.Model):
    """A readable note of a change to someone's role, shown on the home page of the member and
    of their agency's supervisors and administrators (the audit trail has the same event)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_notices")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    change = models.CharField(_("change"), max_length=16, choices=RoleChange.choices)
    changed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.change}"


class SessionDraft(models.Model):
    """What a user had typed into a form when their session ran out: the posted fields, sealed
    with the vault keys (AAD binds them to this user and page), given back once on that page
    after the same user signs in again, and deleted then or when they expire."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # The page the form was on (its GET address, without the query) and where it posted to.
    path = models.CharField(max_length=255)
    action = models.CharField(max_length=255, blank=True)
    fields_sealed = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="session_draft_one_per_page")
        ]
        verbose_name = _("kept form draft")
        verbose_name_plural = _("kept form drafts")

    def __str__(self) -> str:
        return f"draft of {self.user_id} at {self.path}"
