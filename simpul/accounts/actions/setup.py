"""Writes of `simpul setup`: the first system administrator, and agencies and users from a file.

Both are audited in the same transaction. The first administrator's role is given by nobody
(`granted_by` empty): it is the one role that exists before any administrator does, and
`create_first_system_admin` refuses once a system administrator exists.
"""

from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from simpul.accounts.actions import _issue_enrolment, _notice
from simpul.accounts.agency_import import ImportError_, plan_import, split_full_name
from simpul.accounts.models import Agency, AgencyType, Membership, RoleChange, User
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Role
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.regions.models import Region

DEFAULT_ADMIN_AGENCY = "Sekretariat Simpul"


class AlreadySetUp(Exception):
    """A system administrator exists: setup has been done."""


def system_admin_exists() -> bool:
    return Membership.objects.filter(role=Role.SYSTEM_ADMIN).exists()


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    email: str
    full_name: str
    password: str
    agency_name: str = DEFAULT_ADMIN_AGENCY


def check_first_admin(details: FirstAdmin) -> None:
    """Refuse a bad username, e-mail or password (Django's password validators) before any
    write; ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    try:
        UnicodeUsernameValidator()(details.username)
        if not details.username or len(details.username) > 150:
            raise ValidationError(_("The username is empty."))
    except ValidationError as exc:
        errors["username"] = exc.messages
    if details.email:
        try:
            validate_email(details.email)
        except ValidationError as exc:
            errors["email"] = exc.messages
    first, last = split_full_name(details.full_name)
    try:
        validate_password(
            details.password,
            User(username=details.username, email=details.email, first_name=first, last_name=last),
        )
    except ValidationError as exc:
        errors["password"] = exc.messages
    existing = Agency.objects.filter(name__iexact=details.agency_name.strip()).first()
    if existing is not None and existing.agency_type != AgencyType.TASKFORCE:
        errors["agency_name"] = [
            _("Agency %(name)s exists and is not a task-force secretariat.")
            % {"name": existing.name}
        ]
    if errors:
        raise ValidationError(errors)


def create_first_system_admin(details: FirstAdmin) -> User:
    """The installation's first system administrator, at the task-force secretariat that runs
    Simpul (created when missing). The second factor is enrolled at the first sign-in, as for
    every role that needs one. Refused (AlreadySetUp) once any system administrator exists."""
    check_first_admin(details)
    with transaction.atomic():
        if system_admin_exists():
            raise AlreadySetUp
        first, last = split_full_name(details.full_name)
        user = User(username=details.username, email=details.email, first_name=first)
        user.last_name = last
        user.set_password(details.password)
        user.save()
        agency = Agency.objects.filter(name__iexact=details.agency_name.strip()).first()
        created = agency is None
        if agency is None:
            agency = Agency.objects.create(
                name=details.agency_name.strip(), agency_type=AgencyType.TASKFORCE
            )
        # The role first: the audit entries name the agency the actor acts for.
        membership = Membership.objects.create(user=user, agency=agency, role=Role.SYSTEM_ADMIN)
        if created:
            audit(
                "accounts.agency_registered",
                actor=user,
                record=agency,
                fields=["name", "agency_type"],
            )
        audit("accounts.first_admin_created", actor=user, record=membership)
    return user


@dataclass
class AgencyImportResult:
    errors: list[ImportError_] = field(default_factory=list)
    agencies_created: int = 0
    agencies_skipped: int = 0
    users_created: int = 0
    users_skipped: int = 0
    # (username, one-time enrolment token) of each new account: shown once, to the importer.
    enrolments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_agencies(actor: User, content: bytes, *, dry_run: bool = False) -> AgencyImportResult:
    """Agencies and users from a file (`simpul.accounts.agency_import`): all rows or none.

    New accounts get no password: each gets a one-time enrolment link (72 hours), like an
    account added on the agency page, and sets up its second factor at first sign-in."""
    if not principal_for(actor).has_perm(Perm.MANAGE_AGENCIES):
        raise PermissionDenied(_("Only a system administrator manages agencies."))
    plan = plan_import(content)
    result = AgencyImportResult(errors=plan.errors)
    if plan.errors:
        with transaction.atomic():
            audit(
                "accounts.agencies_imported",
                actor=actor,
                count=len(plan.errors),
                outcome=Outcome.FAILED,
            )
        return result
    result.agencies_skipped = len(plan.agencies) - len(plan.new_agencies)
    result.users_skipped = len({u.username for u in plan.users if u.existing is not None})
    if dry_run:
        result.agencies_created = len(plan.new_agencies)
        result.users_created = len({u.username for u in plan.new_users})
        return result
    with transaction.atomic():
        by_code: dict[str, Agency] = {}
        for spec in plan.agencies:
            if spec.existing is not None:
                by_code[spec.code] = spec.existing
                continue
            region = Region.objects.get(pk=spec.jurisdiction) if spec.jurisdiction else None
            agency = Agency.objects.create(
                name=spec.name,
                agency_type=spec.agency_type,
                jurisdiction=region,
                parent=by_code[spec.parent_code] if spec.parent_code else None,
            )
            by_code[spec.code] = agency
            audit(
                "accounts.agency_registered",
                actor=actor,
                record=agency,
                fields=["name", "agency_type", "jurisdiction", "parent"],
            )
            result.agencies_created += 1
        users: dict[str, User] = {}
        for row in plan.new_users:
            user = users.get(row.username)
            if user is None:
                first, last = split_full_name(row.full_name)
                user = User(
                    username=row.username,
                    email=row.email,
                    first_name=first,
                    last_name=last,
                    must_change_password=True,
                )
                user.set_unusable_password()
                user.save()
                users[row.username] = user
                result.enrolments.append((user.username, _issue_enrolment(user, actor, None)))
                result.users_created += 1
            membership = Membership.objects.create(
                user=user, agency=by_code[row.agency_code], role=row.role, granted_by=actor
            )
            _notice(membership, RoleChange.ADDED, actor)
            audit(
                "accounts.member_add",
                actor=actor,
                record=membership,
                fields=["user", "agency", "role"],
            )
        audit(
            "accounts.agencies_imported",
            actor=actor,
            count=result.agencies_created + result.users_created,
        )
    return result
