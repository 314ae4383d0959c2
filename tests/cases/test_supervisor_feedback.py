"""Issue 12, item 6: a supervisor returns an assessment, plan or closure with a reason the case
worker sees (on the case page and as waiting work), the returned text is there to edit, the
approver sees the closure reason, and a refused closure goes back to the stage it came from."""

import pytest
from django.core.exceptions import ValidationError

from simpul.cases import actions as case_actions
from simpul.cases.models import Case, PlanItem, Stage
from simpul.cases.queries import waiting_work
from tests.cases.helpers import (
    agency,
    assessed,
    canary_case,
    in_days,
    indonesian,
    plan_data,
    step,
    user,
)

pytestmark = pytest.mark.django_db

REASON = "Tambahkan riwayat keluarga dan rencana sekolah."


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return case.stage, case.version, case.returned_step


def test_returning_an_assessment_without_a_reason_is_refused_and_changes_nothing(signed_in):
    case, _ = canary_case()
    case_actions.submit_assessment(
        user("pekerja.sambas"), case, "Korban butuh rumah aman.", expected_version=case.version
    )
    before = _state(case)
    supervisor = signed_in("supervisor.sambas")
    refused = step(supervisor, case, "approve_assessment", {"approve": "no", "reason": " "})
    assert refused.status_code == 422
    assert refused.context["forms"]["approve_assessment"].errors["reason"] == [
        indonesian("Say what the case worker should change (at least 5 characters).")
    ]
    assert _state(case) == before == (Stage.ASSESSMENT_SUBMITTED, before[1], "")
    # The action refuses it too, whoever calls it (API, tests): the rule is not the form's.
    with pytest.raises(ValidationError):
        case_actions.approve_assessment(user("supervisor.sambas"), case, approve=False, reason="")
    assert _state(case) == before


def test_the_worker_sees_the_reason_edits_the_returned_text_and_it_waits_as_their_work(
    signed_in,
):
    case, _ = canary_case()
    worker_user = user("pekerja.sambas")
    case_actions.submit_assessment(
        worker_user, case, "Korban butuh rumah aman.", expected_version=case.version
    )
    supervisor = signed_in("supervisor.sambas")
    r = step(supervisor, case, "approve_assessment", {"approve": "no", "reason": REASON})
    assert r.status_code == 302
    assert _state(case)[::2] == (Stage.ASSESSMENT, "assessment")

    worker = signed_in("pekerja.sambas")
    page = worker.get(f"/cases/{case.id}/")
    body = page.content.decode()
    assert page.context["returned"]["reason"] == REASON
    assert 'id="returned-reason" data-step="assessment"' in body and REASON in body
    form = page.context["forms"]["assessment"]
    assert form.initial["text"] == "Korban butuh rumah aman."
    assert "Korban butuh rumah aman.</textarea>" in body  # prefilled, not retyped

    work = {w.key: w for w in waiting_work(worker_user)}["cases.returned"]
    assert (work.count, work.url, work.urgent) == (1, "/cases/?waiting=returned&worker=me", True)
    listed = worker.get(work.url)
    assert [c.code for c in listed.context["cases"]] == [case.code]

    case.refresh_from_db()
    assert (
        step(
            worker,
            case,
            "assessment",
            {"text": "Korban butuh rumah aman; keluarga di Sebunga.", "version": case.version},
        ).status_code
        == 302
    )
    assert _state(case)[::2] == (Stage.ASSESSMENT_SUBMITTED, "")
    assert {w.key: w.count for w in waiting_work(worker_user)}["cases.returned"] == 0
    # The supervisor's waiting work counts it again, and its link lists exactly it.
    approvals = {w.key: w for w in waiting_work(user("supervisor.sambas"))}
    assert approvals["cases.awaiting_approval"].count == 1
    listed = supervisor.get(approvals["cases.awaiting_approval"].url)
    assert [c.code for c in listed.context["cases"]] == [case.code]


def test_a_returned_plan_comes_back_with_its_goals_and_rows(signed_in):
    case = assessed(canary_case()[0])
    worker = signed_in("pekerja.sambas")
    due = in_days(10).isoformat()
    rows = [
        ("temporary_shelter", agency("sambas").pk, due),
        ("legal_aid", agency("police").pk, due),
    ]
    assert (
        step(worker, case, "plan", plan_data("Aman dan pulih.", case.version, rows)).status_code
        == 302
    )
    supervisor = signed_in("supervisor.sambas")
    refused = step(supervisor, case, "approve_plan", {"approve": "no"})
    assert refused.status_code == 422 and _state(case)[0] == Stage.PLAN_SUBMITTED
    assert (
        step(supervisor, case, "approve_plan", {"approve": "no", "reason": REASON}).status_code
        == 302
    )
    assert _state(case)[::2] == (Stage.PLANNING, "plan")

    page = worker.get(f"/cases/{case.id}/")
    plan = page.context["forms"]["plan"]
    assert plan.initial["goals"] == "Aman dan pulih."
    assert [(r["service"], r["responsible_agency"]) for r in plan.rows.initial[:2]] == [
        ("temporary_shelter", agency("sambas").pk),
        ("legal_aid", agency("police").pk),
    ]
    body = page.content.decode()
    assert REASON in body and "\nAman dan pulih.</textarea>" in body
    assert '<option value="legal_aid" selected>' in body


@pytest.mark.parametrize("from_stage", [Stage.SERVICES, Stage.MONITORING])
def test_a_refused_closure_returns_to_the_stage_it_came_from(signed_in, from_stage):
    case, _ = canary_case(services_stage=True)
    if from_stage == Stage.MONITORING:
        case_actions.start_monitoring(user("pekerja.sambas"), case)
        case.refresh_from_db()
    worker = signed_in("pekerja.sambas")
    assert (
        step(
            worker, case, "closure", {"reason": "unreachable", "version": case.version}
        ).status_code
        == 302
    )
    supervisor = signed_in("supervisor.sambas")
    page = supervisor.get(f"/cases/{case.id}/")
    body = page.content.decode()
    # The approver sees why the worker asks to close, as words.
    label = indonesian("Victim cannot be reached")
    assert 'id="closure-reason" data-reason="unreachable">' + label in body
    assert 'id="closure-request"' in body and label in body.split('id="closure-request"')[1]

    before = _state(case)
    refused = step(supervisor, case, "approve_closure", {"approve": "no"})
    assert refused.status_code == 422 and _state(case) == before
    r = step(supervisor, case, "approve_closure", {"approve": "no", "reason": REASON})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.closure_reason, case.returned_step) == (from_stage, "", "closure")
    assert REASON in worker.get(f"/cases/{case.id}/").content.decode()


def test_a_plan_row_without_its_due_date_is_refused_at_the_row_and_nothing_is_lost(signed_in):
    """Issue 12, item 5 (plan part): refused at the field, never dropped; all typed is kept."""
    case = assessed(canary_case()[0])
    before = _state(case)
    worker = signed_in("pekerja.sambas")
    due = in_days(10).isoformat()
    data = plan_data(
        "Aman, pulih, kembali sekolah.",
        case.version,
        [("temporary_shelter", agency("sambas").pk, due), ("legal_aid", agency("police").pk, "")],
    )
    refused = step(worker, case, "plan", data)
    assert refused.status_code == 422
    rows = refused.context["forms"]["plan"].rows
    assert rows.forms[0].errors == {}
    assert rows.forms[1].errors == {"due_on": [indonesian("Give the date this row is due.")]}
    body = refused.content.decode()
    assert "\nAman, pulih, kembali sekolah.</textarea>" in body
    assert '<option value="legal_aid" selected>' in body  # the refused row is still there
    assert 'data-row="1" data-row-error="yes"' in body
    assert _state(case) == before and PlanItem.objects.filter(case=case).count() == 0
    # A row with only a date (no service) is refused too, at its service.
    data = plan_data("Aman.", case.version, [("", "", due)])
    refused = step(worker, case, "plan", data)
    assert refused.status_code == 422
    errors = refused.context["forms"]["plan"].rows.forms[0].errors
    assert sorted(errors) == ["responsible_agency", "service"]
    # And the action refuses a row without its date, whoever calls it.
    with pytest.raises(ValidationError):
        case_actions.submit_plan(
            user("pekerja.sambas"),
            case,
            "Aman.",
            [("legal_aid", agency("police"), None)],
            expected_version=case.version,
        )
    assert _state(case) == before and PlanItem.objects.filter(case=case).count() == 0
