"""The UU 21/2007 sanction table: every article's range, each aggravation, the flags."""

from datetime import date
from fractions import Fraction

import pytest

from simpul.justice.codes import Aggravation as A
from simpul.justice.codes import Law, RangeFlag
from simpul.justice.rules import sanctions as s

ON = date(2024, 6, 1)
JT = 1_000_000
Y = 12  # months

# (article, prison years min-max, fine min-max in juta) from domain.md §3.6
TABLE = {
    "2_1": (3, 15, 120, 600),
    "2_2": (3, 15, 120, 600),
    "3": (3, 15, 120, 600),
    "4": (3, 15, 120, 600),
    "5": (3, 15, 120, 600),
    "6": (3, 15, 120, 600),
    "9": (1, 6, 40, 240),
    "10": (3, 15, 120, 600),
    "11": (3, 15, 120, 600),
    "12": (3, 15, 120, 600),
    "19": (1, 7, 40, 280),
    "20": (1, 7, 40, 280),
    "21_1": (1, 5, 40, 200),
    "21_2": (2, 10, 80, 400),
    "21_3": (5, 15, 200, 600),
    "22": (1, 5, 40, 200),
    "23": (1, 5, 40, 200),
    "24": (3, 7, 120, 280),
}


def test_table_holds_exactly_these_articles():
    assert sorted(s.articles_of(Law.UU_21_2007, ON)) == sorted(TABLE)


@pytest.mark.parametrize("article", sorted(TABLE))
def test_every_article_base_range(article):
    pmin, pmax, fmin, fmax = TABLE[article]
    rng = s.statutory_range(Law.UU_21_2007, article, [], ON)
    assert rng == s.Range(
        Fraction(pmin * Y), Fraction(pmax * Y), Fraction(fmin * JT), Fraction(fmax * JT)
    )


@pytest.mark.parametrize(
    "aggravation, articles",
    [
        (A.CHILD, {"2_1", "2_2", "3", "4"}),
        (A.SERIOUS_INJURY, {"2_2", "3", "4", "5", "6"}),
        (A.OFFICIAL, {"2_1", "2_2", "3", "4", "5", "6"}),
        (A.ORGANISED, {"2_1", "2_2"}),
        (A.DEATH, {"2_2", "3", "4", "5", "6"}),
    ],
)
def test_each_aggravation_applies_to_its_articles_only(aggravation, articles):
    for article in TABLE:
        assert (s.inapplicable(article, [aggravation]) == []) == (article in articles), article


@pytest.mark.parametrize("aggravation", [A.CHILD, A.SERIOUS_INJURY, A.OFFICIAL, A.ORGANISED])
def test_a_third_added_to_the_base_range(aggravation):
    # Ps 7(1), 8, 16, 17 on Ps 2(2): 3-15 years -> 4-20; Rp 120-600 jt -> 160-800 jt.
    rng = s.statutory_range(Law.UU_21_2007, "2_2", [aggravation], ON)
    assert (rng.prison_min, rng.prison_max) == (4 * Y, 20 * Y)
    assert (rng.fine_min, rng.fine_max) == (160 * JT, 800 * JT)


def test_death_replaces_the_range_with_five_years_to_life():
    rng = s.statutory_range(Law.UU_21_2007, "4", [A.DEATH], ON)
    assert rng == s.Range(Fraction(5 * Y), None, Fraction(200 * JT), Fraction(5000 * JT))


def test_two_aggravations_add_a_third_each_and_inapplicable_ones_are_ignored():
    rng = s.statutory_range(Law.UU_21_2007, "2_1", [A.CHILD, A.ORGANISED, A.SERIOUS_INJURY], ON)
    assert (rng.prison_min, rng.prison_max) == (5 * Y, 25 * Y)
    assert (rng.fine_min, rng.fine_max) == (200 * JT, 1000 * JT)


def test_death_and_child_on_ps3():
    rng = s.statutory_range(Law.UU_21_2007, "3", [A.DEATH, A.CHILD], ON)
    assert rng.prison_min == Fraction(80) and rng.prison_max is None


def test_a_company_pays_three_times_the_fine_for_ps2_to_6_only():
    rng = s.statutory_range(Law.UU_21_2007, "2_1", [], ON, corporate=True)
    assert (rng.fine_min, rng.fine_max) == (360 * JT, 1800 * JT)
    assert s.statutory_range(Law.UU_21_2007, "19", [], ON, corporate=True).fine_max == 280 * JT


def test_other_laws_and_dates_before_the_act_have_no_range():
    assert s.statutory_range(Law.KUHP, "328", [], ON) is None
    assert s.statutory_range(Law.UU_21_2007, "2_1", [], date(2007, 1, 1)) is None
    assert s.statutory_range(Law.UU_21_2007, "99", [], ON) is None


def test_flags():
    rng = s.statutory_range(Law.UU_21_2007, "2_1", [], ON)
    assert s.prison_flag(rng, 35) == RangeFlag.BELOW
    assert s.prison_flag(rng, 36) == RangeFlag.WITHIN
    assert s.prison_flag(rng, 180) == RangeFlag.WITHIN
    assert s.prison_flag(rng, 181) == RangeFlag.ABOVE
    assert s.prison_flag(rng, None, life=True) == RangeFlag.ABOVE
    assert s.prison_flag(None, 12) == RangeFlag.NO_RULE
    death = s.statutory_range(Law.UU_21_2007, "2_2", [A.DEATH], ON)
    assert s.prison_flag(death, None, life=True) == RangeFlag.WITHIN
    assert s.fine_flag(rng, 119_999_999) == RangeFlag.BELOW
    assert s.fine_flag(rng, 120 * JT) == RangeFlag.WITHIN
    assert s.fine_flag(rng, 600 * JT + 1) == RangeFlag.ABOVE
    assert s.fine_flag(rng, None) == RangeFlag.NO_RULE
