"""The rights checklist pages: one victim's right, recorded by the case worker. The checklist
itself is a section of the case page (`rights_tags.victim_rights`)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.forms import run_form_action
from simpul.rights import actions, queries
from simpul.rights.choices import LEGAL_BASIS, Right
from simpul.rights.forms import RightForm


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def right_edit(request: HttpRequest, case_id: str, person_id: object, right: str) -> HttpResponse:
    user = acting_user(request)
    case = queries.get_editable_case(user, case_id, request=request)
    if right not in Right.values:
        raise Http404
    person = next((p for p in queries.victims(case) if str(p.pk) == str(person_id)), None)
    if person is None:
        raise Http404
    row = queries.right_of(case, person, right)
    links = queries.link_choices(user, case)
    initial: dict[str, Any] = {"wanted": "undecided"}
    if row is not None:
        initial = {
            "version": row.version,
            "informed_on": row.informed_on,
            "wanted": row.wanted,
            "requested_on": row.requested_on,
            "fulfilled_on": row.fulfilled_on,
            "link": f"{row.link_kind}:{row.link_id}" if row.link_kind else "",
            "note": queries.note_of(row),
        }
    back = reverse("cases:detail", args=[case.pk]) + "#rights"
    if request.method == "POST":
        form = RightForm(request.POST, links=links)
        done = run_form_action(
            request,
            form,
            lambda d: actions.record_right(
                user, case, person, right, form.details(), version=d["version"], request=request
            ),
            success=_("Right recorded."),
            redirect_to=redirect(back),
        )
        if done:
            return done
        status = (
            409 if any("changed this record" in str(e) for e in form.non_field_errors()) else 422
        )
    else:
        form = RightForm(initial=initial, links=links)
        status = 200
        audit("rights.view", request=request, record=case, reason=f"right {right}")
    return render(
        request,
        "rights/right_form.html",
        {
            "case": case,
            "person": person,
            "right_label": Right(right).label,
            "basis": LEGAL_BASIS[right],
            "row": row,
            "form": form,
            "back": back,
        },
        status=status,
    )
