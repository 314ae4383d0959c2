"""The score engine: answers to an instrument version → indicator, dimension and composite
scores. Pure (no database, no settings), exact (fractions), so re-scoring a visit with its own
instrument version gives back exactly what was stored.

    s_q = score of the chosen option                          ∈ [0, 1]
    s_i = mean of s_q over the indicator's questions
    D_d = Σ_i w_i · s_i   over the dimension's indicators     (Σ w_i = 1)
    C   = Σ_d v_d · D_d                                       (Σ v_d = 1)

Each published score is rounded to 4 decimals (half to even), which keeps every score in
[0, 1] and never turns a better answer into a lower score."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from simpul.reintegration.instrument import number

PLACES = Decimal("0.0001")


class AnswerError(ValueError):
    """Answers that do not fit the instrument: `missing` and `unknown` question keys."""

    def __init__(self, missing: list[str], unknown: list[str]) -> None:
        self.missing, self.unknown = missing, unknown
        super().__init__(f"missing answers {missing}, unknown answers {unknown}")


def rounded(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(PLACES, rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Scores:
    indicators: dict[str, str]
    dimensions: dict[str, str]
    composite: str
    # Keys of safety questions answered with a negative option.
    negative_safety: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "indicators": dict(self.indicators),
            "dimensions": dict(self.dimensions),
            "composite": self.composite,
            "negative_safety": list(self.negative_safety),
        }


def check_answers(instrument: dict[str, Any], answers: dict[str, str]) -> None:
    """Every question answered with one of its options, nothing else."""
    options = {q["key"]: {o["key"] for o in q["options"]} for q in instrument["questions"]}
    missing = [k for k in options if answers.get(k) not in options[k]]
    unknown = sorted(k for k in answers if k not in options)
    if missing or unknown:
        raise AnswerError(missing, unknown)


def score(instrument: dict[str, Any], answers: dict[str, str]) -> Scores:
    """The scores of one visit's `answers` ({question key: option key})."""
    check_answers(instrument, answers)
    per_indicator: dict[str, list[Fraction]] = {i["key"]: [] for i in instrument["indicators"]}
    negative: list[str] = []
    for q in instrument["questions"]:
        chosen = next(o for o in q["options"] if o["key"] == answers[q["key"]])
        per_indicator[q["indicator"]].append(number(chosen["score"]))
        if q.get("safety") and chosen.get("negative"):
            negative.append(q["key"])
    indicator = {k: sum(v, Fraction(0)) / len(v) for k, v in per_indicator.items()}
    dimension = {
        d["key"]: sum(
            (
                number(i["weight"]) * indicator[i["key"]]
                for i in instrument["indicators"]
                if i["dimension"] == d["key"]
            ),
            Fraction(0),
        )
        for d in instrument["dimensions"]
    }
    composite = sum(
        (number(d["weight"]) * dimension[d["key"]] for d in instrument["dimensions"]), Fraction(0)
    )
    return Scores(
        indicators={k: rounded(v) for k, v in indicator.items()},
        dimensions={k: rounded(v) for k, v in dimension.items()},
        composite=rounded(composite),
        negative_safety=negative,
    )


def band(instrument: dict[str, Any], value: str) -> str:
    """ "low", "medium" or "high" for a stored score."""
    v = Fraction(value)
    if v < number(instrument["bands"]["low"]):
        return "low"
    if v < number(instrument["bands"]["high"]):
        return "medium"
    return "high"


def setbacks(
    instrument: dict[str, Any], scores: dict[str, Any], previous: dict[str, Any] | None
) -> list[str]:
    """Why a visit is a setback (Setback codes, in a fixed order), from its stored scores and
    the previous scored visit's: the composite fell by `setback_drop` or more, a dimension is
    in the low band, or a safety question got a negative answer."""
    found = []
    if previous is not None and Fraction(previous["composite"]) - Fraction(
        scores["composite"]
    ) >= number(instrument["setback_drop"]):
        found.append("composite_drop")
    if any(band(instrument, v) == "low" for v in scores["dimensions"].values()):
        found.append("low_dimension")
    if scores.get("negative_safety"):
        found.append("safety")
    return found
