"""Vault pages: find, register, open (masked) and reveal a person. Thin: forms in, actions and
queries do the work."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.models import Agency
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.identity import actions, queries
from simpul.identity.forms import PersonForm, RevealForm


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """GET lists the persons in scope; a search is POSTed (CSRF-protected) and answered on the
    POST, so a name, NIK, passport or phone never reaches a URL, an access log or the browser
    history. A `?q=` in the URL is ignored, never searched for nor echoed."""
    user = acting_user(request)
    q = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    if q:
        persons = queries.search_persons(user, q)
        audit(
            "person.search",
            request=request,
            record_type="identity.person",
            count=len(persons),
            searched=q,
        )
    else:
        persons = list(queries.persons_for(user).select_related("scope_region")[:100])
        audit("person.list", request=request, record_type="identity.person", count=len(persons))
    partial = getattr(request, "htmx", False)
    template = "identity/partials/person_rows.html" if partial else "identity/person_list.html"
    can_create = principal_for(user).has_perm(Perm.EDIT_RECORDS)
    return render(request, template, {"persons": persons, "q": q, "can_create": can_create})


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PersonForm(request.POST or None)
    principal = principal_for(user)
    if request.method == "POST" and form.is_valid():
        agency_ids = [g.agency_id for g in principal.grants_with(Perm.EDIT_RECORDS)]
        agency = Agency.objects.get(pk=agency_ids[0])
        try:
            person, warnings = actions.create_person(
                user,
                form.identity(),
                owner_agency=agency,
                scope_region=form.cleaned_data["region"],
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Person %(code)s recorded.") % {"code": person.code})
            return redirect("identity:person_detail", person_id=person.id)
    return render(request, "identity/person_form.html", {"form": form})


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    user = acting_user(request)
    person = queries.get_person_for(user, person_id, request=request)
    audit("person.view", request=request, record=person)
    can_reveal = principal_for(user).has_perm(Perm.REVEAL_IDENTITY)
    return render(
        request,
        "identity/person_detail.html",
        {"person": person, "reveal_form": RevealForm(), "can_reveal": can_reveal},
    )


def _reveal_perm(view: Callable[[HttpRequest, str], HttpResponse]) -> Any:
    """`require_perm(Perm.REVEAL_IDENTITY)` whose refusal is also audited as a refused reveal of
    the person asked for (the generic `authz.denied` names only the URL)."""
    guarded = require_perm(Perm.REVEAL_IDENTITY)(view)

    @wraps(guarded)
    def wrapped(request: HttpRequest, person_id: str) -> HttpResponse:
        if not principal_for(acting_user(request)).has_perm(Perm.REVEAL_IDENTITY):
            queries.audit_refused_reveal(
                acting_user(request), person_id, "no_permission", request=request
            )
        return guarded(request, person_id)

    return wrapped


@_reveal_perm
@require_POST
def person_reveal(request: HttpRequest, person_id: str) -> HttpResponse:
    """Every refusal (no permission, out of scope, no reason) is audited as a denied reveal."""
    user = acting_user(request)
    try:
        person = queries.get_person_for(user, person_id, request=request)
    except Http404:
        queries.audit_refused_reveal(user, person_id, "out_of_scope", request=request)
        raise
    form = RevealForm(request.POST)
    identity = None
    if not form.is_valid():
        queries.audit_refused_reveal(user, person.id, "no_reason", request=request)
    else:
        try:
            identity = queries.reveal_identity(
                user, person, form.cleaned_data["reason"], request=request
            )
        except ValueError as exc:  # too short once spaces are collapsed; audited there
            form.add_error("reason", str(exc))
    if identity is None:
        return render(
            request,
            "identity/partials/reveal_form.html",
            {"person": person, "reveal_form": form},
            status=422,
        )
    return render(
        request,
        "identity/partials/identity_revealed.html",
        {"person": person, "identity": identity},
    )
