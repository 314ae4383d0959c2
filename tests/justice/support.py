"""A case of the Sambas UPTD PPA referred to the police and the prosecutor's office, and a
proceeding driven through the real actions."""

from datetime import date, timedelta

from simpul.cases.models import Case
from simpul.justice import actions
from simpul.justice.actions import EventInput
from simpul.justice.codes import EventCode as E
from simpul.justice.codes import VerdictOutcome
from simpul.justice.models import Proceeding
from tests.cases.helpers import referred
from tests.referrals.support import canary_case, user


def justice_case() -> Case:
    case, _person = canary_case()
    referred(case, "police", "polisi.sambas", ["events"])
    referred(case, "kejari", "jaksa.sambas", ["events"])
    case.refresh_from_db()
    return case


def ago(days: int) -> date:
    return date.today() - timedelta(days=days)


def opened(case: Case, *, reported: int = 60) -> Proceeding:
    return actions.open_proceeding(
        user("polisi.sambas"), case, reported_on=ago(reported), police_report_number="LP/B/12/2026"
    )


def step(p: Proceeding, who: str, code: str, days_ago: int, **kw) -> None:
    actions.append_event(user(who), p, EventInput(code, ago(days_ago), **kw))
    p.refresh_from_db()


def to_p21(p: Proceeding) -> None:
    """Investigation, SPDP, prosecutor, file handed over, P-19 and back, P-21."""
    police, jaksa = "polisi.sambas", "jaksa.sambas"
    step(p, police, E.INVESTIGATION, 55)
    step(p, police, E.SPDP, 54, document_number="SPDP/7/2026")
    actions.assign_prosecutor(user(police), p, user(jaksa))
    p.refresh_from_db()
    step(p, jaksa, E.P16, 53)
    step(p, police, E.FILE_HANDED_OVER, 40, document_number="BP/3/2026")
    step(p, jaksa, E.P19, 38, note="Lengkapi keterangan saksi korban.")
    step(p, police, E.FILE_HANDED_OVER, 30)
    step(p, jaksa, E.P21, 28)


def convicted(case: Case) -> Proceeding:
    """Through P-21, the court steps and a conviction."""
    p = opened(case, reported=120)
    to_p21(p)
    jaksa = "jaksa.sambas"
    for code, days in [(E.P22, 25), (E.P29, 24), (E.P31, 23), (E.COURT_REGISTERED, 22)]:
        step(p, jaksa, code, days)
    step(
        p,
        jaksa,
        E.FIRST_HEARING,
        20,
        victim_testified=True,
        protective_measures=["without_defendant"],
        next_hearing_on=ago(12),
    )
    step(p, jaksa, E.DEMAND, 12)
    step(p, jaksa, E.VERDICT, 5, verdict_outcome=VerdictOutcome.CONVICTED)
    return p
