"""A closure request stores a closure-reason code, never free text (the field is a coded
column of 20 characters: PostgreSQL refused longer text with a 500, SQLite stored it and the
page then showed it raw)."""

import pytest
from django.core.exceptions import ValidationError

from simpul.cases import actions as case_actions
from simpul.cases.models import ClosureReason, Stage
from tests.cases.helpers import indonesian, user
from tests.referrals.support import canary_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason", ["Korban sudah pulang ke keluarga", "", "GOALS_MET"])
def test_a_reason_outside_the_code_list_is_refused_and_nothing_changes(world, reason):
    case, _ = canary_case(services_stage=True)
    before = (case.stage, case.version, case.closure_reason, case.activities.count())
    with pytest.raises(ValidationError) as refused:
        case_actions.request_closure(
            user("pekerja.sambas"), case, reason=reason, expected_version=case.version
        )
    assert refused.value.message_dict == {
        "reason": [indonesian("Choose a reason for closing the case from the list.")]
    }
    case.refresh_from_db()
    assert (case.stage, case.version, case.closure_reason, case.activities.count()) == before


def test_a_coded_reason_is_stored(world):
    case, _ = canary_case(services_stage=True)
    closed = case_actions.request_closure(
        user("pekerja.sambas"), case, reason=ClosureReason.GOALS_MET, expected_version=case.version
    )
    closed.refresh_from_db()
    assert (closed.stage, closed.closure_reason) == (Stage.CLOSURE_REQUESTED, "goals_met")
