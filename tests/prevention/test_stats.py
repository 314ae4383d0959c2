"""The paired tests in simpul.prevention.stats: hand-computed examples, then scipy on the same
data (scipy is a test-only dependency; the module itself is pure Python)."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp

from simpul.prevention import stats

# --- hand-computed examples ------------------------------------------------------------------


def test_wilcoxon_exact_by_hand():
    # d = [2, -1, 3, 4, 5]: |d| ranks 2->2, 1->1, 3->3, 4->4, 5->5 (no ties, no zeros).
    # W+ = 2 + 3 + 4 + 5 = 14, W- = 1, n = 5, T = min = 1.
    # Of the 2**5 = 32 sign patterns, W+ >= 14 happens for W+ = 15 ({1..5}) and
    # W+ = 14 ({2,3,4,5}): 2 patterns. Two-sided p = 2 * 2/32 = 0.125.
    result = stats.wilcoxon_signed_rank([2, -1, 3, 4, 5])
    assert result is not None
    assert (result.w_plus, result.w_minus, result.statistic) == (14, 1, 1)
    assert result.method == stats.EXACT
    assert result.p_value == 0.125


def test_wilcoxon_exact_small_samples_by_hand():
    # n = 1, d = [3]: W+ = 1; patterns {}, {1}: P(W+ >= 1) = 1/2, p = min(1, 2 * 1/2) = 1.
    assert stats.wilcoxon_signed_rank([3]).p_value == 1.0
    # n = 6, all positive: W+ = 21 = maximum, only 1 of 64 patterns: p = 2/64 = 0.03125.
    assert stats.wilcoxon_signed_rank([1, 2, 3, 4, 5, 6]).p_value == 2 / 64


def test_wilcoxon_normal_with_ties_and_a_zero_by_hand():
    # d = [1, 1, 2, -1, 0, 3, 3, 3]: the zero is dropped ("wilcox"), n = 7.
    # |d| sorted: 1, 1, 1 -> ranks 1, 2, 3, average 2; 2 -> rank 4; 3, 3, 3 -> 5, 6, 7, avg 6.
    # W+ = 2 + 2 + 4 + 6 + 6 + 6 = 26, W- = 2 (the -1). Ties -> normal approximation.
    # mean = n(n+1)/4 = 14. var = n(n+1)(2n+1)/24 - sum(t^3 - t)/48
    #      = 7*8*15/24 - (24 + 24)/48 = 35 - 1 = 34.
    # z = (26 - 14 - 0.5) / sqrt(34) = 11.5 / 5.830952 = 1.972234 (continuity corrected).
    # p = 2 * (1 - Phi(1.972234)) = 0.048583.
    result = stats.wilcoxon_signed_rank([1, 1, 2, -1, 0, 3, 3, 3])
    assert result is not None
    assert (result.n, result.n_zero, result.w_plus, result.w_minus) == (7, 1, 26, 2)
    assert result.method == stats.NORMAL and result.has_ties
    assert result.z == pytest.approx(11.5 / math.sqrt(34), rel=1e-12)
    assert result.p_value == pytest.approx(0.048583, abs=5e-7)


def test_wilcoxon_without_any_change_is_not_computable():
    assert stats.wilcoxon_signed_rank([0, 0, 0]) is None
    assert stats.wilcoxon_signed_rank([]) is None


def test_average_ranks_by_hand():
    # 10, 20, 20, 30: ranks 1, (2+3)/2, (2+3)/2, 4; one group of two ties.
    ranks, ties = stats.average_ranks([20, 10, 30, 20])
    assert ranks == [2.5, 1, 4, 2.5]
    assert sorted(ties) == [1, 1, 2]


def test_signed_rank_counts_by_hand():
    # n = 3: subsets of {1,2,3} by sum: 0:{} 1:{1} 2:{2} 3:{3},{1,2} 4:{1,3} 5:{2,3} 6:{1,2,3}.
    assert stats.signed_rank_counts(3) == (1, 1, 1, 2, 1, 1, 1)
    assert sum(stats.signed_rank_counts(20)) == 2**20


def test_mcnemar_exact_by_hand():
    # b = 2 (right -> wrong), c = 8 (wrong -> right): n = 10 < 25, exact binomial.
    # P(X <= 2), X ~ Bin(10, 1/2) = (C(10,0) + C(10,1) + C(10,2)) / 1024 = (1 + 10 + 45) / 1024.
    # p = 2 * 56 / 1024 = 0.109375.
    result = stats.mcnemar(2, 8)
    assert result.method == stats.EXACT
    assert result.p_value == 112 / 1024
    # b = 0, c = 6: p = 2 * 1/64 = 0.03125.
    assert stats.mcnemar(0, 6).p_value == 2 / 64
    # No discordant pair: nothing changed, p = 1.
    assert stats.mcnemar(0, 0).p_value == 1.0


def test_mcnemar_chi_square_by_hand():
    # b = 10, c = 25: n = 35 >= 25, chi-square with continuity correction:
    # (|10 - 25| - 1)^2 / 35 = 14^2 / 35 = 5.6; P(chi2_1 >= 5.6) = erfc(sqrt(2.8)) = 0.017960.
    result = stats.mcnemar(10, 25)
    assert result.method == stats.CHI_SQUARE
    assert result.statistic == pytest.approx(5.6)
    assert result.p_value == pytest.approx(0.0179605, abs=5e-7)


def test_mcnemar_rejects_negative_counts():
    with pytest.raises(ValueError):
        stats.mcnemar(-1, 3)


def test_mean_and_median():
    assert stats.mean([10, 20, 60]) == 30
    assert stats.median([10, 20, 60, 70]) == 40
    assert stats.mean([]) is None and stats.median([]) is None


# --- the same data through scipy -------------------------------------------------------------


def _scipy_wilcoxon(differences, method):
    return sp.wilcoxon(differences, zero_method="wilcox", correction=True, method=method)


def _check_against_scipy(differences):
    ours = stats.wilcoxon_signed_rank(differences)
    if ours is None:
        assert all(d == 0 for d in differences)
        return
    method = "exact" if ours.method == stats.EXACT else "asymptotic"
    theirs = _scipy_wilcoxon(differences, method)
    assert ours.statistic == pytest.approx(float(theirs.statistic), abs=1e-9)
    assert ours.p_value == pytest.approx(float(theirs.pvalue), rel=1e-9, abs=1e-12)
    # Dropping the zeros first gives scipy the same answer: zeros are ignored, not ranked.
    nonzero = [d for d in differences if d != 0]
    assert ours.p_value == pytest.approx(
        float(_scipy_wilcoxon(nonzero, method).pvalue), rel=1e-9, abs=1e-12
    )
    if method == "asymptotic":
        assert abs(ours.z) == pytest.approx(abs(float(theirs.zstatistic)), rel=1e-9)


def test_wilcoxon_matches_scipy_on_seeded_random_score_changes():
    rng = random.Random(20260101)
    for _ in range(300):
        n = rng.randint(1, 80)
        # Score changes in whole questions, as the event results pass them: many ties.
        differences = [rng.randint(-4, 6) for _ in range(n)]
        _check_against_scipy(differences)


def test_wilcoxon_matches_scipy_exact_without_ties():
    rng = random.Random(7)
    checked = 0
    for _ in range(200):
        n = rng.randint(1, 50)
        magnitudes = rng.sample(range(1, 500), n)
        differences = [m if rng.random() < 0.6 else -m for m in magnitudes]
        ours = stats.wilcoxon_signed_rank(differences)
        assert ours is not None and ours.method == stats.EXACT
        _check_against_scipy(differences)
        checked += 1
    assert checked == 200


def test_wilcoxon_above_fifty_uses_the_normal_approximation_like_scipy():
    differences = list(range(1, 61))  # 60 distinct changes: too many for the exact table
    ours = stats.wilcoxon_signed_rank(differences)
    assert ours.method == stats.NORMAL
    _check_against_scipy(differences)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=-10, max_value=10), min_size=1, max_size=70))
def test_wilcoxon_matches_scipy_property(differences):
    _check_against_scipy(differences)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=120))
def test_mcnemar_matches_scipy(b, c):
    result = stats.mcnemar(b, c)
    n = b + c
    if n < stats.MCNEMAR_EXACT_BELOW:
        expected = 1.0 if n == 0 else sp.binomtest(min(b, c), n, 0.5).pvalue
        assert result.method == stats.EXACT
    else:
        chi = (abs(b - c) - 1) ** 2 / n
        expected = sp.chi2.sf(chi, 1)
        assert result.method == stats.CHI_SQUARE
        assert result.statistic == pytest.approx(chi)
    assert result.p_value == pytest.approx(float(expected), rel=1e-9, abs=1e-15)
