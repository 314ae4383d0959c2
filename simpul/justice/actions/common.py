"""What the justice actions share: role checks and access grants."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils import timezone

from simpul.accounts.models import User
from simpul.accounts.principal import Grant, principal_for
from simpul.accounts.roles import Perm, Role
from simpul.core.codes import random_part, unique_code
from simpul.core.grants import grant_access
from simpul.core.models import AccessGrant
from simpul.justice.models import Perpetrator, Proceeding


def role_grant(actor: User, role: Role) -> Grant:
    """The actor's membership in `role` that may edit records, else PermissionDenied."""
    for grant in principal_for(actor).grants_with(Perm.EDIT_RECORDS):
        if grant.role == role:
            return grant
    raise PermissionDenied


def grant_user(record: Model, user: User, *, by: User) -> None:
    """Give `user` access to `record` (idempotent): an assignment grant."""
    grant_access(
        type(record),
        record.pk,
        kind=AccessGrant.Kind.ASSIGNMENT,
        granted_by=by,
        user=user,
        once=True,
        unrevoked=True,
    )


def new_proceeding_code() -> str:
    return unique_code(Proceeding, "code", lambda: f"PR-{timezone.now():%y}-" + random_part(6))


def new_perpetrator_code() -> str:
    return unique_code(Perpetrator, "code", lambda: f"PL-{timezone.now():%y}-" + random_part(6))
