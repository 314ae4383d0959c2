"""Signing in: password (throttled), second factor, confidentiality agreement, signing out."""

from typing import Any, NoReturn

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.accounts import actions
from simpul.accounts.access import acting_user, any_role, public, require_perm, sign_in_step
from simpul.accounts.forms import (
    AgencyFilterForm,
    AgencyForm,
    AgreementForm,
    LoginForm,
    MemberForm,
    OtpForm,
)
from simpul.accounts.models import Agency, Membership, User
from simpul.accounts.principal import principal_for, two_factor_verified
from simpul.accounts.queries import (
    agencies_for_admin,
    enrolment_token_hash,
    filter_agencies,
    member_for_admin,
    roles_offered,
    usable_enrolment,
)
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.http import form_status

AGENCIES_PER_PAGE = 25


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
        return redirect(f"{reverse('accounts:agreement')}?next={_next_url(request)}")
    return redirect(_next_url(request))


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any):
    form = LoginForm(request.POST or None)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked": True},
        status=429,
    )


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
    reason = request.GET.get("reason", "")
    context = {
        "form": form,
        "error": error,
        # The session ended: for inactivity (or an old "?timeout=1" link), or at its full length.
        "timeout": reason == "idle" or request.GET.get("timeout") == "1",
        "ended": reason == "absolute",
        "kept": request.GET.get("kept") == "1",
        "next": request.GET.get("next", ""),
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
    """The agencies an administrator manages with their members: paged, filtered by type,
    jurisdiction and status, searchable by name. A system administrator also registers, edits
    and deactivates agencies from here."""
    admin = acting_user(request)
    filters = AgencyFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    agencies = filter_agencies(
        agencies_for_admin(admin),
        agency_type=chosen.get("agency_type") or "",
        region=chosen.get("region"),
        text=chosen.get("q") or "",
        active=chosen.get("active") or "",
    ).order_by("name", "id")
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    audit(
        "accounts.agency_list",
        request=request,
        record_type="accounts.agency",
        count=len(page.object_list),
    )
    return render(
        request,
        "accounts/agency_list.html",
        {
            "agencies": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "manages_agencies": principal_for(admin).has_perm(Perm.MANAGE_AGENCIES),
        },
    )


def _denied(request: HttpRequest, action: str, record_type: str, record_id: int) -> NoReturn:
    """An agency or member the administrator does not administer: audited, and not found."""
    audit(
        action,
        request=request,
        record_type=record_type,
        record_id=str(record_id),
        reason="out_of_scope",
        outcome=Outcome.DENIED,
    )
    raise Http404


def _administered_or_404(request: HttpRequest, admin: User, agency_id: int) -> Agency:
    agency = agencies_for_admin(admin).filter(pk=agency_id).first()
    if agency is None:
        _denied(request, "accounts.member_add", "accounts.agency", agency_id)
    return agency


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, agency_id: int) -> HttpResponse:
    admin = acting_user(request)
    agency = _administered_or_404(request, admin, agency_id)
    form = MemberForm(request.POST or None, roles=roles_offered(admin, agency))
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
    return render(
        request,
        "accounts/member_form.html",
        {"form": form, "agency": agency},
        status=form_status(form),
    )


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_POST
def member_toggle(request: HttpRequest, membership_id: int) -> HttpResponse:
    admin = acting_user(request)
    membership = member_for_admin(admin, membership_id)
    if membership is None:
        _denied(request, "accounts.member_toggle", "accounts.membership", membership_id)
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


@any_role
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password from the user menu: the current one, then a new one that
    passes the validators. The user's other sessions end."""
    user = acting_user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            actions.change_own_password(request, user, form.cleaned_data["new_password1"])
            messages.success(request, _("Your password was changed."))
            return redirect("web:home")
        if "old_password" in form.errors:
            actions.record_failed_password_change(request, user)
    return render(
        request, "accounts/password_change.html", {"form": form}, status=form_status(form)
    )


def _member_or_404(request: HttpRequest, membership_id: int) -> tuple[User, Membership]:
    admin = acting_user(request)
    membership = member_for_admin(admin, membership_id)
    if membership is None:
        _denied(request, "accounts.member_reset", "accounts.membership", membership_id)
    return admin, membership


def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    for error in exc.messages:
        messages.error(request, error)
    return redirect("accounts:agency_list")


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_POST
def member_reset_password(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A new one-time enrolment link for a member who lost their password (shown once)."""
    admin, membership = _member_or_404(request, membership_id)
    try:
        token = actions.reset_member_password(admin, membership.user, request=request)
    except ValidationError as exc:
        return _refused(request, exc)
    link = request.build_absolute_uri(reverse("accounts:enrol_start", args=[token]))
    response = render(
        request,
        "accounts/member_reset.html",
        {"member": membership.user, "link": link, "hours": actions.ENROLMENT_HOURS},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_perm(Perm.MANAGE_AGENCY_USERS)
@require_POST
def member_reset_second_factor(request: HttpRequest, membership_id: int) -> HttpResponse:
    admin, membership = _member_or_404(request, membership_id)
    try:
        actions.reset_member_second_factor(admin, membership.user, request=request)
    except ValidationError as exc:
        return _refused(request, exc)
    messages.success(
        request,
        _("The second factor of %(name)s was reset: they set up a new one at their next sign-in.")
        % {"name": membership.user.get_full_name() or membership.user.username},
    )
    return redirect("accounts:agency_list")


def _details(form: AgencyForm) -> actions.AgencyDetails:
    data = form.cleaned_data
    return actions.AgencyDetails(
        name=data["name"],
        short_name=data.get("short_name") or "",
        agency_type=data["agency_type"],
        jurisdiction=data.get("jurisdiction"),
        parent=data.get("parent"),
    )


@require_perm(Perm.MANAGE_AGENCIES)
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    admin = acting_user(request)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = actions.register_agency(admin, _details(form), request=request)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Agency registered: %(name)s.") % {"name": agency.name})
            return redirect(f"{reverse('accounts:agency_list')}?q={agency.name}")
    return render(
        request,
        "accounts/agency_form.html",
        {"form": form, "agency": None},
        status=form_status(form),
    )


@require_perm(Perm.MANAGE_AGENCIES)
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    admin = acting_user(request)
    agency = get_object_or_404(agencies_for_admin(admin), pk=agency_id)
    initial = {
        "name": agency.name,
        "short_name": agency.short_name,
        "agency_type": agency.agency_type,
        "jurisdiction": agency.jurisdiction,
        "parent": agency.parent,
    }
    form = AgencyForm(request.POST or None, initial=initial, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_agency(admin, agency, _details(form), request=request)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("accounts:agency_list")
    return render(
        request,
        "accounts/agency_form.html",
        {"form": form, "agency": agency},
        status=form_status(form),
    )


@require_perm(Perm.MANAGE_AGENCIES)
@require_POST
def agency_toggle(request: HttpRequest, agency_id: int) -> HttpResponse:
    admin = acting_user(request)
    agency: Agency = get_object_or_404(agencies_for_admin(admin), pk=agency_id)
    try:
        actions.set_agency_active(admin, agency, not agency.is_active, request=request)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("accounts:agency_list")
    if agency.is_active:  # as it was before the change
        messages.success(
            request,
            _("%(name)s is deactivated: its members can no longer act for it.")
            % {"name": agency.name},
        )
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": agency.name})
    return redirect("accounts:agency_list")
