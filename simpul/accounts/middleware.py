"""Session timeouts and the deny-by-default access policy."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from simpul.accounts.access import PUBLIC, SIGN_IN_STEP, access_level
from simpul.accounts.models import User
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome

LOGIN_AT = "simpul_login_at"
LAST_SEEN = "simpul_last_seen"
# Set by session-drafts.js on requests no person asked for (an element polling with
# hx-trigger="every ..."); such requests never count as activity. `?background=1` does the same.
BACKGROUND_HEADER = "X-Simpul-Background"


def is_background(request: HttpRequest) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1" or request.GET.get("background") == "1"


def _local(url: str, request: HttpRequest) -> str:
    """`url` as a path and query on this site, or "" when it points elsewhere."""
    if not url or not url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.startswith("/accounts/"):
        return ""  # never back to a sign-in step
    return f"{path}?{parts.query}" if parts.query else path


def page_of(request: HttpRequest) -> str:
    """The page the user was on: the address to return to after signing in again. An HTMX
    request names its page (HX-Current-URL); a posted form came from its Referer; a page asked
    for is itself. Never a POST-only address: without a page, the home page."""
    current = _local(request.headers.get("HX-Current-URL", ""), request)
    if current:
        return current
    if request.method in ("GET", "HEAD") and not request.headers.get("HX-Request"):
        return _local(request.get_full_path(), request) or "/"
    return _local(request.headers.get("Referer", ""), request) or "/"


def to_sign_in(request: HttpRequest, page: str, **params: str) -> HttpResponse:
    """Send the browser to the sign-in page with `next=page`; an HTMX request navigates the whole
    page there (a redirect would be swapped into a fragment)."""
    query = urlencode({"next": page, **params}, safe="/")
    url = f"{reverse('accounts:login')}?{query}"
    if request.headers.get("HX-Request"):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _csrf_passes(request: HttpRequest) -> bool:
    """This check runs before the view's CSRF check: keep only what the user's own page posted."""
    checker = CsrfViewMiddleware(lambda r: HttpResponse())
    return checker.process_view(request, _no_view, (), {}) is None


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


class SessionTimeoutMiddleware:
    """Idle timeout (default 15 min) and absolute timeout (default 12 h), checked server-side
    on every request (the session store keeps a session up to the absolute limit, so that a
    form posted after the idle limit still knows whose it was).

    A form posted on a session that ran out is not lost: its fields (never passwords, tokens or
    files) are sealed into a draft for that user and page, the session ends, and the sign-in
    page returns to the form, where the draft is given back once. Background polling never
    counts as activity.
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
                return self._end(request, "idle" if idle else "absolute")
            request.session.setdefault(LOGIN_AT, now)
            if not is_background(request):
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _end(request: HttpRequest, reason: str) -> HttpResponse:
        # cycle: accounts.actions imports accounts.middleware (LAST_SEEN)
        from simpul.accounts.actions import keep_session_draft

        audit("auth.session_timeout", request=request, reason=reason)
        page = page_of(request)
        params = {"reason": reason}
        user = request.user
        if (
            request.method == "POST"
            and isinstance(user, User)
            and request.path != reverse("set_language")
            and _csrf_passes(request)
            and request.POST
        ):
            posted = {name: request.POST.getlist(name) for name in request.POST}
            path = urlsplit(page).path
            if keep_session_draft(user, path, request.path, posted, request=request):
                params["kept"] = "1"
        logout(request)
        return to_sign_in(request, page, **params)


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
            return to_sign_in(request, page_of(request))
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
