"""The legal time limits as versioned rule data, and `deadlines()`: the limits of one proceeding
given its events (pure; the daily job and the pages call it).

A rule starts on an event, stops on any of its stop events recorded on or after the start, and
is chosen by the proceeding's procedural regime and the start date (`valid_from`/`valid_to`).
Values for UU 20/2025 are the KUHAP 1981 values carried over until each is verified against
the new code (`mark`): justice-chain.md §C.1.3 says the equivalents are not verified.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from simpul.justice.codes import Clock, Mark, Regime
from simpul.justice.codes import EventCode as E

STALLED_AFTER_DAYS = 90
REMIND_DAYS_BEFORE = 5  # the daily job raises a reminder this many days before a limit
NEW_KUHAP_FROM = date(2026, 1, 2)  # UU 20/2025 in force


@dataclass(frozen=True)
class ClockRule:
    clock: str
    regime: str
    start: str  # event code
    days: int
    stops: frozenset[str]
    responsible: str  # "police" or "prosecutor"
    legal_basis: str
    mark: str
    valid_from: date = date(1981, 12, 31)
    valid_to: date | None = None
    # Extensions: (event code, days added, at most how many times).
    extensions: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Deadline:
    clock: str
    started_on: date
    due_on: date
    responsible: str
    legal_basis: str
    mark: str
    detail: str = ""  # e.g. the detention stage's event code


_DETENTION_ENDS = frozenset(
    {
        E.RELEASED,
        E.DETENTION_POLICE,
        E.DETENTION_PROSECUTION,
        E.DETENTION_COURT,
        E.DETENTION_HIGH_COURT,
        E.DETENTION_SUPREME_COURT,
        E.SP3,
        E.P26,
        E.FINAL,
    }
)
_PS29 = (E.DETENTION_EXTENDED_SERIOUS, 30, 2)  # KUHAP Ps 29: two more 30-day extensions
# (detention stage event, days, extension days, basis, mark, responsible)
_DETENTION = [
    (E.DETENTION_POLICE, 20, 40, "KUHAP Ps 24", Mark.SECONDARY, "police"),
    (E.DETENTION_PROSECUTION, 20, 30, "KUHAP Ps 25", Mark.SECONDARY, "prosecutor"),
    (E.DETENTION_COURT, 30, 60, "KUHAP Ps 26", Mark.SECONDARY, "prosecutor"),
    (E.DETENTION_HIGH_COURT, 30, 60, "KUHAP Ps 27", Mark.SECONDARY, "prosecutor"),
    (E.DETENTION_SUPREME_COURT, 50, 60, "KUHAP Ps 28", Mark.SECONDARY, "prosecutor"),
]
# (clock, start, days, stops, responsible, basis, mark)
_OTHERS = [
    (
        Clock.FILE_REVIEW,
        E.FILE_HANDED_OVER,
        7,
        frozenset({E.P18, E.P19, E.P21}),
        "prosecutor",
        "KUHAP Ps 138(1)",
        Mark.UNVERIFIED,
    ),
    (
        Clock.P19_COMPLETION,
        E.P19,
        14,
        frozenset({E.FILE_HANDED_OVER, E.SP3}),
        "police",
        "KUHAP Ps 138(2)",
        Mark.UNVERIFIED,
    ),
    (
        Clock.HANDOVER_AFTER_P21,
        E.P21,
        30,
        frozenset({E.P22, E.P26}),
        "police",
        "Proposal (justice-chain.md C.4.7), not a statutory limit",
        Mark.UNVERIFIED,
    ),
    (
        Clock.APPEAL_WINDOW,
        E.VERDICT,
        7,
        frozenset({E.BANDING_REQUESTED, E.KASASI_REQUESTED, E.FINAL}),
        "prosecutor",
        "KUHAP Ps 233(2)",
        Mark.SECONDARY,
    ),
    (
        Clock.CASSATION_WINDOW,
        E.BANDING_DECIDED,
        14,
        frozenset({E.KASASI_REQUESTED, E.FINAL}),
        "prosecutor",
        "KUHAP Ps 245",
        Mark.UNVERIFIED,
    ),
    (
        Clock.LPSK_DECISION,
        E.LPSK_APPLIED,
        7,
        frozenset({E.LPSK_DECIDED}),
        "prosecutor",
        "UU 13/2006 Ps 29 jo. UU 31/2014",
        Mark.VERIFIED,
    ),
]


def _rules() -> list[ClockRule]:
    rules: list[ClockRule] = []
    for regime, suffix, valid_from, mark_override in (
        (Regime.KUHAP_1981, "", date(1981, 12, 31), None),
        (Regime.KUHAP_2025, " (UU 20/2025: value carried over)", NEW_KUHAP_FROM, Mark.UNVERIFIED),
    ):
        for start, days, ext, basis, mark, who in _DETENTION:
            rules.append(
                ClockRule(
                    Clock.DETENTION,
                    regime,
                    start,
                    days,
                    _DETENTION_ENDS - {start},
                    who,
                    basis + suffix,
                    mark_override or mark,
                    valid_from=valid_from,
                    extensions=((E.DETENTION_EXTENDED, ext, 1), _PS29),
                )
            )
        for clock, start, days, stops, who, basis, mark in _OTHERS:
            rules.append(
                ClockRule(
                    clock,
                    regime,
                    start,
                    days,
                    stops,
                    who,
                    basis + suffix,
                    mark_override or mark,
                    valid_from=valid_from,
                )
            )
    # Restitution payment after the final verdict: UU 21/2007 Ps 50(1) 14 days until PERMA
    # 1/2022 (in force 1 Mar 2022) set 30 days from receipt of the judgment (Ps 30(5)).
    restitution = dict(start=E.FINAL, stops=frozenset(), responsible="prosecutor")
    rules += [
        ClockRule(
            Clock.RESTITUTION_PAYMENT,
            Regime.KUHAP_1981,
            days=14,
            legal_basis="UU 21/2007 Ps 50(1)",
            mark=Mark.SECONDARY,
            valid_to=date(2022, 2, 28),
            **restitution,  # type: ignore[arg-type]
        ),
        ClockRule(
            Clock.RESTITUTION_PAYMENT,
            Regime.KUHAP_1981,
            days=30,
            legal_basis="PERMA 1/2022 Ps 30(5)",
            mark=Mark.VERIFIED,
            valid_from=date(2022, 3, 1),
            **restitution,  # type: ignore[arg-type]
        ),
        ClockRule(
            Clock.RESTITUTION_PAYMENT,
            Regime.KUHAP_2025,
            days=30,
            legal_basis="PERMA 1/2022 Ps 30(5); UU 20/2025 Ps 178-181",
            mark=Mark.SECONDARY,
            valid_from=NEW_KUHAP_FROM,
            **restitution,  # type: ignore[arg-type]
        ),
    ]
    return rules


RULES: list[ClockRule] = _rules()


def rule_for(clock: str, regime: str, start: str, on: date) -> ClockRule | None:
    for rule in RULES:
        if (
            rule.clock == clock
            and rule.regime == regime
            and rule.start == start
            and rule.valid_from <= on
            and (rule.valid_to is None or on <= rule.valid_to)
        ):
            return rule
    return None


def default_regime(first_act_on: date) -> str:
    """UU 20/2025 for proceedings whose first act is on or after 2 January 2026."""
    return Regime.KUHAP_2025 if first_act_on >= NEW_KUHAP_FROM else Regime.KUHAP_1981


def deadlines(
    regime: str,
    events: list[tuple[str, date]],
    *,
    restitution_ordered: bool = False,
) -> list[Deadline]:
    """The open limits of a proceeding: for each clock, its latest start event not yet
    stopped by a later (or same-day) stop event, with extensions counted. `events` in the
    order recorded."""
    starts = {rule.start for rule in RULES}
    result: list[Deadline] = []
    latest: dict[tuple[str, str], tuple[int, date]] = {}
    for i, (code, on) in enumerate(events):
        if code in starts:
            for rule in RULES:
                if rule.start == code and rule.regime == regime:
                    key = (rule.clock, "detention" if rule.clock == Clock.DETENTION else code)
                    latest[key] = (i, on)
    for (clock, _key), (i, started) in latest.items():
        code = events[i][0]
        found = rule_for(clock, regime, code, started)
        if found is None:
            continue
        rule = found
        if clock == Clock.RESTITUTION_PAYMENT and not restitution_ordered:
            continue
        later = [c for c, _on in events[i + 1 :]]
        if any(c in rule.stops for c in later):
            continue
        days = rule.days
        for ext_code, ext_days, most in rule.extensions:
            days += ext_days * min(later.count(ext_code), most)
        result.append(
            Deadline(
                clock,
                started,
                started + timedelta(days=days),
                rule.responsible,
                rule.legal_basis,
                rule.mark,
                detail=code if clock == Clock.DETENTION else "",
            )
        )
    return sorted(result, key=lambda d: d.due_on)


def stalled_since(last_event_on: date | None, today: date) -> bool:
    return last_event_on is not None and (today - last_event_on).days >= STALLED_AFTER_DAYS
