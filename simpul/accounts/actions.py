"""Writes about accounts: sign-in events, second-factor devices, the agreement, enrolment,
and who may give whom a role."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import login, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts.middleware import LAST_SEEN, LOGIN_AT
from simpul.accounts.models import (
    Agency,
    EnrolmentToken,
    Membership,
    RoleChange,
    RoleChangeNotice,
    User,
)
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import enrolment_token_hash, roles_appointable_by
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


SELF_GRANT = gettext_lazy("You cannot give a role to yourself. Another administrator must do it.")
OTHER_AGENCY = gettext_lazy(
    "This user belongs to another agency. A role there cannot be given from here: "
    "ask that agency's administrator, or choose another username."
)
NOT_APPOINTABLE = gettext_lazy("Your role cannot appoint this role.")
ENROLMENT_HOURS = 72


def _require_may_grant(admin: User, agency: Agency, role: str, grantee: User | None) -> None:
    """The appointment rules: never oneself, only a role above the grantee's, never a user of
    another agency. Raises ValidationError at the field the refusal is about."""
    if grantee is not None and grantee.pk == admin.pk:
        raise ValidationError({"username": SELF_GRANT})
    if Role(role) not in roles_appointable_by(admin, agency):
        raise ValidationError({"role": NOT_APPOINTABLE})
    if grantee is not None and grantee.memberships.exclude(agency=agency).exists():
        raise ValidationError({"username": OTHER_AGENCY})


def _notice(membership: Membership, change: RoleChange, admin: User) -> None:
    RoleChangeNotice.objects.create(
        membership=membership,
        user_id=membership.user_id,
        agency_id=membership.agency_id,
        role=membership.role,
        change=change,
        changed_by=admin,
    )


def _issue_enrolment(user: User, admin: User, request: HttpRequest | None) -> str:
    """A new one-time enrolment link for `user` (earlier unused ones stop working). Returns
    the token; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    EnrolmentToken.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = EnrolmentToken.objects.create(
        user=user,
        token_hash=enrolment_token_hash(raw),
        created_by=admin,
        created_at=now,
        expires_at=now + timedelta(hours=ENROLMENT_HOURS),
    )
    audit("accounts.enrolment_issued", actor=admin, request=request, record=token)
    return raw


@dataclass(frozen=True)
class MemberAdded:
    membership: Membership
    # The one-time enrolment token of a new account (shown once as a link), else None.
    enrolment_token: str | None


def add_member(
    admin: User,
    agency: Agency,
    *,
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    request: HttpRequest | None = None,
) -> MemberAdded:
    """Give a (new or existing) user a role at an agency. A new account gets no password: it
    is enrolled through a one-time link that the administrator passes on."""
    _require_admin_of(admin, agency)
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(username=username).first()
        _require_may_grant(admin, agency, role, existing)
        token = None
        if existing is None:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                must_change_password=True,
            )
            user.set_unusable_password()
            user.save()
            token = _issue_enrolment(user, admin, request)
        else:
            user = existing
        membership, created = Membership.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"is_active": True, "granted_by": admin}
        )
        if created or not membership.is_active:
            if not created:
                membership.is_active = True
                membership.granted_by = admin
                membership.save(update_fields=["is_active", "granted_by"])
            _notice(membership, RoleChange.ADDED if created else RoleChange.ACTIVATED, admin)
        audit(
            "accounts.member_add",
            actor=admin,
            request=request,
            record=membership,
            fields=["user", "agency", "role"],
        )
    return MemberAdded(membership, token)


def set_membership_active(
    admin: User, membership: Membership, active: bool, *, request: HttpRequest | None = None
) -> None:
    """Suspend or restore a role; it takes effect on the member's next request. The same rules
    as giving it: a role above it, and never restoring one's own."""
    _require_admin_of(admin, membership.agency)
    if active and membership.user_id == admin.pk:
        raise ValidationError({"username": SELF_GRANT})
    if Role(membership.role) not in roles_appointable_by(admin, membership.agency):
        raise ValidationError({"role": NOT_APPOINTABLE})
    with transaction.atomic():
        membership.is_active = active
        fields = ["is_active"]
        if active:
            membership.granted_by = admin
            fields.append("granted_by")
        membership.save(update_fields=fields)
        _notice(membership, RoleChange.ACTIVATED if active else RoleChange.DEACTIVATED, admin)
        audit(
            "accounts.member_activate" if active else "accounts.member_deactivate",
            actor=admin,
            request=request,
            record=membership,
        )


def complete_enrolment(request: HttpRequest, token_hash: str, password: str) -> User | None:
    """Use an enrolment link once: set the new account's own password and sign it in (the
    second factor follows). None when the link is no longer usable."""
    with transaction.atomic():
        token = (
            EnrolmentToken.objects.select_for_update()
            .filter(token_hash=token_hash, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None:
            return None
        user = User.objects.select_for_update().get(pk=token.user_id)
        if not user.is_active:
            return None
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        audit("accounts.enrolled", actor=user, request=request, record=token)
        sign_in(request, user)
    return user


def change_own_password(request: HttpRequest, user: User, password: str) -> None:
    """The forced password change after an enrolment or an administrator's reset."""
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        update_session_auth_hash(request, user)
        audit("auth.password_changed", actor=user, request=request)
