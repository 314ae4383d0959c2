"""The victim's status page (public, opened with the case code and the secret) and the case
worker's page that issues the secret."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.access import acting_user, public, require_perm
from simpul.accounts.roles import Perm
from simpul.cases.queries import get_case_for
from simpul.core.ratelimit import allow, allow_client
from simpul.victim_status import actions, queries
from simpul.victim_status.forms import StatusLookupForm

# Attempts per connection in 15 minutes, and per case code in an hour (from any connection):
# enough for a person who mistypes, far too few to guess a 59-bit secret.
PER_ADDRESS = 10
PER_CASE_CODE = 10


@public
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = StatusLookupForm(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["case_code"].strip().upper()
        if not allow_client("victim_status", request, limit=PER_ADDRESS, window_seconds=900) or (
            not allow("victim_status_case", code, limit=PER_CASE_CODE, window_seconds=3600)
        ):
            form.add_error(None, _("Too many attempts. Wait an hour, or ask your case worker."))
        else:
            secret = queries.live_secret(form.cleaned_data["secret"], code)
            if secret is None:
                actions.record_refusal(code, request=request)
                form.add_error(
                    None,
                    _(
                        "We could not find this case code with this secret code. Check both "
                        "on your slip, or ask your case worker."
                    ),
                )
            else:
                actions.record_read(secret, request=request)
                status = queries.status_of(secret)
    response = render(
        request,
        "victim_status/status.html" if status else "victim_status/lookup.html",
        {"form": form, "status": status},
        status=200 if status or request.method == "GET" else 422,
    )
    add_never_cache_headers(response)
    return response


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    user = acting_user(request)
    case = get_case_for(
        user, case_id, perm=Perm.EDIT_RECORDS, include_referrals=False, request=request
    )
    issued = None
    error = ""
    if request.method == "POST":
        person_id = request.POST.get("person", "")
        try:
            if request.POST.get("do") == "revoke":
                actions.revoke_secret(user, case, person_id, request=request)
            else:
                secret, plain = actions.issue_secret(user, case, person_id, request=request)
                issued = {"person_id": str(secret.person_id), "secret": plain}
        except ValidationError as exc:
            error = " ".join(exc.messages)
    response = render(
        request,
        "victim_status/issue.html",
        {
            "case": case,
            "victims": queries.victims_of(case),
            "issued": issued,
            "error": error,
            "status_url": request.build_absolute_uri("/status/"),
        },
        status=422 if error else 200,
    )
    add_never_cache_headers(response)
    return response
