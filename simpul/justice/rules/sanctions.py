"""The UU 21/2007 sanction table, versioned, with its aggravations, and the range check.

Prison is in months, fines in rupiah. `None` as a prison maximum means life imprisonment.
Marks follow `/shared/docs/domain.md` §3.6; the table does not replace the official text.

Aggravations (`Aggravation`): each of Ps 7(1), 8, 16 and 17 adds one third of the threatened
range (minimum and maximum, prison and fine); Ps 7(2) (death) replaces the base range. Two
aggravations add a third each (additive, of the base): how courts combine them is not verified.
A company defendant's fine range is multiplied by three (Ps 15(1)) for Ps 2-6.
"""

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from simpul.justice.codes import Aggravation, Law, Mark, RangeFlag

JT = 1_000_000  # juta
M = 1_000_000_000  # miliar


@dataclass(frozen=True)
class Range:
    prison_min: Fraction  # months
    prison_max: Fraction | None  # months; None = life
    fine_min: Fraction | None
    fine_max: Fraction | None


@dataclass(frozen=True)
class ArticleRule:
    article: str
    label: str
    range: Range
    mark: str


@dataclass(frozen=True)
class SanctionTable:
    version: str
    law: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    articles: dict[str, ArticleRule]


def _r(pmin: int, pmax: int | None, fmin: int | None, fmax: int | None) -> Range:
    return Range(
        Fraction(pmin * 12),
        None if pmax is None else Fraction(pmax * 12),
        None if fmin is None else Fraction(fmin),
        None if fmax is None else Fraction(fmax),
    )


_BASE = _r(3, 15, 120 * JT, 600 * JT)
_ROWS = [
    ("2_1", "Ps 2(1)", _BASE, Mark.VERIFIED),
    ("2_2", "Ps 2(2)", _BASE, Mark.VERIFIED),
    ("3", "Ps 3", _BASE, Mark.UNVERIFIED),
    ("4", "Ps 4", _BASE, Mark.UNVERIFIED),
    ("5", "Ps 5", _BASE, Mark.UNVERIFIED),
    ("6", "Ps 6", _BASE, Mark.UNVERIFIED),
    ("9", "Ps 9", _r(1, 6, 40 * JT, 240 * JT), Mark.UNVERIFIED),
    ("10", "Ps 10", _BASE, Mark.UNVERIFIED),
    ("11", "Ps 11", _BASE, Mark.UNVERIFIED),
    ("12", "Ps 12", _BASE, Mark.UNVERIFIED),
    ("19", "Ps 19", _r(1, 7, 40 * JT, 280 * JT), Mark.VERIFIED),
    ("20", "Ps 20", _r(1, 7, 40 * JT, 280 * JT), Mark.VERIFIED),
    ("21_1", "Ps 21(1)", _r(1, 5, 40 * JT, 200 * JT), Mark.VERIFIED),
    ("21_2", "Ps 21(2)", _r(2, 10, 80 * JT, 400 * JT), Mark.UNVERIFIED),
    ("21_3", "Ps 21(3)", _r(5, 15, 200 * JT, 600 * JT), Mark.UNVERIFIED),
    ("22", "Ps 22", _r(1, 5, 40 * JT, 200 * JT), Mark.UNVERIFIED),
    ("23", "Ps 23", _r(1, 5, 40 * JT, 200 * JT), Mark.VERIFIED),
    ("24", "Ps 24", _r(3, 7, 120 * JT, 280 * JT), Mark.VERIFIED),
]

UU21_2007 = SanctionTable(
    version="uu21-2007.v1",
    law=Law.UU_21_2007,
    legal_basis="UU 21/2007 Ps 2-24 (LN 2007/58)",
    valid_from=date(2007, 4, 19),
    valid_to=None,
    articles={a: ArticleRule(a, label, rng, mark) for a, label, rng, mark in _ROWS},
)
TABLES: list[SanctionTable] = [UU21_2007]

# Which base articles each aggravation applies to, and its legal basis.
_TWO_TO_SIX = frozenset({"2_1", "2_2", "3", "4", "5", "6"})
AGGRAVATION_SCOPE: dict[str, frozenset[str]] = {
    Aggravation.CHILD: frozenset({"2_1", "2_2", "3", "4"}),  # Ps 17
    Aggravation.SERIOUS_INJURY: frozenset({"2_2", "3", "4", "5", "6"}),  # Ps 7(1)
    Aggravation.DEATH: frozenset({"2_2", "3", "4", "5", "6"}),  # Ps 7(2)
    Aggravation.OFFICIAL: _TWO_TO_SIX,  # Ps 8(1)
    Aggravation.ORGANISED: frozenset({"2_1", "2_2"}),  # Ps 16
}
DEATH_RANGE = _r(5, None, 200 * JT, 5 * M)  # Ps 7(2): 5 years to life, Rp 200 jt - 5 M
CORPORATE_FINE_FACTOR = 3  # Ps 15(1)


def table_for(law: str, on: date) -> SanctionTable | None:
    for table in TABLES:
        if (
            table.law == law
            and table.valid_from <= on
            and (table.valid_to is None or on <= table.valid_to)
        ):
            return table
    return None


def articles_of(law: str, on: date) -> list[str]:
    table = table_for(law, on)
    return list(table.articles) if table else []


def inapplicable(article: str, aggravations: list[str]) -> list[str]:
    """The aggravations that the law does not attach to `article`."""
    return [a for a in aggravations if article not in AGGRAVATION_SCOPE.get(a, frozenset())]


def statutory_range(
    law: str, article: str, aggravations: list[str], on: date, *, corporate: bool = False
) -> Range | None:
    """The threatened range for `article` with `aggravations` on date `on`; None when the
    table holds no such article (another law, an unknown article)."""
    table = table_for(law, on)
    if table is None or article not in table.articles:
        return None
    applied = [a for a in aggravations if a not in inapplicable(article, [a])]
    base = DEATH_RANGE if Aggravation.DEATH in applied else table.articles[article].range
    thirds = sum(1 for a in applied if a != Aggravation.DEATH)
    factor = 1 + Fraction(thirds, 3)
    fine_factor = factor * (CORPORATE_FINE_FACTOR if corporate and article in _TWO_TO_SIX else 1)
    return Range(
        base.prison_min * factor,
        None if base.prison_max is None else base.prison_max * factor,
        None if base.fine_min is None else base.fine_min * fine_factor,
        None if base.fine_max is None else base.fine_max * fine_factor,
    )


def prison_flag(rng: Range | None, months: int | None, life: bool = False) -> str:
    if rng is None or (months is None and not life):
        return RangeFlag.NO_RULE
    if life:
        return RangeFlag.WITHIN if rng.prison_max is None else RangeFlag.ABOVE
    if months < rng.prison_min:  # type: ignore[operator]
        return RangeFlag.BELOW
    if rng.prison_max is not None and months > rng.prison_max:  # type: ignore[operator]
        return RangeFlag.ABOVE
    return RangeFlag.WITHIN


def fine_flag(rng: Range | None, fine: int | None) -> str:
    if rng is None or fine is None or rng.fine_min is None:
        return RangeFlag.NO_RULE
    if fine < rng.fine_min:
        return RangeFlag.BELOW
    if rng.fine_max is not None and fine > rng.fine_max:
        return RangeFlag.ABOVE
    return RangeFlag.WITHIN
