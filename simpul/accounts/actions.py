"""Writes about accounts: sign-in events, second-factor devices, the agreement."""

from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.middleware import LAST_SEEN, LOGIN_AT
from simpul.accounts.models import Agency, Membership, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome

AGREEMENT_VERSION = "2026-1"


def sign_in(request: HttpRequest, user: User) -> None:
    with transaction.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        now = timezone.now().timestamp()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now
        audit("auth.login", actor=user, request=request)


def record_failed_sign_in(request: HttpRequest, username: str) -> None:
    user = User.objects.filter(username=username).first()
    audit("auth.login_failed", actor=user, request=request, outcome=Outcome.FAILED)


def verify_second_factor(request: HttpRequest, user: User, token: str) -> bool:
    """Check a TOTP code against the user's confirmed devices; a used code is never accepted
    twice (the device remembers the last time step)."""
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            # A new session key once the second factor is passed (fixation across steps).
            request.session.cycle_key()
            audit("auth.otp_verified", actor=user, request=request)
            return True
    audit("auth.otp_failed", actor=user, request=request, outcome=Outcome.FAILED)
    return False


def pending_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def confirm_device(request: HttpRequest, user: User, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        audit("auth.otp_setup_failed", actor=user, request=request, outcome=Outcome.FAILED)
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session.cycle_key()
        audit("auth.otp_device_added", actor=user, request=request, record=device)
    return True


def accept_agreement(request: HttpRequest, user: User) -> None:
    with transaction.atomic():
        user.confidentiality_accepted_at = timezone.now()
        user.confidentiality_version = AGREEMENT_VERSION
        user.save(update_fields=["confidentiality_accepted_at", "confidentiality_version"])
        audit("auth.agreement_accepted", actor=user, request=request, reason=AGREEMENT_VERSION)


def _require_admin_of(admin: User, agency: Agency) -> None:
    principal = principal_for(admin)
    if principal.has_perm(Perm.MANAGE_AGENCIES):
        return
    if not any(g.agency_id == agency.id for g in principal.grants_with(Perm.MANAGE_AGENCY_USERS)):
        raise PermissionDenied(_("You do not administer this agency."))


def add_member(
    admin: User,
    agency: Agency,
    *,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    password: str,
    request: HttpRequest | None = None,
) -> Membership:
    """Give a (new or existing) user a role at an agency."""
    _require_admin_of(admin, agency)
    if role == Role.SYSTEM_ADMIN and not principal_for(admin).has_perm(Perm.MANAGE_AGENCIES):
        raise PermissionDenied(
            _("Only a system administrator can appoint another system administrator.")
        )
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            validate_password(password, user)
            user.set_password(password)
            user.save()
        membership, _created = Membership.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"is_active": True}
        )
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
        audit(
            "accounts.member_add",
            actor=admin,
            request=request,
            record=membership,
            fields=["user", "agency", "role"],
        )
    return membership


def set_membership_active(
    admin: User, membership: Membership, active: bool, *, request: HttpRequest | None = None
) -> None:
    """Suspend or restore a role; it takes effect on the member's next request."""
    _require_admin_of(admin, membership.agency)
    with transaction.atomic():
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        audit(
            "accounts.member_activate" if active else "accounts.member_deactivate",
            actor=admin,
            request=request,
            record=membership,
        )
