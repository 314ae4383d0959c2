"""Signing in: password (throttled), second factor, confidentiality agreement, signing out."""

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts import actions
from simpul.accounts.access import acting_user, public, require_perm, sign_in_step
from simpul.accounts.forms import AgreementForm, LoginForm, MemberForm, OtpForm
from simpul.accounts.models import Membership, User
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.accounts.queries import (
    agencies_for_admin,
    enrolment_token_hash,
    roles_appointable_by,
    usable_enrolment,
)
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _continue_sign_in(request: HttpRequest) -> HttpResponse:
    """The next step of signing in: second factor, then the agreement, then the page asked for."""
    user = acting_user(request)
    if principal_for(user).needs_two_factor and not two_factor_verified(user):
        confirmed = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
        step = "accounts:otp" if confirmed else "accounts:otp_setup"
        return redirect(f"{reverse(step)}?next={_next_url(request)}")
    if user.must_change_password:
        return redirect(f"{reverse('accounts:password')}?next={_next_url(request)}")
    if user.confidentiality_accepted_at is None:
        return redirect("accounts:agreement")
    return redirect(_next_url(request))


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any):
    form = LoginForm(request.POST or None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked": True, "demo_users": _demo_users()},
        status=429,
    )


def _demo_users() -> list[dict[str, str]]:
    if not settings.DEMO_MODE:
        return []
    from simpul.demo.world import demo_user_list

    return demo_user_list()


@public
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if isinstance(user, User):
            actions.sign_in(request, user)
            return _continue_sign_in(request)
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        actions.record_failed_sign_in(request, username)
        error = _("Username or password is wrong.")
    context = {
        "form": form,
        "error": error,
        "timeout": request.GET.get("timeout") == "1",
        "next": request.GET.get("next", ""),
        "demo_users": _demo_users(),
    }
    return render(request, "accounts/login.html", context)


@sign_in_step
@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    form = OtpForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if actions.verify_second_factor(request, user, form.cleaned_data["token"]):
            return _continue_sign_in(request)
        error = _("That code is wrong or was already used. Wait for the next code.")
    demo_code = ""
    if settings.DEMO_MODE:
        demo_code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    return render(
        request, "accounts/otp.html", {"form": form, "error": error, "demo_code": demo_code}
    )


@sign_in_step
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return redirect("accounts:otp")
    device = actions.pending_device(user)
    form = OtpForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if actions.confirm_device(request, user, device, form.cleaned_data["token"]):
            return _continue_sign_in(request)
        error = _("That code is wrong. Check the time on your phone and try again.")
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "error": error, "qr": qr, "secret": secret},
    )


@sign_in_step
@require_http_methods(["GET", "POST"])
def agreement_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if principal_for(user).needs_two_factor and not two_factor_verified(user):
        return redirect("accounts:otp")
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.accept_agreement(request, user)
        return redirect(_next_url(request))
    return render(request, "accounts/agreement.html", {"form": form})


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit("auth.logout", request=request)
    logout(request)
    response = redirect("accounts:login")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_http_methods(["GET"])
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = list(agencies_for_admin(acting_user(request)))
    audit(
        "accounts.agency_list", request=request, record_type="accounts.agency", count=len(agencies)
    )
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, agency_id: int) -> HttpResponse:
    admin = acting_user(request)
    agency = get_object_or_404(agencies_for_admin(admin), pk=agency_id)
    form = MemberForm(request.POST or None, roles=roles_appointable_by(admin, agency))
    if request.method == "POST" and form.is_valid():
        try:
            added = actions.add_member(admin, agency, request=request, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Role given."))
            if added.enrolment_token is None:
                return redirect("accounts:agency_list")
            # The link is shown once, on this response only, and never cached.
            link = request.build_absolute_uri(
                reverse("accounts:enrol_start", args=[added.enrolment_token])
            )
            response = render(
                request,
                "accounts/member_added.html",
                {
                    "agency": agency,
                    "member": added.membership.user,
                    "link": link,
                    "hours": actions.ENROLMENT_HOURS,
                },
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "accounts/member_form.html", {"form": form, "agency": agency})


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_POST
def member_toggle(request: HttpRequest, membership_id: int) -> HttpResponse:
    admin = acting_user(request)
    agencies = agencies_for_admin(admin)
    membership = get_object_or_404(Membership, pk=membership_id, agency__in=agencies)
    try:
        actions.set_membership_active(admin, membership, not membership.is_active, request=request)
    except ValidationError as exc:
        for errors in exc.message_dict.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accounts:agency_list")


ENROL_KEY = "simpul_enrolment"


def _enrolment_gone(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/enrol_invalid.html", status=410)


@public
@require_GET
def enrol_start(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the administrator: keep the token's hash in the session and continue on
    an address without it (so it never appears in a Referer or the history again)."""
    token_hash = enrolment_token_hash(token)
    if usable_enrolment(token_hash) is None:
        return _enrolment_gone(request)
    request.session[ENROL_KEY] = token_hash
    return redirect("accounts:enrol")


@public
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    token_hash = request.session.get(ENROL_KEY, "")
    token = usable_enrolment(token_hash) if token_hash else None
    if token is None:
        return _enrolment_gone(request)
    form = SetPasswordForm(token.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = actions.complete_enrolment(request, token_hash, form.cleaned_data["new_password1"])
        if user is None:
            return _enrolment_gone(request)
        request.session.pop(ENROL_KEY, None)
        return _continue_sign_in(request)
    return render(request, "accounts/enrol.html", {"form": form, "member": token.user})


@sign_in_step
@require_http_methods(["GET", "POST"])
def password_view(request: HttpRequest) -> HttpResponse:
    """The forced password change (after an enrolment or an administrator's reset)."""
    user = acting_user(request)
    if principal_for(user).needs_two_factor and not two_factor_verified(user):
        return redirect("accounts:otp")
    if not user.must_change_password:
        return redirect(_next_url(request))
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_own_password(request, user, form.cleaned_data["new_password1"])
        return _continue_sign_in(request)
    return render(request, "accounts/password.html", {"form": form})
