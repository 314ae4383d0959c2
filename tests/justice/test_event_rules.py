"""The order rules of the event log (pure)."""

from simpul.justice.codes import EventCode as E
from simpul.justice.codes import Stage
from simpul.justice.rules.events import p19_round_trips, refusal, stage_after

START = [E.REPORT, E.INVESTIGATION, E.SPDP, E.P16]


def test_the_log_starts_with_the_report_once():
    assert refusal([], E.INVESTIGATION)
    assert refusal([], E.REPORT) is None
    assert refusal([E.REPORT], E.REPORT)


def test_p21_needs_a_file_handed_over():
    assert refusal(START, E.P21)
    assert refusal([*START, E.FILE_HANDED_OVER], E.P21) is None


def test_a_p19_must_come_back_before_p21():
    returned = [*START, E.FILE_HANDED_OVER, E.P19]
    assert refusal(returned, E.P21)
    assert refusal(returned, E.P18)
    assert refusal([*returned, E.FILE_HANDED_OVER], E.P21) is None
    assert p19_round_trips([*returned, E.FILE_HANDED_OVER, E.P19]) == 2


def test_the_file_cannot_be_handed_over_twice_while_under_review():
    assert refusal([*START, E.FILE_HANDED_OVER], E.FILE_HANDED_OVER)


def test_court_steps_in_order():
    complete = [*START, E.FILE_HANDED_OVER, E.P21]
    assert refusal(complete, E.P29)  # needs stage II handover
    chain = [*complete, E.P22, E.P29, E.P31, E.COURT_REGISTERED, E.FIRST_HEARING, E.DEMAND]
    for i, code in enumerate(chain[len(complete) :]):
        assert refusal(chain[: len(complete) + i], code) is None, code
    assert refusal(chain[:-1], E.VERDICT)
    assert refusal(chain, E.VERDICT) is None
    assert refusal([*chain, E.VERDICT], E.EXECUTION)
    assert refusal([*chain, E.VERDICT, E.FINAL], E.EXECUTION) is None


def test_nothing_after_a_stop():
    stopped = [E.REPORT, E.INVESTIGATION, E.SP3]
    assert refusal(stopped, E.SPDP)
    assert stage_after(stopped) == Stage.STOPPED


def test_stage_follows_the_latest_event():
    assert stage_after([E.REPORT]) == Stage.POLICE
    assert stage_after(START) == Stage.PROSECUTION
    assert stage_after([*START, E.LPSK_APPLIED]) == Stage.PROSECUTION
