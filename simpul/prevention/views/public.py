"""Public prevention pages, no sign-in: the job-offer self-check and the phone test."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.access import public
from simpul.core.forms import add_errors
from simpul.core.ratelimit import allow, allow_client
from simpul.justice import queries as justice_queries
from simpul.prevention import actions, job_offer, queries
from simpul.prevention.forms import (
    JobOfferForm,
    PhoneTestForm,
)
from simpul.prevention.models import (
    Phase,
)

# The SAPA 129 channels (domain.md §2), shown on the public pages.
HOTLINES = [
    ("129", "tel:129"),
    ("021-129", "tel:021129"),
    ("WhatsApp 08111-129-129", "https://wa.me/628111129129"),
]
PUBLIC_REPORT_PATH = "/intake/report/"
# The public phone test: answers per connection in 10 minutes (a class on one carrier address
# fits), per test in an hour; the cookie that binds a participant code to the phone that used it.
PHONE_TESTS_PER_ADDRESS = 60
COMPANY_CHECKS_PER_ADDRESS = 30  # per 10 minutes: the register is public, not for harvesting
PHONE_TESTS_PER_EVENT = 600
PHONE_CLAIM_COOKIE = "simpul_test_phone"
PHONE_CLAIM_SALT = "prevention.phone-claim"


@public
@require_http_methods(["GET", "POST"])
def job_offer_check(request: HttpRequest) -> HttpResponse:
    """ "Cek tawaran kerja": answers are evaluated in memory and never stored or logged."""
    rule_set = job_offer.rules()
    form = JobOfferForm(request.POST or None, rule_set=rule_set)
    result = None
    if request.method == "POST" and form.is_valid():
        result = job_offer.evaluate(rule_set, form.answers())
        form = JobOfferForm(None, rule_set=rule_set, initial=form.answers())
    flags = (
        [
            {
                "code": f.code,
                "severity": f.severity,
                "title": job_offer.localised(f.title),
                "why": job_offer.localised(f.why),
                "what_to_do": job_offer.localised(f.what_to_do),
                "basis": f.basis,
            }
            for f in result.flags
        ]
        if result
        else []
    )
    # The placement-company register (justice): public data only (name, licence status and
    # number), looked up by name or NIB, rate-limited per address.
    company_query = " ".join(request.GET.get("perusahaan", "").split())[:200]
    company = None
    status = 200
    if company_query:
        if allow_client(
            "prevention_company", request, limit=COMPANY_CHECKS_PER_ADDRESS, window_seconds=600
        ):
            company = justice_queries.company_licence_status(company_query)
        else:
            status = 429
    return render(
        request,
        "prevention/public/job_offer.html",
        {
            "company_query": company_query,
            "company": company,
            "company_limited": status == 429,
            "form": form,
            "result": result,
            "flags": flags,
            "hotlines": HOTLINES,
            "report_path": PUBLIC_REPORT_PATH,
            "rules_version": rule_set.version,
        },
        status=status,
    )


@public
@require_http_methods(["GET", "POST"])
def phone_test(request: HttpRequest, token: str) -> HttpResponse:
    """A participant fills in the open pre- or post-test on their own phone."""
    event = actions.event_for_phone(token)
    if event is None:
        raise Http404
    event_questions = list(queries.event_questions(event))
    form = PhoneTestForm(request.POST or None, event_questions=event_questions)
    done = False
    status = 200
    claim: str = (
        request.get_signed_cookie(PHONE_CLAIM_COOKIE, default="", salt=PHONE_CLAIM_SALT) or ""
    )
    if request.method == "POST" and not (
        allow_client("prevention_phone", request, limit=PHONE_TESTS_PER_ADDRESS, window_seconds=600)
        and allow("prevention_phone_event", token, limit=PHONE_TESTS_PER_EVENT, window_seconds=3600)
    ):
        form.is_valid()
        form.add_error(None, _("Too many answers from this connection. Ask the facilitator."))
        status = 429
    elif request.method == "POST" and form.is_valid():
        claim = claim or secrets.token_urlsafe(32)
        try:
            actions.submit_phone_answers(
                token, form.cleaned_data["code"], form.choices(), claim=claim, request=request
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            done = True
    response = render(
        request,
        "prevention/public/phone_test.html",
        {
            "event": event,
            "form": form,
            "done": done,
            "phase_label": Phase(event.phone_phase).label,
        },
        status=status,
    )
    if done:
        # The phone's claim on its codes: the post-test from the same phone is accepted, the
        # same code from anyone else is not.
        response.set_signed_cookie(
            PHONE_CLAIM_COOKIE,
            claim,
            salt=PHONE_CLAIM_SALT,
            max_age=180 * 24 * 3600,
            path="/prevention/t/",
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response
