"""Linkage pages: the review queue with both records side by side, alerts, runs with their
progress, and statistics that count each person once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.disclosure import LEGEND
from simpul.identity.queries import audit_refused_reveal
from simpul.linkage import actions, queries
from simpul.linkage.engine.model import COMPARISONS
from simpul.linkage.forms import AlertForm, DecisionForm, RevealForm, RunForm
from simpul.linkage.models import AlertStatus, LinkedPair, PairStatus, RunStatus

REVIEW = queries.review_perm()
PAGE = 100


def _field_labels() -> dict[str, str]:
    return {
        "nik": _("NIK"),
        "passport": _("Passport or SPLP"),
        "name": _("Name"),
        "father": _("Father's name (bin/binti)"),
        "dob": _("Birth date"),
        "sex": _("Sex"),
        "region": _("Origin region"),
        "phone": _("Phone"),
    }


def reasons(pair: LinkedPair) -> list[dict[str, Any]]:
    """Which fields agreed or disagreed, and how strongly (partial match weights)."""
    labels = _field_labels()
    rows = []
    for name in COMPARISONS:
        weight = float(pair.weights.get(name, 0.0))
        if weight >= 4:
            verdict = _("agrees strongly")
        elif weight > 0.5:
            verdict = _("agrees")
        elif weight <= -4:
            verdict = _("disagrees strongly")
        elif weight < -0.5:
            verdict = _("disagrees")
        else:
            verdict = _("missing on one side, or says little")
        rows.append({"field": labels[name], "weight": weight, "verdict": verdict})
    return sorted(rows, key=lambda r: -abs(r["weight"]))


def _side(pair: LinkedPair, side: str, visible: set[str], registries: dict[str, list[str]]):
    """One record of the pair. A record outside the reviewer's scope says only that: no code,
    masked name, agency, area, date, registries or cluster (issue 21, finding 9)."""
    person = pair.person_a if side == "a" else pair.person_b
    if str(person.pk) not in visible:
        return {"person": None, "visible": False, "registries": [], "cluster": ""}
    return {
        "person": person,
        "visible": True,
        "registries": registries.get(str(person.pk), []),
        "cluster": queries.cluster_of(person.pk) or "",
    }


@require_perm(REVIEW)
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    show = request.GET.get("show", "review")
    status = PairStatus.DECIDED if show == "decided" else PairStatus.REVIEW
    pairs = list(queries.review_queue(user, status=status)[:PAGE])
    visible = queries.visible_person_ids(
        user, [p.person_a_id for p in pairs] + [p.person_b_id for p in pairs]
    )
    rows = [
        (
            pair,
            pair.person_a if str(pair.person_a_id) in visible else None,
            pair.person_b if str(pair.person_b_id) in visible else None,
        )
        for pair in pairs
    ]
    audit(
        "linkage.review.list", request=request, record_type="linkage.linkedpair", count=len(pairs)
    )
    return render(
        request, "linkage/review_queue.html", {"pairs": pairs, "rows": rows, "show": show}
    )


def _pair_context(request: HttpRequest, pair: LinkedPair, **extra: Any) -> dict[str, Any]:
    user = acting_user(request)
    ids = [pair.person_a_id, pair.person_b_id]
    visible = queries.visible_person_ids(user, ids)
    registries = queries.registries_of([i for i in ids if str(i) in visible])
    return {
        "pair": pair,
        "sides": [_side(pair, "a", visible, registries), _side(pair, "b", visible, registries)],
        "reasons": reasons(pair),
        "form": extra.pop("form", None) or DecisionForm(),
        "reveal_form": extra.pop("reveal_form", None) or RevealForm(),
        "can_reveal": principal_for(user).has_perm(Perm.REVEAL_IDENTITY),
        **extra,
    }


@require_perm(REVIEW)
@require_http_methods(["GET", "POST"])
def pair_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    user = acting_user(request)
    pair = queries.get_pair_for(user, pair_id, request=request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_pair(
                user,
                pair,
                form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Decision recorded. Every later run keeps it."))
            return redirect("linkage:review_queue")
    audit("linkage.pair.view", request=request, record=pair)
    return render(request, "linkage/pair_detail.html", _pair_context(request, pair, form=form))


@require_perm(REVIEW)
@require_POST
def pair_reveal(request: HttpRequest, pair_id: int) -> HttpResponse:
    user = acting_user(request)
    pair = queries.get_pair_for(user, pair_id, request=request)
    form = RevealForm(request.POST)
    identities: dict[str, Any] = {}
    if form.is_valid():
        try:
            identities = actions.reveal_pair(
                user, pair, form.cleaned_data["reason"], request=request
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValueError as exc:
            form.add_error("reason", str(exc))
    else:
        # A refused reveal is audited like the vault's own refusals (issue 21, finding 8).
        for person_id in queries.visible_person_ids(user, [pair.person_a_id, pair.person_b_id]):
            audit_refused_reveal(user, person_id, "no_reason", request=request)
    context = _pair_context(request, pair, reveal_form=form)
    for side in context["sides"]:
        if side["person"] is not None:
            side["identity"] = identities.get(str(side["person"].pk))
    return render(request, "linkage/pair_detail.html", context)


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    show = request.GET.get("show", AlertStatus.OPEN)
    status = show if show in AlertStatus.values else None
    alerts = list(queries.alerts_for(user, status=status)[:PAGE])
    audit(
        "linkage.alert.list", request=request, record_type="linkage.linkagealert", count=len(alerts)
    )
    return render(
        request,
        "linkage/alert_list.html",
        {"alerts": alerts, "show": show, "statuses": AlertStatus, "form": AlertForm()},
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def alert_resolve(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = acting_user(request)
    alert = queries.get_alert_for(user, alert_id, request=request)
    form = AlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether this is the same person."))
        return redirect("linkage:alert_list")
    try:
        actions.resolve_alert(
            user, alert, confirm=form.cleaned_data["outcome"] == "confirm", request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Alert handled."))
    return redirect("linkage:alert_list")


@require_perm(REVIEW)
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = RunForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            run = actions.request_run(
                user, form.cleaned_data["mode"], engine=form.cleaned_data["engine"], request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 409
        else:
            messages.success(request, _("Linkage run queued. It starts within a few minutes."))
            return redirect("linkage:run_detail", run_id=run.pk)
    return render(
        request,
        "linkage/run_list.html",
        {"runs": list(queries.runs()[:50]), "form": form},
        status=status,
    )


@require_perm(REVIEW)
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = queries.get_run(run_id)
    return render(request, "linkage/run_detail.html", {"run": run, "running": _running(run)})


@require_perm(REVIEW)
@require_GET
def run_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    run = queries.get_run(run_id)
    return render(
        request, "linkage/partials/run_progress.html", {"run": run, "running": _running(run)}
    )


def _running(run: Any) -> bool:
    return run.status in (RunStatus.QUEUED, RunStatus.RUNNING)


@require_perm(Perm.VIEW_AGGREGATES)
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Persons counted once, in the viewer's jurisdiction, with small counts suppressed."""
    persons = queries.aggregate_persons(acting_user(request))
    if persons is None:
        raise PermissionDenied
    stats = queries.suppressed_statistics(queries.statistics(persons))
    audit("linkage.statistics", request=request, record_type="linkage.linkedrecord")
    rows = [
        (_("Persons in the vault"), stats["persons"]),
        (_("Victims in cases"), stats["victims"]),
        (_("Persons concerned in reports"), stats["intake_persons"]),
        (_("Open missing-migrant reports"), stats["missing_open"]),
        (_("Returns and deportations"), stats["returns"]),
    ]
    last = queries.runs().filter(status=RunStatus.DONE).first()
    return render(
        request,
        "linkage/statistics.html",
        {"rows": rows, "last_run": last, "legend": LEGEND},
    )
