"""The Splink model: comparisons, blocking rules and starting values, for DuckDB and Spark.

Every comparison is written as SQL over the columns of `features.py`, through a small
dialect table, so one model runs on both engines and a model trained on one scores on the
other. Starting m and u values are set from what these records are known to look like (a
NIK agrees for most true matches and almost never by chance; a birth year falsified by a few
years is common among trafficked people); EM then re-estimates them from the data.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Literal

Engine = Literal["duckdb", "spark"]

# Comparison output columns, in the order of the settings; reasons are reported per column.
COMPARISONS: tuple[str, ...] = (
    "nik",
    "passport",
    "name",
    "father",
    "dob",
    "sex",
    "region",
    "phone",
)

PREDICTION_BLOCKING_RULES: tuple[str, ...] = (
    "l.nik = r.nik",
    "l.passport = r.passport",
    "l.phone = r.phone",
    "l.bk_phon_year = r.bk_phon_year",
    "l.bk_phon_reg = r.bk_phon_reg",
    "l.bk_phon_regency_only = r.bk_phon_regency",
    "l.bk_phon_regency = r.bk_phon_regency_only",
    "l.bk_phon_md = r.bk_phon_md",
    "l.bk_min_dob = r.bk_min_dob",
    "l.bk_max_dob = r.bk_max_dob",
    # Crossed: the first word of one name is the last of the other (a typo moved it).
    "l.bk_min_dob = r.bk_max_dob",
    "l.bk_max_dob = r.bk_min_dob",
    "l.bk_dob_reg = r.bk_dob_reg",
    "l.bk_village_year = r.bk_village_year",
    "l.bk_min_district = r.bk_min_district",
    "l.bk_max_district = r.bk_max_district",
    "l.bk_min_regency_year_only = r.bk_min_regency_year",
    "l.bk_min_regency_year = r.bk_min_regency_year_only",
    "l.bk_max_regency_year_only = r.bk_max_regency_year",
    "l.bk_max_regency_year = r.bk_max_regency_year_only",
    "l.bk_prefix_year_district = r.bk_prefix_year_district",
    "l.bk_prefix_year_regency_only = r.bk_prefix_year_regency",
    "l.bk_prefix_year_regency = r.bk_prefix_year_regency_only",
    "l.bk_prefix_dob = r.bk_prefix_dob",
    "l.bk_district_md = r.bk_district_md",
)

_EQUALITY = re.compile(r"l\.(\w+) = r\.(\w+)")


def blocked_pairs_sql(table: str) -> str:
    """The pairs of `table` that any prediction rule blocks together, each once, as Splink's
    blocked-pairs table (match_key: the first rule that finds the pair; join_key_l below
    join_key_r). Every rule is one equality, so a rule and its mirror image ("l.a = r.b",
    "l.b = r.a") are one join of a with b."""
    selects: list[str] = []
    seen: set[tuple[str, str]] = set()
    for index, rule in enumerate(PREDICTION_BLOCKING_RULES):
        found = _EQUALITY.fullmatch(rule)
        if found is None:
            raise ValueError(f"Blocking rule {rule!r} is not one equality.")
        left, right = found.groups()
        if (right, left) in seen:
            continue
        seen.add((left, right))
        if left == right:
            keys, condition = "l.unique_id, r.unique_id", "l.unique_id < r.unique_id"
        else:
            keys = "least(l.unique_id, r.unique_id), greatest(l.unique_id, r.unique_id)"
            condition = "l.unique_id <> r.unique_id"
        selects.append(
            f"SELECT {index} AS rule, {keys} FROM {table} AS l JOIN {table} AS r"  # noqa: S608
            f" ON l.{left} = r.{right} AND {condition}"
        )
    union = " UNION ALL ".join(selects)
    columns = "CAST(min(rule) AS VARCHAR) AS match_key, a AS join_key_l, b AS join_key_r"
    return f"SELECT {columns} FROM ({union}) AS found(rule, a, b) GROUP BY a, b"  # noqa: S608


# EM sessions: each blocks on columns of some comparisons and estimates the others.
# EM sessions, each with a fallback for data that lacks the first rule's columns. Pairs
# sharing a NIK are nearly all true matches, so the first session gives clean m values for
# names, dates and places; the second (same date, same sounding name) estimates the
# identifiers. Without NIKs (FEBRL, some registries) the fallbacks block on name and place.
TRAINING_BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("l.nik = r.nik", "l.dob = r.dob AND l.reg2 = r.reg2"),
    (
        "l.dob = r.dob AND l.name_phon = r.name_phon",
        "l.dob_y = r.dob_y AND l.name_phon = r.name_phon",
    ),
)
MIN_TRAINING_PAIRS = 200


@dataclass(frozen=True)
class Thresholds:
    """Match probabilities: at or above `auto_link` two records are linked without review;
    from `review` up to `auto_link` the pair goes to the review queue."""

    auto_link: float = 0.88
    review: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 < self.review <= self.auto_link < 1.0:
            raise ValueError("Thresholds must satisfy 0 < review <= auto_link < 1.")


@dataclass(frozen=True)
class _Dialect:
    jaro_winkler: str
    size: str
    intersect_size: str


_DIALECTS: dict[str, _Dialect] = {
    "duckdb": _Dialect(
        jaro_winkler="jaro_winkler_similarity({a}, {b})",
        size="len({a})",
        intersect_size="len(list_intersect({a}, {b}))",
    ),
    "spark": _Dialect(
        jaro_winkler="jaro_winkler({a}, {b})",
        size="size({a})",
        intersect_size="size(array_intersect({a}, {b}))",
    ),
}


def _level(sql: str, label: str, m: float, u: float, *, null: bool = False) -> dict[str, Any]:
    level: dict[str, Any] = {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
    }
    if null:
        level["is_null_level"] = True
    return level


def _null(*columns: str) -> dict[str, Any]:
    sql = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def _else(m: float, u: float) -> dict[str, Any]:
    return _level("ELSE", "else", m, u)


def comparisons(engine: Engine) -> list[dict[str, Any]]:
    d = _DIALECTS[engine]

    def jw(column: str, threshold: float) -> str:
        return f"{d.jaro_winkler.format(a=column + '_l', b=column + '_r')} >= {threshold}"

    inter = d.intersect_size.format(a="name_toks_l", b="name_toks_r")
    smaller = f"least({d.size.format(a='name_toks_l')}, {d.size.format(a='name_toks_r')})"
    year_gap = "abs(dob_y_l - dob_y_r)"
    return [
        {
            "output_column_name": "nik",
            "comparison_levels": [
                _null("nik"),
                _level("nik_l = nik_r", "exact", 0.90, 2e-6),
                _level("levenshtein(nik_l, nik_r) <= 2", "typo", 0.06, 5e-5),
                _else(0.04, 0.99995),
            ],
        },
        {
            "output_column_name": "passport",
            "comparison_levels": [
                _null("passport"),
                _level("passport_l = passport_r", "exact", 0.85, 1e-6),
                _level("levenshtein(passport_l, passport_r) <= 1", "typo", 0.05, 1e-5),
                _else(0.10, 0.99999),
            ],
        },
        {
            "output_column_name": "name",
            "comparison_levels": [
                _null("name_sorted"),
                _level(
                    f"name_norm_l = name_norm_r AND {d.size.format(a='name_toks_l')} >= 2",
                    "exact",
                    0.50,
                    2e-4,
                ),
                _level("name_norm_l = name_norm_r", "exact, one word", 0.05, 3e-4),
                _level("name_sorted_l = name_sorted_r", "same words, other order", 0.06, 1e-5),
                _level("name_strong_l = name_strong_r", "same without weak words", 0.05, 1e-4),
                _level("name_phon_l = name_phon_r", "same sound", 0.08, 5e-4),
                _level(
                    "levenshtein(name_sorted_l, name_sorted_r) <= 2"
                    " AND least(length(name_sorted_l), length(name_sorted_r)) >= 6",
                    "a typo or two",
                    0.10,
                    1e-4,
                ),
                _level(jw("name_sorted", 0.92), "close spelling", 0.10, 2e-3),
                _level(
                    f"{inter} = {smaller} AND {smaller} >= 1", "one name within other", 0.06, 3e-3
                ),
                _level(f"{jw('name_sorted', 0.80)} OR {inter} >= 1", "partly similar", 0.06, 0.05),
                _else(0.04, 0.944),
            ],
        },
        {
            "output_column_name": "father",
            "comparison_levels": [
                _null("father"),
                _level("father_l = father_r", "exact", 0.7, 0.01),
                _level(jw("father", 0.9), "close", 0.15, 0.02),
                _else(0.15, 0.97),
            ],
        },
        {
            "output_column_name": "dob",
            "comparison_levels": [
                _null("dob_y"),
                _level("dob_l = dob_r", "exact", 0.60, 4e-5),
                _level(
                    "dob_y_l = dob_y_r AND dob_d_l = dob_m_r AND dob_m_l = dob_d_r",
                    "day and month swapped",
                    0.03,
                    4e-5,
                ),
                _level("levenshtein(dob_l, dob_r) <= 1", "one digit off", 0.06, 8e-4),
                _level(
                    "dob_y_l = dob_y_r"
                    " AND (dob_m_l IS NULL OR dob_m_r IS NULL OR dob_m_l = dob_m_r)"
                    " AND (dob_d_l IS NULL OR dob_d_r IS NULL OR dob_d_l = dob_d_r)",
                    "same year, rest unknown",
                    0.10,
                    0.02,
                ),
                _level(
                    f"dob_m_l = dob_m_r AND dob_d_l = dob_d_r AND {year_gap} <= 6",
                    "same day, year a few years off",
                    0.07,
                    2e-4,
                ),
                _level(f"{year_gap} <= 1", "year one off", 0.05, 0.05),
                _level(f"{year_gap} <= 6", "year a few off", 0.05, 0.2),
                _else(0.04, 0.7),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_levels": [
                _null("sex"),
                _level("sex_l = sex_r", "same", 0.98, 0.5),
                _else(0.02, 0.5),
            ],
        },
        {
            "output_column_name": "region",
            "comparison_levels": [
                _null("reg1"),
                _level("reg4_l = reg4_r", "same village", 0.40, 2e-4),
                _level(
                    "reg3_l = reg3_r AND (reg4_l IS NULL OR reg4_r IS NULL)",
                    "same district, village unknown",
                    0.25,
                    2e-3,
                ),
                _level("reg3_l = reg3_r", "same district, other village", 0.03, 2e-3),
                _level(
                    "reg2_l = reg2_r AND (reg3_l IS NULL OR reg3_r IS NULL)",
                    "same regency, district unknown",
                    0.20,
                    0.01,
                ),
                _level("reg2_l = reg2_r", "same regency, other district", 0.03, 0.02),
                _level("reg1_l = reg1_r", "same province", 0.04, 0.12),
                _else(0.05, 0.846),
            ],
        },
        {
            "output_column_name": "phone",
            "comparison_levels": [
                _null("phone"),
                _level("phone_l = phone_r", "exact", 0.6, 1e-6),
                _else(0.4, 0.999999),
            ],
        },
    ]


def settings(
    engine: Engine,
    *,
    probability_two_random_records_match: float = 1e-5,
    link_type: str = "dedupe_only",
) -> dict[str, Any]:
    """The untrained model: starting values only."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability_two_random_records_match,
        "comparisons": comparisons(engine),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule} for rule in PREDICTION_BLOCKING_RULES
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [],
        "em_convergence": 0.001,
        "max_iterations": 20,
    }


def for_engine(model: dict[str, Any], engine: Engine) -> dict[str, Any]:
    """A trained model moved to another engine: the same parameters, that engine's SQL."""
    moved = copy.deepcopy(model)
    fresh = {c["output_column_name"]: c for c in comparisons(engine)}
    for comparison in moved["comparisons"]:
        levels = fresh[comparison["output_column_name"]]["comparison_levels"]
        for level, new in zip(comparison["comparison_levels"], levels, strict=True):
            level["sql_condition"] = new["sql_condition"]
    moved.pop("sql_dialect", None)
    moved.pop("linker_uid", None)
    return moved


def parameters(model: dict[str, Any]) -> dict[str, list[tuple[str, float | None, float | None]]]:
    """(label, m, u) per level of each comparison, for the docs and the run page."""
    return {
        c["output_column_name"]: [
            (lvl.get("label_for_charts", ""), lvl.get("m_probability"), lvl.get("u_probability"))
            for lvl in c["comparison_levels"]
        ]
        for c in model["comparisons"]
    }


# Floors on trained values: a level never seen among the training pairs (a region that
# disagrees, say) must not become impossible for true matches.
M_FLOOR = 0.002
M_FLOOR_ELSE = 0.01
U_FLOOR = 1e-7


def with_floors(model: dict[str, Any]) -> dict[str, Any]:
    floored = copy.deepcopy(model)
    for comparison in floored["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            floor = M_FLOOR_ELSE if level["sql_condition"] == "ELSE" else M_FLOOR
            if level.get("m_probability") is not None:
                level["m_probability"] = max(level["m_probability"], floor)
            if level.get("u_probability") is not None:
                level["u_probability"] = max(level["u_probability"], U_FLOOR)
    return floored
