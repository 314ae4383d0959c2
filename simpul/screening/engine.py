"""The screening rule engine: answers + a versioned rule set -> outcome with reasons.

Pure functions over plain data, so the rules are unit-tested from a table of cases and a rule
change is a new rule-set version, never a code branch. The outcome is a flag for a human
decision, never a legal finding (domain.md §6).
"""

from dataclasses import dataclass, field
from typing import Any

LIKELY = "likely_victim"
POSSIBLE = "possible_victim"
NOT_INDICATED = "not_indicated"
STRENGTHS = ("S", "M", "W")


@dataclass(frozen=True)
class Reason:
    """One element or indicator dimension: whether it was met and which answers met it."""

    code: str
    met: bool
    answers: tuple[str, ...] = ()
    basis: str = ""
    detail: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    result: str
    reasons: tuple[Reason, ...]
    child: bool | None
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "child": self.child,
            "notes": list(self.notes),
            "reasons": [
                {
                    "code": r.code,
                    "met": r.met,
                    "answers": list(r.answers),
                    "basis": r.basis,
                    "detail": r.detail,
                }
                for r in self.reasons
            ],
        }


def _yes(answers: dict[str, Any], code: str) -> bool:
    return answers.get(code) is True or answers.get(code) in ("yes", "1", 1)


def _element(code: str, spec: dict[str, Any], answers: dict[str, Any]) -> Reason:
    hits = tuple(q for q in spec["any_of"] if _yes(answers, q))
    return Reason(code=code, met=bool(hits), answers=hits, basis=spec.get("basis", ""))


def dimension_positive(s: int, m: int, w: int, rule: dict[str, int]) -> bool:
    """ILO/EC Delphi (2009): S>=2, or S>=1 and M+W>=1, or M>=3, or M>=2 and W>=1."""
    return (
        s >= rule["strong"]
        or (s >= 1 and m + w >= rule["strong_plus_any"])
        or m >= rule["medium"]
        or (m >= rule["medium_with_weak"] and w >= 1)
    )


def _dimension(
    code: str, spec: dict[str, Any], rule: dict[str, int], answers: dict[str, Any]
) -> Reason:
    counts = {k: 0 for k in STRENGTHS}
    hits = []
    for question, strength in spec["indicators"].items():
        if _yes(answers, question):
            counts[strength] += 1
            hits.append(question)
    met = dimension_positive(counts["S"], counts["M"], counts["W"], rule)
    return Reason(
        code=code, met=met, answers=tuple(hits), basis=spec.get("basis", ""), detail=counts
    )


def evaluate(definition: dict[str, Any], answers: dict[str, Any]) -> Outcome:
    """Apply one rule set to one interview."""
    elements = {
        code: _element(code, spec, answers) for code, spec in definition["elements"].items()
    }
    act, means, purpose = (elements[k].met for k in ("act", "means", "purpose"))

    age = answers.get("age_at_act")
    child = None if age in (None, "") else int(age) < definition["child_age_below"]

    delphi = definition["delphi"]
    dims = {
        code: _dimension(code, spec, delphi["threshold"], answers)
        for code, spec in delphi["dimensions"].items()
    }

    def any_met(codes: list[str]) -> bool:
        return any(dims[c].met for c in codes)

    adult_delphi = all(any_met(group) for group in delphi["adult_rule"])
    child_delphi = (
        bool(child)
        and any_met(delphi["child_rule"]["dimensions"])
        and any(_yes(answers, q) for q in delphi["child_rule"]["requires_any"])
    )

    notes: list[str] = []
    law_positive = act and means and purpose
    child_positive = bool(child) and act and purpose
    if child_positive and not means:
        notes.append("child_no_means")
    if means:
        notes.append("consent_irrelevant")

    if law_positive or child_positive or adult_delphi or child_delphi:
        result = LIKELY
    elif (
        sum((act, means, purpose)) >= 2
        or any(d.met for d in dims.values())
        or (bool(child) and (act or purpose))
    ):
        result = POSSIBLE
    else:
        result = NOT_INDICATED
    reasons = (*elements.values(), *dims.values())
    return Outcome(result=result, reasons=reasons, child=child, notes=tuple(notes))
