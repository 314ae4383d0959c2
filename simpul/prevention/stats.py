"""Paired tests for pre/post knowledge tests, in pure Python (scipy is not a run-time dependency).

Wilcoxon signed-rank test on each participant's score difference (post - pre), two-sided:

* zeros: Wilcoxon's method ("wilcox"): a difference of zero is dropped before ranking, and `n`
  is the number of non-zero differences;
* ties: equal absolute differences get the average of their ranks;
* p-value: **exact** null distribution of W+ (all 2**n sign patterns, counted by dynamic
  programming) when n <= 50 and there are no ties; otherwise the **normal approximation** with
  the tie correction of the variance and a continuity correction of 0.5 (towards the mean).

This is `scipy.stats.wilcoxon(d, zero_method="wilcox", correction=True, method="exact")` and
`method="asymptotic"` respectively; tests/prevention/test_stats.py compares the two on random
data. (scipy's `method="auto"` would use a permutation test for n <= 13 with ties; we do not.)

McNemar's test for one question answered by the same participants before and after, two-sided,
on the discordant pairs b (right before, wrong after) and c (wrong before, right after):

* **exact** binomial test when b + c < 25: p = min(1, 2 * P(X <= min(b, c))), X ~ Bin(b+c, 1/2),
  as `statsmodels.stats.contingency_tables.mcnemar(exact=True)` and equal to
  `scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue`;
* otherwise the **chi-square** statistic with continuity correction (|b - c| - 1)**2 / (b + c)
  on 1 degree of freedom, as `mcnemar(exact=False, correction=True)`, p = `scipy.stats.chi2.sf`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

WILCOXON_EXACT_MAX_N = 50
MCNEMAR_EXACT_BELOW = 25

EXACT = "exact"
NORMAL = "normal"
CHI_SQUARE = "chi_square"


@dataclass(frozen=True)
class WilcoxonResult:
    n: int  # non-zero differences ranked
    n_zero: int  # zero differences dropped ("wilcox" zero method)
    w_plus: float  # sum of the ranks of positive differences
    w_minus: float  # sum of the ranks of negative differences
    method: str  # EXACT or NORMAL
    z: float | None  # continuity-corrected z (NORMAL only); positive when post > pre
    p_value: float
    has_ties: bool

    @property
    def statistic(self) -> float:
        """The two-sided statistic T = min(W+, W-), as scipy reports it."""
        return min(self.w_plus, self.w_minus)


@dataclass(frozen=True)
class McNemarResult:
    b: int  # right before, wrong after
    c: int  # wrong before, right after
    method: str  # EXACT or CHI_SQUARE
    statistic: float  # min(b, c) for EXACT, the corrected chi-square otherwise
    p_value: float


def average_ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    """Ranks from 1 (average rank for ties) and the size of every group of tied values."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    tie_sizes: list[int] = []
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        rank = (start + end) / 2 + 1  # positions start..end hold ranks start+1..end+1
        for k in range(start, end + 1):
            ranks[order[k]] = rank
        tie_sizes.append(end - start + 1)
        start = end + 1
    return ranks, tie_sizes


@lru_cache(maxsize=64)
def signed_rank_counts(n: int) -> tuple[int, ...]:
    """counts[k] = how many of the 2**n sign patterns of ranks 1..n give W+ = k."""
    max_sum = n * (n + 1) // 2
    counts = [0] * (max_sum + 1)
    counts[0] = 1
    for rank in range(1, n + 1):
        # Walk down so each rank is used at most once (0/1 knapsack).
        for total in range(rank * (rank + 1) // 2, rank - 1, -1):
            counts[total] += counts[total - rank]
    return tuple(counts)


def _exact_two_sided(w_plus: float, n: int) -> float:
    counts = signed_rank_counts(n)
    patterns = 2**n
    lower = sum(counts[: math.ceil(w_plus) + 1])  # P(W+ <= w) * 2**n
    upper = sum(counts[math.floor(w_plus) :])  # P(W+ >= w) * 2**n
    return min(1.0, 2 * min(lower, upper) / patterns)


def normal_two_sided(z: float) -> float:
    """Two-sided p-value of a standard normal z: 2 * P(Z >= |z|)."""
    return math.erfc(abs(z) / math.sqrt(2))


def wilcoxon_signed_rank(differences: Sequence[float]) -> WilcoxonResult | None:
    """The two-sided test on paired differences (post - pre); None when every one is zero.

    Pass exact numbers (e.g. counts of correct answers): ties are equal values, compared exactly.
    """
    nonzero = [d for d in differences if d != 0]
    n_zero = len(differences) - len(nonzero)
    n = len(nonzero)
    if n == 0:
        return None
    ranks, tie_sizes = average_ranks([abs(d) for d in nonzero])
    w_plus = sum(r for r, d in zip(ranks, nonzero, strict=True) if d > 0)
    w_minus = sum(r for r, d in zip(ranks, nonzero, strict=True) if d < 0)
    has_ties = any(t > 1 for t in tie_sizes)
    if n <= WILCOXON_EXACT_MAX_N and not has_ties:
        return WilcoxonResult(
            n, n_zero, w_plus, w_minus, EXACT, None, _exact_two_sided(w_plus, n), has_ties
        )
    mean = n * (n + 1) / 4
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in tie_sizes) / 48
    se = math.sqrt(variance)
    z = (w_plus - mean) / se
    # Continuity correction: move half a unit of W+ towards the mean (sign of the raw z).
    z -= math.copysign(0.5, z) / se if z != 0 else 0.0
    return WilcoxonResult(n, n_zero, w_plus, w_minus, NORMAL, z, normal_two_sided(z), has_ties)


def binomial_two_sided_half(k: int, n: int) -> float:
    """Exact two-sided binomial p-value for k successes in n trials with p = 1/2."""
    if n == 0:
        return 1.0
    k = min(k, n - k)
    tail = sum(math.comb(n, i) for i in range(k + 1))
    return min(1.0, 2 * tail / 2**n)


def chi_square_1df_sf(statistic: float) -> float:
    """P(X >= statistic) for a chi-square variable with one degree of freedom."""
    if statistic <= 0:
        return 1.0
    return math.erfc(math.sqrt(statistic / 2))


def mcnemar(b: int, c: int, *, exact_below: int = MCNEMAR_EXACT_BELOW) -> McNemarResult:
    """McNemar's two-sided test from the two discordant counts."""
    if b < 0 or c < 0:
        raise ValueError("counts cannot be negative")
    n = b + c
    if n < exact_below:
        return McNemarResult(b, c, EXACT, float(min(b, c)), binomial_two_sided_half(min(b, c), n))
    statistic = (abs(b - c) - 1) ** 2 / n
    return McNemarResult(b, c, CHI_SQUARE, statistic, chi_square_1df_sf(statistic))


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
