"""Session timeouts and the deny-by-default access policy."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from simpul.accounts.access import PUBLIC, SIGN_IN_STEP, access_level
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome

LOGIN_AT = "simpul_login_at"
LAST_SEEN = "simpul_last_seen"


class SessionTimeoutMiddleware:
    """Idle timeout (default 15 min) and absolute timeout (default 12 h), checked server-side.

    The idle limit is also the session's expiry in the store, so an idle session is gone even
    if this middleware were bypassed; the absolute limit needs the login time kept here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = request.session.get(LOGIN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_MINUTES * 60
            expired = now - login_at > settings.SESSION_ABSOLUTE_HOURS * 3600
            if idle or expired:
                audit(
                    "auth.session_timeout", request=request, reason="idle" if idle else "absolute"
                )
                logout(request)
                return redirect(f"{reverse('accounts:login')}?timeout=1")
            request.session.setdefault(LOGIN_AT, now)
            request.session[LAST_SEEN] = now
        return self.get_response(request)


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        level = access_level(view)
        if level == PUBLIC or request.path.startswith(settings.STATIC_URL):
            return None
        if request.path.startswith("/api/"):
            return None  # the API authenticates every call with its bearer token (401)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if level == SIGN_IN_STEP:
            return None
        principal = principal_for(user)
        if principal.needs_two_factor and not two_factor_verified(user):
            return redirect("accounts:otp")
        if getattr(user, "must_change_password", False):
            return redirect("accounts:password")
        if getattr(user, "confidentiality_accepted_at", None) is None:
            return redirect("accounts:agreement")
        if not principal.has_role:
            return self._deny(request, "no_role")
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            return self._deny(request, "permission")
        return None

    @staticmethod
    def _deny(request: HttpRequest, why: str) -> HttpResponse:
        audit(
            "authz.denied",
            request=request,
            record_type="url",
            record_id=request.path[:64],
            reason=why,
            outcome=Outcome.DENIED,
        )
        return render(request, "web/forbidden.html", {"why": why}, status=403)
