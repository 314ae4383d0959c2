"""The order of a proceeding's events: what each event needs before it, who records it, and
which stage it puts the proceeding in. Pure: `refusal()` returns the reason an event may not be
appended next, or None."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simpul.justice.codes import EventCode as E
from simpul.justice.codes import Stage

POLICE_EVENTS = frozenset(
    {
        E.REPORT,
        E.INQUIRY,
        E.INVESTIGATION,
        E.SPDP,
        E.SUSPECT_NAMED,
        E.FILE_HANDED_OVER,
        E.SP3,
        E.DETENTION_POLICE,
    }
)
EITHER = frozenset(
    {E.DETENTION_EXTENDED, E.DETENTION_EXTENDED_SERIOUS, E.RELEASED, E.LPSK_APPLIED, E.LPSK_DECIDED}
)
STOPS = frozenset({E.SP3, E.P26})  # need a stop reason and end the log
TERMINAL = STOPS | {E.EXECUTION}
_DETENTIONS = frozenset(
    {
        E.DETENTION_POLICE,
        E.DETENTION_PROSECUTION,
        E.DETENTION_COURT,
        E.DETENTION_HIGH_COURT,
        E.DETENTION_SUPREME_COURT,
    }
)

# Each event needs one of these earlier (any one suffices).
REQUIRES: dict[str, frozenset[str]] = {
    E.INQUIRY: frozenset({E.REPORT}),
    E.INVESTIGATION: frozenset({E.REPORT}),
    E.SPDP: frozenset({E.INVESTIGATION}),
    E.SUSPECT_NAMED: frozenset({E.INVESTIGATION}),
    E.DETENTION_POLICE: frozenset({E.SUSPECT_NAMED}),
    E.FILE_HANDED_OVER: frozenset({E.INVESTIGATION}),
    E.SP3: frozenset({E.INQUIRY, E.INVESTIGATION}),
    E.P16: frozenset({E.SPDP}),
    E.P22: frozenset({E.P21}),
    E.DETENTION_PROSECUTION: frozenset({E.P22}),
    E.P29: frozenset({E.P22}),
    E.P31: frozenset({E.P29}),
    E.P26: frozenset({E.FILE_HANDED_OVER}),
    E.COURT_REGISTERED: frozenset({E.P31}),
    E.DETENTION_COURT: frozenset({E.COURT_REGISTERED}),
    E.FIRST_HEARING: frozenset({E.COURT_REGISTERED}),
    E.HEARING: frozenset({E.FIRST_HEARING}),
    E.DEMAND: frozenset({E.FIRST_HEARING}),
    E.VERDICT: frozenset({E.DEMAND}),
    E.MINUTES: frozenset({E.VERDICT}),
    E.VERDICT_NOTIFIED: frozenset({E.VERDICT}),
    E.BANDING_REQUESTED: frozenset({E.VERDICT}),
    E.BANDING_DECIDED: frozenset({E.BANDING_REQUESTED}),
    E.DETENTION_HIGH_COURT: frozenset({E.BANDING_REQUESTED}),
    E.KASASI_REQUESTED: frozenset({E.VERDICT}),
    E.KASASI_DECIDED: frozenset({E.KASASI_REQUESTED}),
    E.DETENTION_SUPREME_COURT: frozenset({E.KASASI_REQUESTED}),
    E.FINAL: frozenset({E.VERDICT}),
    E.PK_REQUESTED: frozenset({E.FINAL}),
    E.PK_DECIDED: frozenset({E.PK_REQUESTED}),
    E.EXECUTION: frozenset({E.FINAL}),
    E.DETENTION_EXTENDED: _DETENTIONS,
    E.DETENTION_EXTENDED_SERIOUS: _DETENTIONS,
    E.RELEASED: _DETENTIONS,
    E.LPSK_DECIDED: frozenset({E.LPSK_APPLIED}),
}
_FILE_EVENTS = frozenset({E.FILE_HANDED_OVER, E.P18, E.P19, E.P21})

STAGE_OF: dict[str, str] = {
    **{code: Stage.POLICE for code in POLICE_EVENTS},
    **{
        code: Stage.PROSECUTION
        for code in (E.P16, E.P18, E.P19, E.P21, E.P22, E.P29, E.P31, E.DETENTION_PROSECUTION)
    },
    **{
        code: Stage.COURT
        for code in (
            E.COURT_REGISTERED,
            E.FIRST_HEARING,
            E.HEARING,
            E.DEMAND,
            E.VERDICT,
            E.MINUTES,
            E.VERDICT_NOTIFIED,
            E.DETENTION_COURT,
        )
    },
    **{
        code: Stage.APPEAL
        for code in (
            E.BANDING_REQUESTED,
            E.BANDING_DECIDED,
            E.KASASI_REQUESTED,
            E.KASASI_DECIDED,
            E.DETENTION_HIGH_COURT,
            E.DETENTION_SUPREME_COURT,
        )
    },
    E.FINAL: Stage.FINAL,
    E.PK_REQUESTED: Stage.FINAL,
    E.PK_DECIDED: Stage.FINAL,
    E.EXECUTION: Stage.EXECUTED,
    E.SP3: Stage.STOPPED,
    E.P26: Stage.STOPPED,
}


def recorder(code: str) -> str:
    """Who records the event: "police", "prosecutor" or "either"."""
    if code in EITHER:
        return "either"
    return "police" if code in POLICE_EVENTS else "prosecutor"


def refusal(earlier: list[str], code: str) -> str | Promise | None:
    """Why `code` may not follow `earlier` (codes in recorded order), or None."""
    if not earlier and code != E.REPORT:
        return _("A proceeding starts with the police report.")
    if code == E.REPORT and earlier:
        return _("The police report is already recorded.")
    if (earlier and earlier[-1] in TERMINAL) or any(c in STOPS for c in earlier):
        return _("The proceeding has ended; no further event can be recorded.")
    needs = REQUIRES.get(code)
    if needs and not any(c in needs for c in earlier):
        return _("This event needs an earlier step first: %(steps)s.") % {
            "steps": ", ".join(str(E(c).label) for c in sorted(needs))
        }
    file_events = [c for c in earlier if c in _FILE_EVENTS]
    last_file = file_events[-1] if file_events else None
    if code in (E.P18, E.P19, E.P21) and last_file != E.FILE_HANDED_OVER:
        if last_file in (E.P18, E.P19):
            return _(
                "The file was returned to the investigator; it must come back before %(code)s."
            ) % {"code": E(code).label}
        return _("The prosecutor can only assess a file that was handed over.")
    if code == E.FILE_HANDED_OVER and last_file == E.FILE_HANDED_OVER:
        return _("The file is already with the prosecutor.")
    if code == E.FILE_HANDED_OVER and last_file == E.P21:
        return _("The file is already complete (P-21).")
    if code in (E.P22, E.P29, E.P31) and last_file != E.P21:
        return _("The file is not complete (P-21) yet.")
    return None


def p19_round_trips(codes: list[str]) -> int:
    return sum(1 for c in codes if c == E.P19)


def stage_after(codes: list[str]) -> str:
    for code in reversed(codes):
        if code in STAGE_OF:
            return STAGE_OF[code]
    return Stage.POLICE
