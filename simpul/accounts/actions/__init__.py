"""Writes about accounts: sign-in events, second-factor devices, the agreement, enrolment,
who may give whom a role, resets by an administrator, agencies, and the form drafts kept when a
session runs out."""

import json
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
    SessionDraft,
    User,
)
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import (
    DRAFTS_WAITING,
    enrolment_token_hash,
    roles_appointable_by,
    session_draft_aad,
)
from simpul.accounts.roles import Perm, Role, roles_for_agency_type
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.identity.crypto import open_text, seal_text
from simpul.regions.models import Region

AGREEMENT_VERSION = "2026-1"


def sign_in(request: HttpRequest, user: User) -> None:
    with transaction.atomic():
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        now = timezone.now().timestamp()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now
        # Form drafts kept when an earlier session ran out wait for their pages (looked up here
        # once, so other pages never ask).
        if SessionDraft.objects.filter(user=user, expires_at__gt=timezone.now()).exists():
            request.session[DRAFTS_WAITING] = True
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
NOT_IN_AGENCY_TYPE = gettext_lazy("An agency of this type has no such role.")
ENROLMENT_HOURS = 72


def _require_may_grant(admin: User, agency: Agency, role: str, grantee: User | None) -> None:
    """The appointment rules: never oneself, only a role above the grantee's, never a user of
    another agency. Raises ValidationError at the field the refusal is about."""
    if grantee is not None and grantee.pk == admin.pk:
        raise ValidationError({"username": SELF_GRANT})
    if Role(role) not in roles_for_agency_type(agency.agency_type):
        raise ValidationError({"role": NOT_IN_AGENCY_TYPE})
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
    if active and Role(membership.role) not in roles_for_agency_type(membership.agency.agency_type):
        raise ValidationError({"role": NOT_IN_AGENCY_TYPE})
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
    """A user's own new password: the forced change after an enrolment, or the change from the
    user menu (the form checked the old password and the validators). The user's other sessions
    end; this one continues."""
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        update_session_auth_hash(request, user)
        audit("auth.password_changed", actor=user, request=request)


def record_failed_password_change(request: HttpRequest, user: User) -> None:
    """A wrong current password on the change page (audited like a failed sign-in)."""
    audit("auth.password_change_failed", actor=user, request=request, outcome=Outcome.FAILED)


# --- Resets by an administrator ------------------------------------------------------------

SELF_RESET = gettext_lazy(
    "You cannot reset your own account here. Change your password from your user menu, or ask "
    "another administrator."
)
OUT_OF_REACH = gettext_lazy("This user holds a role your role cannot manage.")


def _require_may_reset(admin: User, member: User) -> None:
    """The appointment rules again: never oneself, only a member of agencies the administrator
    administers, and only when every role the member holds there is one the administrator could
    give (an agency administrator resets operational roles, a system administrator resets
    administrators)."""
    if member.pk == admin.pk:
        raise ValidationError(SELF_RESET)
    memberships = list(member.memberships.select_related("agency"))
    if not memberships:
        raise PermissionDenied(_("You do not administer this agency."))
    for membership in memberships:
        _require_admin_of(admin, membership.agency)
        if Role(membership.role) not in roles_appointable_by(admin, membership.agency):
            raise ValidationError(OUT_OF_REACH)


def reset_member_password(admin: User, member: User, *, request: HttpRequest | None = None) -> str:
    """A member forgot their password: the old one stops working at once (and with it every
    session of the member), and a new one-time enrolment link lets the member choose a new one
    (must_change_password until then). Returns the link's token, shown once."""
    _require_may_reset(admin, member)
    with transaction.atomic():
        member = User.objects.select_for_update().get(pk=member.pk)
        member.set_unusable_password()
        member.must_change_password = True
        member.save(update_fields=["password", "must_change_password"])
        token = _issue_enrolment(member, admin, request)
        audit("accounts.password_reset", actor=admin, request=request, record=member)
    return token


def reset_member_second_factor(
    admin: User, member: User, *, request: HttpRequest | None = None
) -> int:
    """A member lost their authenticator: every device is removed, so the next sign-in (and the
    next request of a current session) must set up a new one. Returns how many were removed."""
    _require_may_reset(admin, member)
    with transaction.atomic():
        removed, _by_model = TOTPDevice.objects.filter(user=member).delete()
        audit(
            "accounts.second_factor_reset",
            actor=admin,
            request=request,
            record=member,
            count=removed,
        )
    return removed


# --- Agencies (system administrators) -------------------------------------------------------

TYPE_HAS_NOT_ROLES = gettext_lazy(
    "Members of this agency hold roles that this type of agency does not have: %(roles)s. "
    "Suspend those roles first."
)
PARENT_LOOP = gettext_lazy("An agency cannot be placed under itself or one of its own units.")
OWN_AGENCY = gettext_lazy("You cannot deactivate the agency of your own administrator role.")
NAME_TAKEN = gettext_lazy("Another agency already has this name.")


def _require_system_admin(admin: User) -> None:
    if not principal_for(admin).has_perm(Perm.MANAGE_AGENCIES):
        raise PermissionDenied(_("Only a system administrator manages agencies."))


@dataclass(frozen=True)
class AgencyDetails:
    name: str
    short_name: str
    agency_type: str
    jurisdiction: Region | None
    parent: Agency | None


def _check_details(details: AgencyDetails, agency: Agency | None) -> None:
    taken = Agency.objects.filter(name__iexact=details.name.strip())
    if agency is not None:
        taken = taken.exclude(pk=agency.pk)
    if taken.exists():
        raise ValidationError({"name": NAME_TAKEN})
    if agency is not None and details.parent is not None:
        ancestor: Agency | None = details.parent
        seen: set[int] = set()
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == agency.pk:
                raise ValidationError({"parent": PARENT_LOOP})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
    if agency is not None and details.agency_type != agency.agency_type:
        allowed = roles_for_agency_type(details.agency_type)
        misfits = sorted(
            {
                Role(m.role).label
                for m in agency.memberships.filter(is_active=True)
                if Role(m.role) not in allowed
            },
            key=str,
        )
        if misfits:
            raise ValidationError(
                {"agency_type": TYPE_HAS_NOT_ROLES % {"roles": ", ".join(map(str, misfits))}}
            )


def _apply(agency: Agency, details: AgencyDetails) -> None:
    agency.name = details.name.strip()
    agency.short_name = details.short_name.strip()
    agency.agency_type = details.agency_type
    agency.jurisdiction = details.jurisdiction
    agency.parent = details.parent


_AGENCY_FIELDS = ["name", "short_name", "agency_type", "jurisdiction", "parent"]


def _values(agency: Agency) -> dict[str, object]:
    return {
        "name": agency.name,
        "short_name": agency.short_name,
        "agency_type": agency.agency_type,
        "jurisdiction": agency.jurisdiction_id,
        "parent": agency.parent_id,
    }


def register_agency(
    admin: User, details: AgencyDetails, *, request: HttpRequest | None = None
) -> Agency:
    _require_system_admin(admin)
    with transaction.atomic():
        _check_details(details, None)
        agency = Agency()
        _apply(agency, details)
        agency.save()
        audit(
            "accounts.agency_registered",
            actor=admin,
            request=request,
            record=agency,
            fields=_AGENCY_FIELDS,
        )
    return agency


def edit_agency(
    admin: User, agency: Agency, details: AgencyDetails, *, request: HttpRequest | None = None
) -> Agency:
    _require_system_admin(admin)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        _check_details(details, agency)
        before = _values(agency)
        _apply(agency, details)
        agency.save()
        after = _values(agency)
        changed = [f for f in _AGENCY_FIELDS if before[f] != after[f]]
        audit("accounts.agency_edited", actor=admin, request=request, record=agency, fields=changed)
    return agency


def set_agency_active(
    admin: User, agency: Agency, active: bool, *, request: HttpRequest | None = None
) -> None:
    """Deactivate (or reactivate) an agency: its members' roles there grant nothing while it is
    inactive (the principal reads only active agencies), so they can no longer act."""
    _require_system_admin(admin)
    if not active and any(g.agency_id == agency.pk for g in principal_for(admin).grants):
        raise ValidationError(OWN_AGENCY)
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        agency.is_active = active
        agency.save(update_fields=["is_active"])
        audit(
            "accounts.agency_activated" if active else "accounts.agency_deactivated",
            actor=admin,
            request=request,
            record=agency,
        )


# --- Form drafts kept when a session runs out ------------------------------------------------

DRAFT_HOURS = 24
DRAFT_MAX_CHARS = 64_000
# Never kept: secrets, the CSRF token, the sign-in steps' codes.
_NEVER_KEPT = ("password", "csrfmiddlewaretoken", "token", "otp", "secret")


def draftable_fields(posted: dict[str, list[str]]) -> dict[str, list[str]]:
    return {
        name: values
        for name, values in posted.items()
        if name != "next" and not any(word in name.lower() for word in _NEVER_KEPT)
    }


def keep_session_draft(
    user: User,
    path: str,
    action: str,
    posted: dict[str, list[str]],
    *,
    request: HttpRequest | None = None,
) -> SessionDraft | None:
    """Seal what `user` posted when the session had run out, for the page at `path` (one draft
    per page; a newer one replaces it). Files, passwords and tokens are never kept."""
    fields = draftable_fields(posted)
    payload = json.dumps(fields, ensure_ascii=False)
    if not fields or len(payload) > DRAFT_MAX_CHARS:
        return None
    now = timezone.now()
    with transaction.atomic():
        SessionDraft.objects.filter(user=user, expires_at__lte=now).delete()
        draft, _created = SessionDraft.objects.update_or_create(
            user=user,
            path=path[:255],
            defaults={
                "action": action[:255],
                "fields_sealed": seal_text(payload, session_draft_aad(user.pk, path[:255])),
                "created_at": now,
                "expires_at": now + timedelta(hours=DRAFT_HOURS),
            },
        )
        audit(
            "accounts.session_draft_kept",
            actor=user,
            request=request,
            record=draft,
            fields=sorted(fields),
        )
    return draft


def take_session_draft(request: HttpRequest, user: User, path: str) -> dict[str, object] | None:
    """The draft kept for this user and page, once: it is deleted as it is given back. When
    none of the user's drafts remain, pages stop asking."""
    now = timezone.now()
    with transaction.atomic():
        draft = (
            SessionDraft.objects.select_for_update()
            .filter(user=user, path=path[:255], expires_at__gt=now)
            .first()
        )
        result: dict[str, object] | None = None
        if draft is not None:
            aad = session_draft_aad(user.pk, draft.path)
            fields = json.loads(open_text(draft.fields_sealed, aad))
            result = {"action": draft.action, "fields": fields}
            audit("accounts.session_draft_restored", actor=user, request=request, record=draft)
            draft.delete()
        SessionDraft.objects.filter(user=user, expires_at__lte=now).delete()
        if not SessionDraft.objects.filter(user=user).exists():
            request.session.pop(DRAFTS_WAITING, None)
    return result
