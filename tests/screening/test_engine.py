"""The screening rules against a table of cases written from domain.md §6.1 and §6.3."""

import pytest

from simpul.screening.engine import (
    LIKELY,
    NOT_INDICATED,
    POSSIBLE,
    dimension_positive,
    evaluate,
)
from simpul.screening.rulesets import UU21_DELPHI_2026_1 as RULES

ACT = {"act_recruitment": True}
MEANS = {"means_deception": True}
PURPOSE = {"purpose_exploitation_resulted": True}
ADULT = {"age_at_act": 25}
CHILD = {"age_at_act": 16}


def run(*parts: dict) -> str:
    answers: dict = {}
    for p in parts:
        answers.update(p)
    return evaluate(RULES, answers).result


@pytest.mark.parametrize(
    ("case", "parts", "expected"),
    [
        ("adult, act + means + purpose", [ADULT, ACT, MEANS, PURPOSE], LIKELY),
        ("adult, act missing", [ADULT, MEANS, PURPOSE], POSSIBLE),
        ("adult, means missing", [ADULT, ACT, PURPOSE], POSSIBLE),
        ("adult, purpose missing", [ADULT, ACT, MEANS], POSSIBLE),
        ("adult, only act", [ADULT, ACT], NOT_INDICATED),
        ("adult, only means", [ADULT, MEANS], NOT_INDICATED),
        ("adult, only purpose", [ADULT, PURPOSE], NOT_INDICATED),
        ("adult, nothing", [ADULT], NOT_INDICATED),
        ("child, act + purpose, no means", [CHILD, ACT, PURPOSE], LIKELY),
        ("child, all three", [CHILD, ACT, MEANS, PURPOSE], LIKELY),
        ("child, act only", [CHILD, ACT], POSSIBLE),
        ("child, purpose only", [CHILD, PURPOSE], POSSIBLE),
        ("child, means only", [CHILD, MEANS], NOT_INDICATED),
        ("age unknown, act + purpose", [ACT, PURPOSE], POSSIBLE),
        ("17 is a child", [{"age_at_act": 17}, ACT, PURPOSE], LIKELY),
        ("18 is an adult", [{"age_at_act": 18}, ACT, PURPOSE], POSSIBLE),
    ],
)
def test_uu21_elements_and_the_child_rule(case, parts, expected):
    assert run(*parts) == expected, case


@pytest.mark.parametrize(
    ("s", "m", "w", "positive"),
    [
        (2, 0, 0, True),  # S >= 2
        (1, 0, 0, False),
        (1, 1, 0, True),  # S >= 1 and M + W >= 1
        (1, 0, 1, True),
        (0, 3, 0, True),  # M >= 3
        (0, 2, 0, False),
        (0, 2, 1, True),  # M >= 2 and W >= 1
        (0, 1, 1, False),
        (0, 0, 3, False),  # weak indicators alone never suffice
        (0, 0, 0, False),
    ],
)
def test_delphi_dimension_thresholds(s, m, w, positive):
    assert dimension_positive(s, m, w, RULES["delphi"]["threshold"]) is positive


D1 = {"d1_job_nature": True, "d1_wages": True}  # S + M
D4 = {"d4_excessive_hours": True, "d4_low_no_salary": True}  # S + M
D5 = {"d5_documents_confiscated": True, "d5_violence": True}  # S + S
D6 = {"d6_dependency": True, "d6_economic": True, "d6_legal_status": True}  # 3 M


@pytest.mark.parametrize(
    ("case", "parts", "expected"),
    [
        ("recruitment, conditions and coercion", [ADULT, D1, D4, D5], LIKELY),
        ("recruitment, conditions and vulnerability", [ADULT, D1, D4, D6], LIKELY),
        ("no recruitment dimension", [ADULT, D4, D5], POSSIBLE),
        ("no exploitative conditions", [ADULT, D1, D5], POSSIBLE),
        ("no coercion or vulnerability at destination", [ADULT, D1, D4], POSSIBLE),
        ("one weak indicator only", [ADULT, {"d1_education": True}], NOT_INDICATED),
        ("child: exploitative conditions and recruitment", [CHILD, D4, ACT], LIKELY),
        ("child: conditions without recruitment or transfer", [CHILD, D4], POSSIBLE),
    ],
)
def test_delphi_adult_and_child_rules(case, parts, expected):
    assert run(*parts) == expected, case


def test_reasons_name_the_elements_and_the_answers_that_met_them():
    outcome = evaluate(RULES, {**ADULT, **ACT, "means_debt_bondage": True, **PURPOSE, **D4})
    by_code = {r.code: r for r in outcome.reasons}
    assert by_code["act"].met and by_code["act"].answers == ("act_recruitment",)
    assert by_code["means"].answers == ("means_debt_bondage",)
    assert by_code["means"].basis == "UU 21/2007 Pasal 1 angka 1 (cara)"
    assert by_code["D4"].detail == {"S": 1, "M": 1, "W": 0}
    assert by_code["D1"].met is False
    assert "consent_irrelevant" in outcome.notes
    child = evaluate(RULES, {**CHILD, **ACT, **PURPOSE})
    assert child.notes == ("child_no_means",)
    assert outcome.as_json()["reasons"][0] == {
        "code": "act",
        "met": True,
        "answers": ["act_recruitment"],
        "basis": "UU 21/2007 Pasal 1 angka 1 (tindakan)",
        "detail": {},
    }


def test_every_question_in_the_rules_has_interview_text():
    from simpul.screening.questions import QUESTION_LABELS

    referenced = {q for e in RULES["elements"].values() for q in e["any_of"]}
    for d in RULES["delphi"]["dimensions"].values():
        referenced |= set(d["indicators"])
    assert referenced <= set(QUESTION_LABELS)
