"""The score engine's properties (hypothesis), on the shipped instrument and on generated
ones: scores stay in [0, 1]; a better answer never lowers any score; weights sum to 1 per
level; a visit re-scored with its own version gives back exactly what was stored."""

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simpul.reintegration.instrument import InstrumentError, number, validate
from simpul.reintegration.scoring import AnswerError, score, setbacks

SHIPPED = json.loads(
    (
        Path(__file__).resolve().parents[2] / "simpul/reintegration/instruments/rss-v1.json"
    ).read_text(encoding="utf-8")
)
L = {"en": "x", "id": "x"}


@st.composite
def instruments(draw):
    """A valid instrument: 1-3 dimensions of 1-3 indicators of 1-3 questions, random positive
    integer weights normalised to exact fractions, 2-4 options with scores in [0, 1]."""
    n_dims = draw(st.integers(1, 3))
    dim_w = draw(st.lists(st.integers(1, 9), min_size=n_dims, max_size=n_dims))
    dims, inds, questions = [], [], []
    for d in range(n_dims):
        dims.append({"key": f"d{d}", "label": L, "weight": str(Fraction(dim_w[d], sum(dim_w)))})
        n_ind = draw(st.integers(1, 3))
        ind_w = draw(st.lists(st.integers(1, 9), min_size=n_ind, max_size=n_ind))
        for i in range(n_ind):
            key = f"d{d}i{i}"
            inds.append(
                {
                    "key": key,
                    "dimension": f"d{d}",
                    "label": L,
                    "weight": str(Fraction(ind_w[i], sum(ind_w))),
                }
            )
            for q in range(draw(st.integers(1, 3))):
                scores = draw(
                    st.lists(st.fractions(0, 1, max_denominator=12), min_size=2, max_size=4)
                )
                questions.append(
                    {
                        "key": f"{key}q{q}",
                        "indicator": key,
                        "text": L,
                        "options": [
                            {"key": f"o{n}", "label": L, "score": str(s)}
                            for n, s in enumerate(scores)
                        ],
                    }
                )
    return validate(
        {
            "code": "gen",
            "version": 1,
            "title": L,
            "bands": {"low": "0.33", "high": "0.66"},
            "setback_drop": "0.10",
            "dimensions": dims,
            "indicators": inds,
            "questions": questions,
        }
    )


@st.composite
def instrument_and_answers(draw, shipped=False):
    instrument = SHIPPED if shipped else draw(instruments())
    answers = {
        q["key"]: draw(st.sampled_from([o["key"] for o in q["options"]]))
        for q in instrument["questions"]
    }
    return instrument, answers


def all_scores(result) -> list[Fraction]:
    return [
        Fraction(v)
        for v in [*result.indicators.values(), *result.dimensions.values(), result.composite]
    ]


@settings(max_examples=150, deadline=None)
@given(st.one_of(instrument_and_answers(), instrument_and_answers(shipped=True)))
def test_every_score_is_within_zero_and_one(case):
    instrument, answers = case
    assert all(0 <= s <= 1 for s in all_scores(score(instrument, answers)))


@settings(max_examples=150, deadline=None)
@given(st.one_of(instrument_and_answers(), instrument_and_answers(shipped=True)), st.data())
def test_a_better_answer_never_lowers_any_score(case, data):
    instrument, answers = case
    question = data.draw(st.sampled_from(instrument["questions"]))
    current = next(o for o in question["options"] if o["key"] == answers[question["key"]])
    better = [o for o in question["options"] if number(o["score"]) >= number(current["score"])]
    chosen = data.draw(st.sampled_from(better))
    before = score(instrument, answers)
    after = score(instrument, {**answers, question["key"]: chosen["key"]})
    for old, new in zip(all_scores(before), all_scores(after), strict=True):
        assert new >= old


@settings(max_examples=100, deadline=None)
@given(st.one_of(instruments(), st.just(SHIPPED)))
def test_weights_sum_to_one_at_every_level(instrument):
    assert sum(number(d["weight"]) for d in instrument["dimensions"]) == 1
    for d in instrument["dimensions"]:
        own = [i for i in instrument["indicators"] if i["dimension"] == d["key"]]
        assert sum(number(i["weight"]) for i in own) == 1


@settings(max_examples=100, deadline=None)
@given(instrument_and_answers(shipped=True), instruments())
def test_an_old_visit_rescores_identically_after_a_new_version(case, newer):
    instrument, answers = case
    stored = json.loads(json.dumps(score(instrument, answers).as_json()))
    # A new version (other weights, other options) is added; the old version is untouched.
    newer = {**newer, "code": instrument["code"], "version": instrument["version"] + 1}
    score(newer, {q["key"]: q["options"][0]["key"] for q in newer["questions"]})
    assert score(copy.deepcopy(instrument), answers).as_json() == stored


def test_validation_refuses_weights_that_do_not_sum_to_one():
    broken = copy.deepcopy(SHIPPED)
    broken["dimensions"][0]["weight"] = "0.3"
    with pytest.raises(InstrumentError, match="weights sum to"):
        validate(broken)
    broken = copy.deepcopy(SHIPPED)
    broken["indicators"][0]["weight"] = "1/4"
    with pytest.raises(InstrumentError, match="indicators of economic"):
        validate(broken)


def test_validation_refuses_scores_outside_the_unit_interval_and_a_safety_item_without_no():
    broken = copy.deepcopy(SHIPPED)
    broken["questions"][0]["options"][0]["score"] = "1.5"
    with pytest.raises(InstrumentError, match="outside"):
        validate(broken)
    broken = copy.deepcopy(SHIPPED)
    safety = next(q for q in broken["questions"] if q.get("safety"))
    for o in safety["options"]:
        o.pop("negative", None)
    with pytest.raises(InstrumentError, match="negative answer"):
        validate(broken)


def test_the_shipped_instrument_scores_a_hand_computed_example():
    answers = {q["key"]: q["options"][0]["key"] for q in SHIPPED["questions"]}
    # Economic all best except work "irregular" (1/2): economic = (4 + 1/2) / 5 = 0.9.
    answers["work"] = "irregular"
    # Safety: feel safe "mostly" (1/2), no threats (1): indicator 0.75, psychosocial 0.95.
    answers["feel_safe"] = "mostly"
    result = score(SHIPPED, answers)
    assert result.dimensions == {"economic": "0.9000", "social": "1.0000", "psychosocial": "0.9500"}
    assert result.indicators["safety"] == "0.7500"
    assert result.composite == "0.9500"  # (0.9 + 1 + 0.95) / 3
    assert result.negative_safety == []


def test_setbacks_by_drop_by_low_dimension_and_by_a_negative_safety_answer():
    best = {q["key"]: q["options"][0]["key"] for q in SHIPPED["questions"]}
    before = score(SHIPPED, best).as_json()
    # Threatened since the return: a negative safety answer; the drop is small.
    threatened = score(SHIPPED, {**best, "threats": "yes"}).as_json()
    assert setbacks(SHIPPED, threatened, before) == ["safety"]
    # Every economic answer at its worst: economic 0 (low) and the composite falls by 1/3.
    worst_econ = {**best}
    for q in SHIPPED["questions"]:
        if q["indicator"] in {"econ_satisfaction", "food", "work", "debt", "assets"}:
            worst_econ[q["key"]] = q["options"][-1]["key"]
    fallen = score(SHIPPED, worst_econ).as_json()
    assert setbacks(SHIPPED, fallen, before) == ["composite_drop", "low_dimension"]
    assert setbacks(SHIPPED, before, None) == []


def test_answers_must_cover_every_question_with_its_own_options():
    answers = {q["key"]: q["options"][0]["key"] for q in SHIPPED["questions"]}
    with pytest.raises(AnswerError) as refused:
        score(SHIPPED, {**answers, "food": "plenty", "extra": "1"})
    assert (refused.value.missing, refused.value.unknown) == (["food"], ["extra"])
