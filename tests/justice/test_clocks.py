"""Every legal clock under both procedural regimes, and the regime's default."""

from datetime import date, timedelta

import pytest

from simpul.justice.codes import Clock, Mark, Regime
from simpul.justice.codes import EventCode as E
from simpul.justice.rules import clocks as c

D0 = {Regime.KUHAP_1981: date(2025, 3, 3), Regime.KUHAP_2025: date(2026, 3, 2)}
REGIMES = [Regime.KUHAP_1981, Regime.KUHAP_2025]


def run(regime, codes, **kw):
    """Events one day apart from the regime's start date; returns (deadlines, last date)."""
    d0 = D0[regime]
    events = [(code, d0 + timedelta(days=i)) for i, code in enumerate(codes)]
    return c.deadlines(regime, events, **kw), events[-1][1]


def only(deadlines, clock):
    found = [d for d in deadlines if d.clock == clock]
    assert len(found) == 1, deadlines
    return found[0]


def test_default_regime_follows_the_first_act():
    assert c.default_regime(date(2026, 1, 1)) == Regime.KUHAP_1981
    assert c.default_regime(date(2026, 1, 2)) == Regime.KUHAP_2025


POLICE = [E.REPORT, E.INVESTIGATION, E.SUSPECT_NAMED]


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize(
    "stage, before, days, extension",
    [
        (E.DETENTION_POLICE, [], 20, 40),
        (E.DETENTION_PROSECUTION, [E.P21, E.P22], 20, 30),
        (E.DETENTION_COURT, [E.P21, E.P22, E.P29, E.P31, E.COURT_REGISTERED], 30, 60),
        (E.DETENTION_HIGH_COURT, [E.VERDICT, E.BANDING_REQUESTED], 30, 60),
        (E.DETENTION_SUPREME_COURT, [E.VERDICT, E.KASASI_REQUESTED], 50, 60),
    ],
)
def test_detention_per_stage_with_its_extensions(regime, stage, before, days, extension):
    codes = POLICE + before + [stage]
    deadlines, started = run(regime, codes)
    d = only(deadlines, Clock.DETENTION)
    assert (d.started_on, d.due_on, d.detail) == (started, started + timedelta(days=days), stage)
    assert d.legal_basis.startswith("KUHAP Ps 2")
    assert (d.mark == Mark.UNVERIFIED) == (regime == Regime.KUHAP_2025)
    # One ordinary extension counts once; the Ps 29 extension twice at most.
    deadlines, _ = run(
        regime,
        codes + [E.DETENTION_EXTENDED, E.DETENTION_EXTENDED] + [E.DETENTION_EXTENDED_SERIOUS] * 3,
    )
    total = days + extension + 60
    assert only(deadlines, Clock.DETENTION).due_on == started + timedelta(days=total)
    deadlines, _ = run(regime, [*codes, E.RELEASED])
    assert [d for d in deadlines if d.clock == Clock.DETENTION] == []


@pytest.mark.parametrize("regime", REGIMES)
@pytest.mark.parametrize(
    "clock, codes, days, stop",
    [
        (Clock.FILE_REVIEW, [*POLICE, E.FILE_HANDED_OVER], 7, E.P19),
        (Clock.P19_COMPLETION, [*POLICE, E.FILE_HANDED_OVER, E.P19], 14, E.FILE_HANDED_OVER),
        (Clock.HANDOVER_AFTER_P21, [*POLICE, E.FILE_HANDED_OVER, E.P21], 30, E.P22),
        (Clock.APPEAL_WINDOW, [E.REPORT, E.VERDICT], 7, E.BANDING_REQUESTED),
        (Clock.CASSATION_WINDOW, [E.REPORT, E.BANDING_DECIDED], 14, E.KASASI_REQUESTED),
        (Clock.LPSK_DECISION, [E.REPORT, E.LPSK_APPLIED], 7, E.LPSK_DECIDED),
    ],
)
def test_each_clock_runs_and_stops(regime, clock, codes, days, stop):
    deadlines, started = run(regime, codes)
    d = only(deadlines, clock)
    assert d.due_on == started + timedelta(days=days)
    assert d.legal_basis
    deadlines, _ = run(regime, [*codes, stop])
    assert [x for x in deadlines if x.clock == clock] == []


def test_a_second_p19_restarts_the_completion_clock():
    codes = [*POLICE, E.FILE_HANDED_OVER, E.P19, E.FILE_HANDED_OVER, E.P19]
    deadlines, last = run(Regime.KUHAP_1981, codes)
    assert only(deadlines, Clock.P19_COMPLETION).started_on == last


@pytest.mark.parametrize(
    "regime, final_on, days, basis",
    [
        (Regime.KUHAP_1981, date(2021, 6, 1), 14, "UU 21/2007 Ps 50(1)"),
        (Regime.KUHAP_1981, date(2023, 6, 1), 30, "PERMA 1/2022 Ps 30(5)"),
        (Regime.KUHAP_2025, date(2026, 6, 1), 30, "PERMA 1/2022 Ps 30(5); UU 20/2025 Ps 178-181"),
    ],
)
def test_restitution_payment_is_versioned(regime, final_on, days, basis):
    events = [
        (E.REPORT, final_on - timedelta(days=400)),
        (E.VERDICT, final_on),
        (E.FINAL, final_on),
    ]
    d = only(c.deadlines(regime, events, restitution_ordered=True), Clock.RESTITUTION_PAYMENT)
    assert (d.due_on, d.legal_basis) == (final_on + timedelta(days=days), basis)
    assert [x for x in c.deadlines(regime, events) if x.clock == Clock.RESTITUTION_PAYMENT] == []


def test_new_kuhap_rules_start_on_2_january_2026():
    assert c.rule_for(Clock.APPEAL_WINDOW, Regime.KUHAP_2025, E.VERDICT, date(2026, 1, 1)) is None
    assert c.rule_for(Clock.APPEAL_WINDOW, Regime.KUHAP_2025, E.VERDICT, date(2026, 1, 2)).days == 7


def test_every_rule_names_its_legal_basis_and_mark():
    # Restitution overdue follows the payment clock per victim (rules/restitution.py).
    assert {r.clock for r in c.RULES} == set(Clock.values) - {
        Clock.STALLED,
        Clock.RESTITUTION_OVERDUE,
    }
    for rule in c.RULES:
        assert rule.legal_basis and rule.mark in Mark.values
        assert {Regime.KUHAP_1981, Regime.KUHAP_2025} == {
            r.regime for r in c.RULES if r.clock == rule.clock
        }


def test_stalled_after_90_days():
    assert not c.stalled_since(date(2026, 1, 1), date(2026, 3, 31))
    assert c.stalled_since(date(2026, 1, 1), date(2026, 4, 1))
