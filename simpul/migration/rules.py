"""Procedural status and risk flags of a departure, derived from its facts by rule tables.

Each rule is a row of data: a code, a condition on `DepartureFacts`, what it means (the status
it forces or the flag it raises) and its source. `assess()` runs the tables; it never reads the
database, so the tables are unit-tested case by case (tests/migration/test_rules.py). The
results are flags for a human decision, never legal findings (domain.md §6).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simpul.migration.codes import (
    DOCUMENT_BY_CODE,
    Channel,
    ProceduralStatus,
    Recruiter,
    RedFlag,
    Route,
    TravelDocument,
    TravelPurpose,
    requirements_on,
)

ADULT_AGE = 18  # UU 18/2017 Pasal 5: a migrant worker is at least 18 (domain.md §5.4)

_COVER_FLAGS = {
    TravelPurpose.PILGRIMAGE: RedFlag.COVER_PILGRIMAGE,
    TravelPurpose.FAMILY_VISIT: RedFlag.COVER_FAMILY_VISIT,
    TravelPurpose.INTERNSHIP: RedFlag.COVER_INTERNSHIP,
    TravelPurpose.TOURISM: RedFlag.COVER_TOURISM,
    TravelPurpose.CULTURAL_ENVOY: RedFlag.COVER_CULTURAL_ENVOY,
}


@dataclass(frozen=True)
class DepartureFacts:
    """What the registry knows about one departure, as the rules read it."""

    planned_on: date
    departed: bool = False
    age_at_departure: int | None = None
    documents_present: frozenset[str] = frozenset()
    consent_acknowledged: bool = False
    channel: str = Channel.UNKNOWN
    placement_licence: str = ""
    recruiter: str = Recruiter.UNKNOWN
    route: str = Route.UNKNOWN
    travel_document: str = TravelDocument.UNKNOWN
    travel_purpose: str = TravelPurpose.WORK
    fees_or_debt: bool = False
    passport_held_by_recruiter: bool = False
    name_mismatch: bool = False
    age_mismatch: bool = False

    @property
    def missing_documents(self) -> list[str]:
        return [r.code for r in requirements_on(self.planned_on) if r.code not in self.present]

    @property
    def present(self) -> frozenset[str]:
        return self.documents_present

    @property
    def is_minor(self) -> bool:
        return self.age_at_departure is not None and self.age_at_departure < ADULT_AGE


@dataclass(frozen=True)
class StatusRule:
    code: str
    applies: Callable[[DepartureFacts], bool]
    # The status this rule forces: NON_PROCEDURAL always, or INCOMPLETE while the person has
    # not left yet (becoming NON_PROCEDURAL once they leave that way).
    severity: str
    message: str | Promise
    legal_basis: str


@dataclass(frozen=True)
class FlagRule:
    flag: str
    applies: Callable[[DepartureFacts], bool]
    source: str


def _consent_not_acknowledged(f: DepartureFacts) -> bool:
    return "family_consent" in f.present and not f.consent_acknowledged


def _purpose_is(purpose: str) -> Callable[[DepartureFacts], bool]:
    return lambda f: f.travel_purpose == purpose


_INCOMPLETE = ProceduralStatus.INCOMPLETE
_NON_PROCEDURAL = ProceduralStatus.NON_PROCEDURAL

STATUS_RULES: tuple[StatusRule, ...] = (
    StatusRule(
        "documents_missing",
        lambda f: bool(f.missing_documents),
        _INCOMPLETE,
        _("Documents missing from the Pasal 13 checklist: %(documents)s."),
        "UU 18/2017 Pasal 13",
    ),
    StatusRule(
        "consent_not_acknowledged",
        _consent_not_acknowledged,
        _INCOMPLETE,
        _("The family's consent is not acknowledged by the village head."),
        "UU 18/2017 Pasal 13 huruf b",
    ),
    StatusRule(
        "under_age",
        lambda f: f.is_minor,
        _NON_PROCEDURAL,
        _("Under 18 at departure: a migrant worker must be at least 18."),
        "UU 18/2017 Pasal 5 (article number unverified)",
    ),
    StatusRule(
        "unofficial_route",
        lambda f: f.route == Route.UNOFFICIAL,
        _NON_PROCEDURAL,
        _("Leaves through an unofficial path or port, not an immigration checkpoint."),
        "UU 6/2011 Pasal 9 (unverified)",
    ),
    StatusRule(
        "no_work_visa_document",
        lambda f: (
            f.travel_document
            in (TravelDocument.VISIT_PASS, TravelDocument.BORDER_PASS, TravelDocument.NONE)
        ),
        _NON_PROCEDURAL,
        _("Goes to work without a work visa (tourist or visit pass, border pass or nothing)."),
        "UU 18/2017 Pasal 13 huruf f",
    ),
    StatusRule(
        "unlicensed_placement",
        lambda f: (
            f.channel in (Channel.UNLICENSED_AGENT, Channel.FAMILY)
            or f.recruiter == Recruiter.UNLICENSED
            or (f.channel == Channel.P3MI and not f.placement_licence.strip())
        ),
        _NON_PROCEDURAL,
        _("Placed by an unlicensed agent, relatives, or a company without a licence number."),
        "UU 18/2017, P3MI licence (article number unverified)",
    ),
)

FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule(RedFlag.MINOR, lambda f: f.is_minor, "UU 21/2007 Pasal 1 angka 5"),
    FlagRule(RedFlag.AGE_MISMATCH, lambda f: f.age_mismatch, "seed 002: forged KTP"),
    FlagRule(RedFlag.NAME_MISMATCH, lambda f: f.name_mismatch, "seed 002: forged KTP"),
    FlagRule(
        RedFlag.VISIT_PASS_FOR_WORK,
        lambda f: f.travel_document == TravelDocument.VISIT_PASS,
        "seed 004: NP via agency, tourist passport",
    ),
    FlagRule(
        RedFlag.PASSING_PERMIT,
        lambda f: f.travel_document == TravelDocument.BORDER_PASS,
        "seed 004: PMI passing/musiman",
    ),
    FlagRule(
        RedFlag.UNOFFICIAL_ROUTE,
        lambda f: f.route == Route.UNOFFICIAL,
        "seed 001: jalur tikus; seed 004: unofficial ports",
    ),
    FlagRule(
        RedFlag.RECRUITER_RELATIVE,
        lambda f: f.recruiter == Recruiter.RELATIVE or f.channel == Channel.FAMILY,
        "seed 004: PMI mandiri",
    ),
    FlagRule(
        RedFlag.RECRUITER_UNLICENSED,
        lambda f: (
            f.recruiter == Recruiter.UNLICENSED
            or f.channel == Channel.UNLICENSED_AGENT
            or (f.channel == Channel.P3MI and not f.placement_licence.strip())
        ),
        "seed 004: illegal agent",
    ),
    FlagRule(RedFlag.FEES_OR_DEBT, lambda f: f.fees_or_debt, "domain.md §3.1 debt bondage"),
    FlagRule(
        RedFlag.PASSPORT_HELD,
        lambda f: f.passport_held_by_recruiter,
        "ILO FL07 retention of identity documents",
    ),
    *(
        FlagRule(flag, _purpose_is(purpose), "seed 002 modus")
        for purpose, flag in _COVER_FLAGS.items()
    ),
    FlagRule(
        RedFlag.NO_DOCUMENTS,
        lambda f: f.travel_document == TravelDocument.NONE,
        "seed 004: NP without documents",
    ),
)


@dataclass(frozen=True)
class Reason:
    code: str
    legal_basis: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    status: str
    reasons: tuple[Reason, ...]
    flags: tuple[str, ...]

    def reasons_as_data(self) -> list[dict[str, object]]:
        return [{"code": r.code, "basis": r.legal_basis, "params": r.params} for r in self.reasons]


def assess(facts: DepartureFacts) -> Assessment:
    reasons: list[Reason] = []
    status = ProceduralStatus.PROCEDURAL
    for rule in STATUS_RULES:
        if not rule.applies(facts):
            continue
        params: dict[str, object] = {}
        if rule.code == "documents_missing":
            params = {"documents": facts.missing_documents}
        reasons.append(Reason(rule.code, rule.legal_basis, params))
        severity = rule.severity
        if severity == _INCOMPLETE and facts.departed:
            severity = _NON_PROCEDURAL
        if severity == _NON_PROCEDURAL or status == ProceduralStatus.PROCEDURAL:
            status = ProceduralStatus(severity)
    flags = tuple(rule.flag for rule in FLAG_RULES if rule.applies(facts))
    return Assessment(status=status, reasons=tuple(reasons), flags=flags)


_RULE_BY_CODE = {r.code: r for r in STATUS_RULES}


def reason_text(code: str, params: dict[str, object] | None = None) -> str:
    """The translated sentence for a stored reason (documents named in the reader's language)."""
    rule = _RULE_BY_CODE.get(code)
    if rule is None:
        return code
    params = dict(params or {})
    if "documents" in params:
        docs = params["documents"]
        names = [
            str(DOCUMENT_BY_CODE[d].label) if d in DOCUMENT_BY_CODE else str(d)
            for d in (docs if isinstance(docs, list) else [])
        ]
        params["documents"] = "; ".join(names)
    return str(rule.message) % params if params else str(rule.message)
