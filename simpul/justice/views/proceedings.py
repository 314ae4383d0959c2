"""The justice pages: my proceedings, deadlines this week, opening a proceeding on a case, the
proceeding page (timeline, next event, prosecutor, defendants, charges, sentences), and the
case's justice track for the other agencies on the case (stages and dates only)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.principal import principal_for
from simpul.accounts.roles import AgencyType, Perm, Role
from simpul.audit.log import record as audit
from simpul.core.errors import StaleRecordError
from simpul.core.forms import add_errors
from simpul.core.http import form_status
from simpul.justice import actions, queries
from simpul.justice.codes import (
    Clock,
    EventCode,
    LpskProtection,
    LpskStatus,
    RestitutionState,
    RestitutionStep,
    Stage,
)
from simpul.justice.forms import (
    ChargeForm,
    DefendantForm,
    EventForm,
    OpenProceedingForm,
    ProsecutorForm,
    SanctionForm,
    SentenceForm,
    VictimRelationForm,
)
from simpul.justice.forms_protection import (
    LpskApplyForm,
    LpskChangeForm,
    LpskDecisionForm,
    RestitutionForm,
)

PAGE_SIZE = 25
DEADLINES_PAGE_SIZE = 25
HEARINGS_SHOWN = 10


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def proceeding_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    stage = request.GET.get("stage", "open")
    if stage not in ("open", "all", *Stage.values):
        stage = "open"
    stalled = request.GET.get("stalled") == "1"
    q = request.GET.get("q", "").strip()[:40]
    rows = queries.my_proceedings(
        user, queries.ProceedingFilters(stage=stage, stalled=stalled, q=q)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit(
        "proceeding.list",
        request=request,
        record_type="justice.proceeding",
        count=len(page.object_list),
    )
    query = urlencode(
        {k: v for k, v in (("stage", stage), ("stalled", "1" if stalled else ""), ("q", q)) if v}
    )
    return render(
        request,
        "justice/proceeding_list.html",
        {"page": page, "query": query, "stage": stage, "stalled": stalled, "q": q, "stages": Stage},
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    when = request.GET.get("when", "week")
    when = when if when in ("week", "all") else "week"
    clock = request.GET.get("clock", "")
    clock = clock if clock in Clock.values else ""
    rows = queries.deadlines_this_week(user) if when == "week" else queries.open_reminders(user)
    if clock:
        rows = rows.filter(clock=clock)
    page = Paginator(rows, DEADLINES_PAGE_SIZE).get_page(request.GET.get("page"))
    # A case worker's restitution reminder links to the case's justice track.
    mine = {
        r.proceeding_id
        for r in page.object_list
        if user.pk in (r.proceeding.investigator_id, r.proceeding.prosecutor_id)
    }
    query = urlencode({k: v for k, v in (("when", when), ("clock", clock)) if v})
    return render(
        request,
        "justice/deadlines.html",
        {
            "mine": mine,
            "page": page,
            "query": query,
            "when": when,
            "clock": clock,
            "hearings": list(
                queries.next_hearings(user)
                .select_related(None)
                .only("id", "code", "next_hearing_on")[:HEARINGS_SHOWN]
            ),
            "clocks": Clock,
        },
    )


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def case_track(request: HttpRequest, case_id: Any) -> HttpResponse:
    user = acting_user(request)
    case, track = queries.case_track(user, case_id, request=request)
    rows = [
        {
            "code": row.code,
            "stage": Stage(row.stage).label,
            "events": [(EventCode(c).label, on) for c, on in row.events],
            "restitution": [RestitutionState(x).label for x in row.restitution],
            "lpsk": [LpskStatus(x).label for x in row.lpsk],
        }
        for row in track
    ]
    may_open = Role.POLICE_INVESTIGATOR in principal_for(user).roles
    return render(
        request, "justice/case_track.html", {"case": case, "rows": rows, "may_open": may_open}
    )


@require_perm(Perm.EDIT_RECORDS, agency_types=[AgencyType.POLICE])
@require_http_methods(["GET", "POST"])
def proceeding_open(request: HttpRequest, case_id: Any) -> HttpResponse:
    user = acting_user(request)
    case = queries.case_for_justice(user, case_id, request=request)
    form = OpenProceedingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            proceeding = actions.open_proceeding(
                user,
                case,
                reported_on=d["reported_on"],
                police_report_number=d["police_report_number"],
                regime=d["regime"],
                regime_reason=d["regime_reason"],
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Proceeding %(code)s opened.") % {"code": proceeding.code})
            return redirect("justice:detail", proceeding.pk)
    return render(
        request,
        "justice/proceeding_open.html",
        {"case": case, "form": form},
        status=form_status(form),
    )


def _forms(
    user: Any, proceeding: Any, defendants: list[Any], bound: dict[str, Any]
) -> dict[str, Any]:
    codes = _event_codes(user, proceeding)
    victims = _victims(queries.case_victims(proceeding))
    applications = _applications(queries.lpsk_of(proceeding))
    defendant_choices = [(str(d.pk), _label(d.perpetrator)) for d in defendants]
    charge_choices = [
        (str(c.pk), f"{_label(d.perpetrator)} · {c.get_law_display()} {c.article}")
        for d in defendants
        for c in d.charges.all()
        if not hasattr(c, "sentence")
    ]
    forms = {
        "event_form": bound.get("event")
        or EventForm(codes=codes, initial={"version": proceeding.version}),
        "prosecutor_form": bound.get("prosecutor")
        or ProsecutorForm(prosecutors=queries.prosecutors()),
        "defendant_form": bound.get("defendant") or DefendantForm(),
        "charge_form": bound.get("charge") or ChargeForm(defendants=defendant_choices),
        "sentence_form": bound.get("sentence") or SentenceForm(charges=charge_choices),
        "sanction_form": bound.get("sanction") or SanctionForm(companies=_companies(defendants)),
        "relation_form": bound.get("relation")
        or VictimRelationForm(
            perpetrators=defendant_choices, victims=_victims(queries.case_victims(proceeding))
        ),
    }
    forms.update(
        {
            "restitution_form": bound.get("restitution")
            or RestitutionForm(victims=victims, initial={"step": RestitutionStep.FILED}),
            "lpsk_form": bound.get("lpsk") or LpskApplyForm(victims=victims),
            "lpsk_decision_form": bound.get("lpsk_decision")
            or LpskDecisionForm(applications=applications),
            "lpsk_change_form": bound.get("lpsk_change")
            or LpskChangeForm(applications=applications),
        }
    )
    forms["event_codes"] = codes
    return forms


# LPSK applications and decisions are recorded with their own forms (they keep a record).
_OWN_FORMS = frozenset({EventCode.LPSK_APPLIED, EventCode.LPSK_DECIDED})


def _event_codes(user: Any, proceeding: Any) -> list[str]:
    return [
        c
        for c in EventCode.values
        if c not in _OWN_FORMS and actions.may_record(user, proceeding, c)
    ]


def _applications(rows: list[Any]) -> list[tuple[str, str]]:
    return [
        (str(a.pk), f"{a.victim.code} · {a.applied_on:%d-%m-%Y} · {a.get_status_display()}")
        for a in rows
    ]


def _companies(defendants: list[Any]) -> list[tuple[str, str]]:
    return [
        (str(d.pk), d.perpetrator.company_name) for d in defendants if d.perpetrator.licence_number
    ]


def _victims(persons: list[Any]) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.code} {p.masked_name}") for p in persons]


def _label(perpetrator: Any) -> str:
    return perpetrator.company_name or perpetrator.code


def _detail(
    request: HttpRequest, proceeding_id: Any, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    proceeding = queries.get_proceeding_for(user, proceeding_id, request=request)
    events = queries.events_of(proceeding)
    defendants = queries.defendants_with_charges(proceeding)
    notes = {e.pk: queries.event_note(e) for e in events if e.note_sealed}
    lpsk = queries.lpsk_of(proceeding)
    context = {
        "p": proceeding,
        "restitutions": queries.restitutions_of(proceeding),
        "lpsk": lpsk,
        "lpsk_pending": [a for a in lpsk if not a.decision],
        "lpsk_accepted": [a for a in lpsk if a.status == LpskStatus.ACCEPTED],
        "protection_labels": dict(LpskProtection.choices),
        "events": [(e, notes.get(e.pk, "")) for e in events],
        "deadlines": [
            {"d": d, "label": Clock(d.clock).label}
            for d in queries.deadlines_of(proceeding, events)
        ],
        "defendants": defendants,
        "is_investigator": queries.is_investigator(user, proceeding),
        "is_prosecutor": queries.is_prosecutor(user, proceeding),
        **_forms(user, proceeding, defendants, bound or {}),
    }
    return render(request, "justice/proceeding_detail.html", context, status=status)


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def proceeding_detail(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    return _detail(request, proceeding_id)


def _post(
    request: HttpRequest, proceeding_id: Any, name: str, form: Any, run: Any, done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            run(form)
        except (ValidationError, StaleRecordError) as exc:
            add_errors(form, exc)
            stale = isinstance(exc, StaleRecordError)
            return _detail(
                request, proceeding_id, {name: form}, status=form_status(form, stale=stale)
            )
        except PermissionDenied:
            raise
        messages.success(request, done)
        return redirect(reverse("justice:detail", args=[proceeding_id]) + f"#{name}")
    return _detail(request, proceeding_id, {name: form}, status=form_status(form))


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def event_append(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    codes = _event_codes(user, p)
    if not codes:
        raise PermissionDenied
    form = EventForm(request.POST, codes=codes)
    return _post(
        request,
        proceeding_id,
        "event",
        form,
        lambda f: actions.append_event(
            user, p, f.to_input(), expected_version=f.cleaned_data["version"], request=request
        ),
        _("Event recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def prosecutor_assign(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    form = ProsecutorForm(request.POST, prosecutors=queries.prosecutors())
    return _post(
        request,
        proceeding_id,
        "prosecutor",
        form,
        lambda f: actions.assign_prosecutor(user, p, f.cleaned_data["prosecutor"], request=request),
        _("Prosecutor assigned."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def defendant_add(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    return _post(
        request,
        proceeding_id,
        "defendant",
        DefendantForm(request.POST),
        lambda f: actions.add_defendant(user, p, f.to_input(), request=request),
        _("Defendant recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def charge_add(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    defendants = {str(d.pk): d for d in queries.defendants_with_charges(p)}
    form = ChargeForm(
        request.POST, defendants=[(k, _label(d.perpetrator)) for k, d in defendants.items()]
    )
    return _post(
        request,
        proceeding_id,
        "charge",
        form,
        lambda f: actions.add_charge(
            user,
            defendants[f.cleaned_data["defendant"]],
            law=f.cleaned_data["law"],
            article=f.cleaned_data["article"],
            aggravations=list(f.cleaned_data["aggravations"]),
            request=request,
        ),
        _("Charge recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def sentence_record(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    charges = {str(c.pk): c for d in queries.defendants_with_charges(p) for c in d.charges.all()}
    form = SentenceForm(
        request.POST,
        charges=[(k, f"{c.get_law_display()} {c.article}") for k, c in charges.items()],
    )
    return _post(
        request,
        proceeding_id,
        "sentence",
        form,
        lambda f: actions.record_sentence(
            user, charges[f.cleaned_data["charge"]], f.to_input(), request=request
        ),
        _("Sentence recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def sanction_record(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    defendants = {str(d.pk): d for d in queries.defendants_with_charges(p)}
    form = SanctionForm(request.POST, companies=_companies(list(defendants.values())))
    return _post(
        request,
        proceeding_id,
        "sanction",
        form,
        lambda f: actions.record_sanction(
            user,
            defendants[f.cleaned_data["perpetrator"]].perpetrator,
            kind=f.cleaned_data["kind"],
            decision_number=f.cleaned_data["decision_number"],
            decided_on=f.cleaned_data["decided_on"],
            effective_from=f.cleaned_data["effective_from"],
            effective_to=f.cleaned_data["effective_to"],
            request=request,
        ),
        _("Sanction recorded."),
    )


@require_perm(Perm.EDIT_RECORDS)
@require_POST
def relation_record(request: HttpRequest, proceeding_id: Any) -> HttpResponse:
    user = acting_user(request)
    p = queries.get_proceeding_for(user, proceeding_id, request=request)
    defendants = {str(d.pk): d for d in queries.defendants_with_charges(p)}
    victims = {str(v.pk): v for v in queries.case_victims(p)}
    form = VictimRelationForm(
        request.POST,
        perpetrators=[(k, _label(d.perpetrator)) for k, d in defendants.items()],
        victims=_victims(list(victims.values())),
    )
    return _post(
        request,
        proceeding_id,
        "relation",
        form,
        lambda f: actions.link_victim(
            user,
            defendants[f.cleaned_data["perpetrator"]].perpetrator,
            victims[f.cleaned_data["victim"]],
            f.cleaned_data["relation"],
            case_victims=list(victims.values()),
            request=request,
        ),
        _("Relation recorded."),
    )
