"""Issue 12, item 1: triage that acts, and reports with a case that no late triage can close."""

import pytest

from simpul.accounts.models import Agency, User
from simpul.audit.models import AuditEvent
from simpul.core.errors import StaleRecordError
from simpul.intake.actions import IntakeDetails, record_case_opened, record_intake, triage
from simpul.intake.models import Intake, Status


def _operator() -> User:
    return User.objects.get(username="operator.sambas")


def _new_report(**details: object) -> Intake:
    return record_intake(
        _operator(),
        IntakeDetails(channel="hotline", narrative="Tetangga dibawa agen.", **details),  # type: ignore[arg-type]
        owner_agency=Agency.objects.get(name="UPTD PPA Kabupaten Sambas"),
    )


@pytest.mark.django_db
def test_a_case_opened_from_a_report_is_recorded_by_intake_and_blocks_a_late_triage(world):
    operator = _operator()
    intake = _new_report()
    before = intake.version
    record_case_opened(operator, intake, object())
    intake.refresh_from_db()
    assert (intake.status, intake.version) == (Status.CASE_OPENED, before + 1)
    assert (
        AuditEvent.objects.filter(action="intake.case_opened", record_id=str(intake.id)).count()
        == 1
    )
    with pytest.raises(StaleRecordError):
        triage(
            operator, intake, "no_action", immediate_danger=False, child_involved=False, note="x"
        )
    intake.refresh_from_db()
    assert (intake.status, intake.triage_decision) == (Status.CASE_OPENED, "")
    assert AuditEvent.objects.filter(action="intake.triage").count() == 0
