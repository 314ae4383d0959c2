"""LPSK protection through the real actions: the application starts the 7-day decision clock
(an event in the proceeding's log), the decision stops it; changes and termination."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from simpul.audit.models import AuditEvent
from simpul.justice import actions, queries
from simpul.justice.actions import LpskInput
from simpul.justice.codes import Clock, LpskApplicant, LpskChangeKind, LpskDecision, LpskStatus
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import LpskProtection as P
from simpul.justice.models import LpskApplication, LpskChange, ProceedingEvent
from tests.justice.support import ago, opened, step, two_victim_case
from tests.referrals.support import user


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English; the interface's default is Indonesian."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def applied(days: int = 6):
    case, (a, b) = two_victim_case()
    p = opened(case, reported=30)
    step(p, "polisi.sambas", E.INVESTIGATION, 20)
    app = actions.apply_lpsk(
        user("polisi.sambas"),
        p,
        a,
        LpskInput(ago(days), LpskApplicant.VICTIM, [P.SECURITY, P.PSYCHOSOCIAL]),
    )
    p.refresh_from_db()
    return p, app, (a, b)


def test_application_starts_the_7_day_clock_and_the_decision_stops_it(world):
    p, app, _victims = applied(days=6)
    assert (app.status, app.protections) == (LpskStatus.PENDING, ["a_security", "psychosocial"])
    assert p.events.last().code == E.LPSK_APPLIED
    [clock] = [d for d in queries.deadlines_of(p) if d.clock == Clock.LPSK_DECISION]
    assert clock.due_on == ago(6) + timedelta(days=7)
    app = actions.decide_lpsk(
        user("polisi.sambas"),
        app,
        decision=LpskDecision.ACCEPTED,
        decided_on=ago(2),
        decision_number="KEP-123/LPSK/2026",
        granted=[P.SECURITY, P.PSYCHOSOCIAL],
        until=ago(-180),
    )
    assert (app.status, app.decision_days) == (LpskStatus.ACCEPTED, 4)
    assert [d for d in queries.deadlines_of(p) if d.clock == Clock.LPSK_DECISION] == []
    assert AuditEvent.objects.filter(action__in=["lpsk.apply", "lpsk.decide"]).count() == 2
    with pytest.raises(ValidationError) as err:
        actions.decide_lpsk(
            user("polisi.sambas"), app, decision=LpskDecision.REJECTED, decided_on=ago(1)
        )
    assert err.value.message_dict["decision"] == ["This application is already decided."]


def test_changes_and_termination(world):
    _p, app, _victims = applied()
    police = user("polisi.sambas")
    with pytest.raises(ValidationError) as err:
        actions.change_lpsk(
            police, app, kind=LpskChangeKind.ADD, occurred_on=ago(1), protections=[P.MEDICAL]
        )
    assert err.value.message_dict["kind"] == [
        "Only an accepted protection can be changed or ended."
    ]
    app = actions.decide_lpsk(
        police,
        app,
        decision=LpskDecision.ACCEPTED,
        decided_on=ago(3),
        granted=[P.SECURITY],
        until=ago(-30),
    )
    actions.change_lpsk(
        police, app, kind=LpskChangeKind.ADD, occurred_on=ago(2), protections=[P.MEDICAL]
    )
    app.refresh_from_db()
    assert app.granted == ["a_security", "medical"]
    actions.change_lpsk(
        police, app, kind=LpskChangeKind.REDUCE, occurred_on=ago(2), protections=[P.SECURITY]
    )
    app.refresh_from_db()
    assert app.granted == ["medical"]
    with pytest.raises(ValidationError) as err:
        actions.change_lpsk(
            police, app, kind=LpskChangeKind.EXTEND, occurred_on=ago(1), until=ago(-10)
        )
    assert err.value.message_dict["until"] == ["An extension ends after the current end date."]
    actions.change_lpsk(police, app, kind=LpskChangeKind.EXTEND, occurred_on=ago(1), until=ago(-90))
    actions.change_lpsk(police, app, kind=LpskChangeKind.TERMINATE, occurred_on=ago(0))
    app.refresh_from_db()
    assert (app.status, app.ended_on, app.protected_until) == (
        LpskStatus.TERMINATED,
        ago(0),
        ago(-90),
    )
    assert LpskChange.objects.count() == 4


def test_refusals_write_nothing(world):
    p, _app, (a, _b) = applied()
    before = ProceedingEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        actions.apply_lpsk(user("polisi.sambas"), p, a, LpskInput(ago(1), "nobody", []))
    assert set(err.value.message_dict) == {"applicant", "protections"}
    with pytest.raises(PermissionDenied):
        actions.apply_lpsk(
            user("pekerja.sambas"), p, a, LpskInput(ago(1), LpskApplicant.VICTIM, [P.SECURITY])
        )
    # A date before the last event of the log is refused (the log's dates never go back).
    with pytest.raises(ValidationError) as err:
        actions.apply_lpsk(
            user("polisi.sambas"), p, a, LpskInput(ago(25), LpskApplicant.FAMILY, [P.SECURITY])
        )
    assert "applied_on" in err.value.message_dict
    assert (ProceedingEvent.objects.count(), LpskApplication.objects.count()) == (before, 1)


def test_case_track_shows_the_lpsk_status_only(world):
    p, _app, _victims = applied()
    _case, rows = queries.case_track(user("pekerja.sambas"), p.case_id)
    assert rows[0].lpsk == [LpskStatus.PENDING]
