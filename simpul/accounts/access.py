"""View decorators that declare who may reach a view; the middleware enforces the rest.

Every view is closed by default: signed in, second factor verified where the role needs it,
confidentiality agreement accepted, and holding an active role. A view opts out only by being
marked `@public` (no login at all) or `@sign_in_step` (part of signing in).

Every closed view also declares which permissions open it, so the persona x URL test can compute
each role's expected answer from the role table: `@require_perm(perm)`, `@require_any_perm(...)`
or, for a page every role has (the home page), `@any_role`. `declared_perms(view)` reads the
declaration; `None` means the view declared nothing (the test fails on such a view).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from simpul.accounts.models import User
from simpul.accounts.principal import principal_for
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


def require_perm(perm: Perm) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not principal_for(acting_user(request)).has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.simpul_perm = perm  # type: ignore[attr-defined]
        wrapped.simpul_perms = (perm,)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


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
