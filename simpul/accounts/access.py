"""View decorators that declare who may reach a view; the middleware enforces the rest.

Every view is closed by default: signed in, second factor verified where the role needs it,
confidentiality agreement accepted, and holding an active role. A view opts out only by being
marked `@public` (no login at all) or `@sign_in_step` (part of signing in).

Every closed view also declares which permissions open it, so the persona x URL test can compute
each role's expected answer from the role table: `@require_perm(perm)`, `@require_any_perm(...)`
or, for a page every role has (the home page), `@any_role`; a page only some kinds of agency use
says so with `@require_perm(perm, agency_types=...)`. `declared_perms(view)` reads the
declaration; `None` means the view declared nothing (the test fails on such a view).
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from simpul.accounts.models import Agency, User
from simpul.accounts.principal import Principal, principal_for
from simpul.accounts.roles import Perm

V = TypeVar("V", bound=Callable[..., HttpResponse])

PUBLIC = "public"
SIGN_IN_STEP = "sign_in_step"


def public(view: V) -> V:
    view.simpul_access = PUBLIC  # type: ignore[attr-defined]
    return view


def sign_in_step(view: V) -> V:
    view.simpul_access = SIGN_IN_STEP  # type: ignore[attr-defined]
    return view


def any_role(view: V) -> V:
    """Declares a closed view open to every role (the middleware already requires one)."""
    view.simpul_perms = ()  # type: ignore[attr-defined]
    return view


def declared_perms(view: Callable[..., Any]) -> tuple[Perm, ...] | None:
    """The permissions a closed view declared (any one of them opens it; an empty tuple means
    every role), or None when it declared none."""
    target = getattr(view, "view_class", None) or view
    for source in (target, view):
        perms = getattr(source, "simpul_perms", None)
        if perms is not None:
            return tuple(perms)
    return None


def access_level(view: Callable[..., Any]) -> str | None:
    target = getattr(view, "view_class", None) or view
    return getattr(target, "simpul_access", None) or getattr(view, "simpul_access", None)


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a closed view (the middleware let only such requests through)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def require_perm(perm: Perm, *, agency_types: Iterable[str] = ()) -> Callable[[V], V]:
    """Open the view to roles holding `perm`; with `agency_types`, only where the role holds it
    at an agency of one of those types (a border post records returns, a village departures)."""
    types = frozenset(agency_types)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            principal = principal_for(acting_user(request))
            if not principal.has_perm(perm):
                raise PermissionDenied
            if types and not holds_at_agency_type(principal, perm, types):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.simpul_perm = perm  # type: ignore[attr-defined]
        wrapped.simpul_perms = (perm,)  # type: ignore[attr-defined]
        wrapped.simpul_agency_types = types  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def holds_at_agency_type(principal: Principal, perm: Perm, types: frozenset[str]) -> bool:
    """Whether one of the agencies where the principal holds `perm` is of one of `types`."""
    agency_ids = {g.agency_id for g in principal.grants_with(perm)}
    return Agency.objects.filter(id__in=agency_ids, agency_type__in=types, is_active=True).exists()


def declared_agency_types(view: Callable[..., Any]) -> frozenset[str]:
    """The agency types a view is limited to (empty: any agency)."""
    target = getattr(view, "view_class", None) or view
    for source in (target, view):
        types = getattr(source, "simpul_agency_types", None)
        if types:
            return frozenset(types)
    return frozenset()


def require_any_perm(*perms: Perm) -> Callable[[V], V]:
    """Like `require_perm`, for a page that any one of several permissions opens."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            principal = principal_for(acting_user(request))
            if not any(principal.has_perm(p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.simpul_perm = perms[0]  # type: ignore[attr-defined]
        wrapped.simpul_perms = tuple(perms)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
