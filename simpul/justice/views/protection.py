"""The victim's side of a proceeding page: restitution steps and LPSK protection (forms posted
from the proceeding page; refusals re-render it with everything typed)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.justice import actions, queries
from simpul.justice.forms_protection import (
    LpskApplyForm,
    LpskChangeForm,
    LpskDecisionForm,
    RestitutionForm,
)
from simpul.justice.views.proceedings import _applications, _post, _victims


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def restitution_record(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    victims = {str(v.pk): v for v in queries.case_victims(p)}
    form = RestitutionForm(request.POST, victims=_victims(list(victims.values())))
    return _post(
        request,
        proceeding_id,
        "restitution",
        form,
        lambda f: actions.record_restitution(
            user, p, victims[f.cleaned_data["victim"]], f.to_input(), request=request
        ),
        _("Restitution step recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def lpsk_apply(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    victims = {str(v.pk): v for v in queries.case_victims(p)}
    form = LpskApplyForm(request.POST, victims=_victims(list(victims.values())))
    return _post(
        request,
        proceeding_id,
        "lpsk",
        form,
        lambda f: actions.apply_lpsk(
            user, p, victims[f.cleaned_data["victim"]], f.to_input(), request=request
        ),
        _("LPSK application recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def lpsk_decide(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    rows = {str(a.pk): a for a in queries.lpsk_of(p)}
    form = LpskDecisionForm(request.POST, applications=_applications(list(rows.values())))

    def run(f: Any) -> object:
        d = f.cleaned_data
        return actions.decide_lpsk(
            user,
            rows[d["application"]],
            decision=d["decision"],
            decided_on=d["decided_on"],
            decision_number=d["decision_number"],
            granted=list(d["granted"]),
            until=d["until"],
            request=request,
        )

    return _post(request, proceeding_id, "lpsk_decision", form, run, _("LPSK decision recorded."))


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def lpsk_change(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    rows = {str(a.pk): a for a in queries.lpsk_of(p)}
    form = LpskChangeForm(request.POST, applications=_applications(list(rows.values())))

    def run(f: Any) -> object:
        d = f.cleaned_data
        return actions.change_lpsk(
            user,
            rows[d["application"]],
            kind=d["kind"],
            occurred_on=d["occurred_on"],
            protections=list(d["protections"]),
            until=d["until"],
            decision_number=d["decision_number"],
            request=request,
        )

    return _post(request, proceeding_id, "lpsk_change", form, run, _("LPSK change recorded."))
