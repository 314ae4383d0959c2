"""Vault pages: find, register, open (masked) and reveal a person. Thin: forms in, actions and
queries do the work."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for
from simpul.accounts.queries import require_acting_agency
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.core.http import is_htmx
from simpul.identity import actions, queries
from simpul.identity.duplicates import Candidate
from simpul.identity.forms import IdentityCorrectionForm, PersonForm, RevealForm

PAGE_SIZE = 50


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """GET lists the persons in scope; a search is POSTed (CSRF-protected) and answered on the
    POST, so a name, NIK, passport or phone never reaches a URL, an access log or the browser
    history. A `?q=` in the URL is ignored, never searched for nor echoed."""
    user = acting_user(request)
    q = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    # The pseudonymous person code identifies nobody: it may be filtered on in the URL.
    code = " ".join(request.GET.get("code", "").split())[:12] if not q else ""
    page, query = None, ""
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
        rows = queries.persons_for(user).select_related("scope_region").order_by("-created_at")
        if code:
            rows = rows.filter(code__istartswith=code)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        query = params.urlencode()
        persons = list(page.object_list)
        audit("person.list", request=request, record_type="identity.person", count=len(persons))
    partial = is_htmx(request)
    template = "identity/partials/person_rows.html" if partial else "identity/person_list.html"
    can_create = principal_for(user).has_perm(Perm.EDIT_RECORDS)
    return render(
        request,
        template,
        {
            "persons": persons,
            "page": page,
            "query": query,
            "code": code,
            "q": q,
            "can_create": can_create,
        },
    )


def _add_errors(form: PersonForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """Register a person; possible duplicates in scope are shown first (with why they may be
    the same person), and the user picks one or confirms a new person."""
    user = acting_user(request)
    form = PersonForm(request.POST or None)
    candidates: list[Candidate] = []
    if request.method == "POST" and form.is_valid():
        agency = require_acting_agency(user)
        try:
            result = actions.find_or_create_person(
                user,
                form.identity(),
                owner_agency=agency,
                scope_region=form.cleaned_data["region"],
                choice=request.POST.get("duplicate_choice", "")[:40],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except Http404:
            form.add_error(None, _("Choose one of the persons listed, or a new person."))
        else:
            if result.person is not None:
                for warning in result.warnings:
                    messages.warning(request, warning)
                if result.created:
                    text = _("Person %(code)s recorded.")
                else:
                    text = _("Person %(code)s was already recorded: nothing new was added.")
                messages.success(request, text % {"code": result.person.code})
                return redirect("identity:person_detail", person_id=result.person.id)
            candidates = result.candidates
    return render(
        request,
        "identity/person_form.html",
        {"form": form, "candidates": candidates},
        status=422 if form.errors else 200,
    )


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
    correct_form = None
    if principal_for(user).has_perm(Perm.EDIT_RECORDS):
        correct_form = IdentityCorrectionForm(
            initial={
                **{k: v for k, v in vars(identity).items() if k != "aliases"},
                "aliases": "\n".join(identity.aliases),
                "version": person.version,
            }
        )
    return render(
        request,
        "identity/partials/identity_revealed.html",
        {"person": person, "identity": identity, "correct_form": correct_form},
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def person_correct(request: HttpRequest, person_id: str) -> HttpResponse:
    """Correct a revealed identity. Refused (409, what was typed kept) when someone saved the
    person since the form was opened; a refused form is 422."""
    user = acting_user(request)
    person = queries.get_person_for(user, person_id, perm=Perm.EDIT_RECORDS, request=request)
    form = IdentityCorrectionForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            fresh, warnings = actions.update_identity(
                user,
                person,
                form.identity(),
                expected_version=form.cleaned_data["version"] or 0,
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except StaleRecordError:
            status = 409
            form.add_error(
                None,
                _(
                    "Someone changed this identity since you opened it. Reveal it again to "
                    "see the current details; what you typed is kept below."
                ),
            )
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Identity of %(code)s corrected.") % {"code": fresh.code})
            return redirect("identity:person_detail", person_id=fresh.id)
    return render(
        request,
        "identity/person_correct.html",
        {"person": person, "form": form},
        status=status,
    )
