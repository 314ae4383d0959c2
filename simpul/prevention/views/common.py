"""What the prevention pages share: permission decorators, the area and year filters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from simpul.accounts.access import require_any_perm
from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
from simpul.prevention import permissions, queries

require_view = require_any_perm(*permissions.READ)
require_manage = require_any_perm(*permissions.WRITE)


def can_manage(user: User) -> bool:
    return principal_for(user).has_perm(permissions.MANAGE)


def within(user: User) -> str | None:
    """The one jurisdiction to limit region pickers to, when the user has exactly one."""
    codes = queries.jurisdiction_codes(user, permissions.WRITE)
    return codes[0] if len(codes) == 1 else None


def managing_agencies_or_403(user: User) -> list:
    agencies = queries.managing_agencies(user)
    if not agencies:
        raise PermissionDenied
    return agencies


MIN_YEAR, MAX_YEAR = 1900, 2100


def year_filter(request: HttpRequest) -> tuple[str, int]:
    """The `?year=` filter as a plausible four-digit year, or "" and status 400 with a message
    for anything else (a 20-digit year overflowed the database's integer: issue 21, 9)."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return "", 200
    if raw.isascii() and raw.isdigit() and len(raw) == 4 and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return raw, 200
    messages.error(
        request,
        _("Choose a year between %(first)d and %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR},
    )
    return "", 400
