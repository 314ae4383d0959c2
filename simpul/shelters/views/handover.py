"""The handover pages: draft one from a stay, the list (to acknowledge, late, all), one
handover with its steps, and the printable berita acara (PDF)."""

import contextlib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.models import User
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.forms import run_form_action
from simpul.identity.queries import reveal_identity
from simpul.migration.codes import POINT_BY_CODE
from simpul.migration.queries import returns_of_person
from simpul.shelters import actions, queries
from simpul.shelters.codes import HandoverStatus
from simpul.shelters.forms import CancelForm, HandoverForm, VersionForm
from simpul.shelters.models import Handover, Stay
from simpul.shelters.pdf import HandoverSheet, render_handover
from simpul.shelters.queries import handover as hq
from simpul.shelters.views.common import menu, page_of


def _point(code: str) -> str:
    point = POINT_BY_CODE.get(code)
    return point.name if point else code


def _handover_form(user: User, stay: Stay, data: Any = None) -> HandoverForm:
    persons = [(str(p.pk), f"{p.code} {p.masked_name}") for p in hq.other_victims(stay)]
    documents = [
        (str(d.pk), f"{d.get_document_type_display()} · {d.received_at:%d-%m-%Y}")
        for d in hq.held_documents(stay)
    ]
    returns = [
        (str(r.pk), f"{r.returned_on:%d-%m-%Y} · {_point(r.entry_point)}")
        for r in returns_of_person(stay.person_id)[:20]
    ]
    return HandoverForm(
        data,
        initial={"handover_on": timezone.localdate()},
        agencies=hq.receiving_agencies(),
        escorts=hq.escort_candidates(stay.owner_agency_id),
        persons=persons,
        documents=documents,
        returns=returns,
    )


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def handover_create(request: HttpRequest, stay_id: str) -> HttpResponse:
    user = acting_user(request)
    stay = queries.get_stay_for(user, stay_id, perm=Perm.EDIT_RECORDS, request=request)
    form = _handover_form(user, stay, request.POST if request.method == "POST" else None)
    if request.method == "POST":

        def run(d: dict[str, Any]) -> Handover:
            chosen = d.get("return_event") or ""
            return_event = (
                returns_of_person(stay.person_id).filter(pk=chosen).first() if chosen else None
            )
            return actions.create_handover(
                user,
                stay,
                actions.HandoverInput(
                    to_agency=d["to_agency"],
                    handover_on=d["handover_on"],
                    place=d["place"],
                    escort_users=list(d["escort_users"]),
                    escorts=d["escorts"],
                    person_ids=list(d.get("person_ids") or []),
                    custody_ids=[int(x) for x in d.get("custody_ids") or []],
                    other_documents=list(d["other_documents"]),
                    other_documents_note=d["other_documents_note"],
                    return_event=return_event,
                ),
                request=request,
            )

        done = run_form_action(
            request,
            form,
            run,
            success=_("Handover drafted: check it, then send it."),
            redirect_to=lambda h: redirect("shelters:handover_detail", handover_id=h.pk),
        )
        if done:
            return done
    return render(
        request,
        "shelters/handover_form.html",
        {"stay": stay, "form": form, "menu": menu(user, "shelters:handover_list")},
        status=422 if form.is_bound else 200,
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def handover_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    direction = request.GET.get("direction", "")
    late = request.GET.get("late") == "1"
    status = request.GET.get("status", "")
    if direction == "in":
        rows = hq.handovers_to_acknowledge(user).select_related("stay__person")
    elif late:
        rows = hq.escalated_for(user).select_related("stay__person").order_by("sent_at", "pk")
    else:
        rows = hq.handover_list(user, status=status)
    page, query = page_of(request, rows)
    audit("handover.list", request=request, record_type="shelters.handover", count=len(page))
    return render(
        request,
        "shelters/handover_list.html",
        {
            "page": page,
            "query": query,
            "direction": direction,
            "late": late,
            "status": status,
            "statuses": HandoverStatus.choices,
            "menu": menu(user, "shelters:handover_list"),
        },
    )


def _detail_context(request: HttpRequest, handover: Handover, **forms_: Any) -> dict[str, Any]:
    user = acting_user(request)
    initial = {"version": handover.version}
    context: dict[str, Any] = {
        "h": handover,
        "S": HandoverStatus,
        "persons": handover.persons.select_related("person"),
        "documents": handover.documents.all(),
        "escort_users": handover.escort_users.all(),
        "escorts": hq.escorts_text(handover),
        "other_documents": hq.other_documents_text(handover),
        "events": handover.events.select_related("by"),
        "may_send": hq.may_send(user, handover),
        "may_acknowledge": hq.may_acknowledge(user, handover),
        "is_party": hq.is_party(user, handover),
        # The receiver opens the stay once it acknowledged the handover (its grants).
        "stay_visible": handover.stay_id is not None
        and queries.stays_for(user).filter(pk=handover.stay_id).exists(),
        "late": hq.is_late(handover, timezone.now(), settings.HANDOVER_ACK_DAYS),
        "version_form": VersionForm(initial=initial),
        "cancel_form": CancelForm(initial=initial),
        "menu": menu(user, "shelters:handover_list"),
    }
    context.update(forms_)
    return context


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def handover_detail(request: HttpRequest, handover_id: str) -> HttpResponse:
    user = acting_user(request)
    handover = hq.get_handover_for(user, handover_id, request=request)
    audit("handover.view", request=request, record=handover)
    return render(request, "shelters/handover_detail.html", _detail_context(request, handover))


def _step(
    request: HttpRequest,
    handover_id: str,
    form_class: type[forms.Form],
    form_name: str,
    run: Any,
    success: str,
) -> HttpResponse:
    user = acting_user(request)
    handover = hq.get_handover_for(user, handover_id, request=request)
    form = form_class(request.POST)
    done = run_form_action(
        request,
        form,
        lambda d: run(user, handover, d),
        success=success,
        redirect_to=redirect("shelters:handover_detail", handover_id=handover.pk),
    )
    if done:
        return done
    stale = any("changed this record" in str(e) for e in form.non_field_errors())
    handover.refresh_from_db()
    return render(
        request,
        "shelters/handover_detail.html",
        _detail_context(request, handover, **{form_name: form}),
        status=409 if stale else 422,
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def handover_send(request: HttpRequest, handover_id: str) -> HttpResponse:
    return _step(
        request,
        handover_id,
        VersionForm,
        "version_form",
        lambda user, h, d: actions.send_handover(user, h, version=d["version"], request=request),
        _("Handover sent to the receiving agency."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def handover_receive(request: HttpRequest, handover_id: str) -> HttpResponse:
    return _step(
        request,
        handover_id,
        VersionForm,
        "version_form",
        lambda user, h, d: actions.receive_handover(user, h, version=d["version"], request=request),
        _("Arrival recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def handover_acknowledge(request: HttpRequest, handover_id: str) -> HttpResponse:
    return _step(
        request,
        handover_id,
        VersionForm,
        "version_form",
        lambda user, h, d: actions.acknowledge_handover(
            user, h, version=d["version"], request=request
        ),
        _("Handover acknowledged."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def handover_cancel(request: HttpRequest, handover_id: str) -> HttpResponse:
    return _step(
        request,
        handover_id,
        CancelForm,
        "cancel_form",
        lambda user, h, d: actions.cancel_handover(
            user, h, reason=d["reason"], version=d["version"], request=request
        ),
        _("Handover cancelled."),
    )


def _names(request: HttpRequest, user: User, handover: Handover) -> list[tuple[str, str]]:
    """(code, name) of each person handed over: the full name for a member of either agency
    who may reveal identities (each opening audited as a reveal), else the masked name."""
    rows = []
    for hp in handover.persons.select_related("person"):
        name = hp.person.masked_name
        with contextlib.suppress(PermissionDenied, Http404, ValueError):
            name = (
                reveal_identity(
                    user,
                    hp.person,
                    _("Handover document %(code)s") % {"code": handover.code},
                    request=request,
                ).full_name
                or name
            )
        rows.append((hp.person.code, name))
    return rows


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def handover_pdf(request: HttpRequest, handover_id: str) -> HttpResponse:
    """The berita acara to print and sign: only for the two agencies' members; the download is
    audited as a read of the persons' identity."""
    user = acting_user(request)
    handover = hq.get_handover_for(user, handover_id, request=request)
    if not hq.is_party(user, handover):
        # Seeing the handover by jurisdiction is not being a party to it: the signed sheet
        # with the names is only for the two agencies.
        messages.error(request, _("The handover document is only for the two agencies."))
        return redirect("shelters:handover_detail", handover_id=handover.pk)
    sheet = HandoverSheet(
        code=handover.code,
        case_code=handover.case.code if handover.case else "",
        from_agency=handover.owner_agency.name,
        to_agency=handover.to_agency.name,
        handover_on=handover.handover_on,
        place=handover.place,
        escorts=[u.get_full_name() or u.username for u in handover.escort_users.all()]
        + ([hq.escorts_text(handover)] if handover.escorts_sealed else []),
        persons=_names(request, user, handover),
        documents=[str(d.get_document_type_display()) for d in handover.documents.all()],
        documents_note=hq.other_documents_text(handover),
        status=str(handover.get_status_display()),
    )
    audit("handover.pdf", request=request, record=handover, fields=["identity", "documents"])
    response = HttpResponse(render_handover(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{handover.code}.pdf"'
    return response
