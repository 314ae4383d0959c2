"""Screening pages: the interview for a report, the result with its reasons, the decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from simpul.accounts.access import acting_user, require_perm
from simpul.accounts.roles import Perm
from simpul.audit.log import record as audit
from simpul.core.http import form_status
from simpul.intake.queries import get_intake_for
from simpul.screening import actions, queries
from simpul.screening.forms import NEW_PERSON, DecisionForm, InterviewForm, NewPersonForm
from simpul.screening.models import ScreeningOutcome
from simpul.screening.queries import get_result_for
from simpul.screening.questions import QUESTION_LABELS, reason_basis, reason_label, ruleset_label

PAGE_SIZE = 25


@require_perm(Perm.VIEW_RECORDS)
@require_GET
def result_list(request: HttpRequest) -> HttpResponse:
    """Screening results in scope, newest first; "flagged, no decision yet" is the worklist."""
    user = acting_user(request)
    result = request.GET.get("result", "")
    decision = request.GET.get("decision", "")
    result = result if result in ScreeningOutcome.values else ""
    decision = decision if decision in queries.Decision.values else ""
    page = Paginator(queries.results_for(user, result=result, decision=decision), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    audit(
        "screening.list",
        request=request,
        record_type="screening.screeningresult",
        count=len(page_obj.object_list),
    )
    query = "&".join(
        f"{name}={value}" for name, value in (("result", result), ("decision", decision)) if value
    )
    return render(
        request,
        "screening/result_list.html",
        {
            "page": page_obj,
            "results": page_obj.object_list,
            "result": result,
            "decision": decision,
            "outcomes": ScreeningOutcome.choices,
            "decisions": queries.Decision.choices,
            "query": query,
        },
    )


@require_perm(Perm.EDIT_RECORDS)
@require_http_methods(["GET", "POST"])
def interview(request: HttpRequest, intake_id: str) -> HttpResponse:
    user = acting_user(request)
    intake = get_intake_for(user, intake_id, perm=Perm.EDIT_RECORDS, request=request)
    persons = [ip.person for ip in intake.persons.select_related("person")]
    form = InterviewForm(request.POST or None, persons=persons)
    person_form = NewPersonForm(request.POST or None)
    candidates: list[object] = []
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        subject = form.cleaned_data["subject"]
        new_subject = None
        if subject == NEW_PERSON:
            new_subject = actions.NewSubject(
                person_form.identity(),
                person_form.cleaned_data.get("region"),
                person_form.cleaned_data.get("duplicate_choice", ""),
            )
        try:
            outcome = actions.run_interview(
                user,
                intake,
                form.answers(),
                person_id="" if new_subject else subject,
                new_subject=new_subject,
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, person_form, exc)
        else:
            if outcome.result is not None:
                for warning in outcome.warnings:
                    messages.warning(request, warning)
                return redirect("screening:result", result_id=outcome.result.id)
            candidates = list(outcome.candidates)
    audit(
        "screening.view_interview",
        request=request,
        record=intake,
        fields=(["persons"] if persons else []) + (["candidates"] if candidates else []),
        count=len(persons) + len(candidates),
    )
    return render(
        request,
        "screening/interview.html",
        {
            "intake": intake,
            "form": form,
            "person_form": person_form,
            "candidates": candidates,
        },
        status=form_status(form, person_form),
    )


def _add_errors(form: InterviewForm, person_form: NewPersonForm, exc: ValidationError) -> None:
    """Identity errors land on the new person's fields; anything else on the interview."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for name, errors in items:
        for error in errors:
            if name in person_form.fields:
                person_form.add_error(name, error)
            else:
                form.add_error(name if name in form.fields else None, error)


@require_perm(Perm.VIEW_RECORDS)
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, result_id: str) -> HttpResponse:
    user = acting_user(request)
    item = get_result_for(user, result_id, request=request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.decide_status(
            user,
            item,
            status=form.cleaned_data["status"],
            decision_org=form.cleaned_data["decision_org"],
            request=request,
        )
        messages.success(request, _("Decision recorded."))
        return redirect("screening:result", result_id=item.id)
    audit("screening.view", request=request, record=item, fields=["person", "result", "reasons"])
    reasons = [
        {
            **r,
            "label": reason_label(r["code"]),
            "basis_label": reason_basis(r["code"], r.get("basis", "")),
            "answer_labels": [QUESTION_LABELS.get(a, a) for a in r["answers"]],
        }
        for r in item.outcome["reasons"]
    ]
    return render(
        request,
        "screening/result.html",
        {
            "item": item,
            "reasons": reasons,
            "form": form,
            "ruleset_label": ruleset_label(item.ruleset.code, item.ruleset.version),
        },
        status=form_status(form),
    )
