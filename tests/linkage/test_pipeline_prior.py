"""The pipeline no longer swallows an error while estimating the prior (issue 13, item 4):
when the deterministic rules find no match, the starting prior is kept and the run says so;
any other error propagates."""

import pytest

from simpul.linkage.engine import model as model_lib
from simpul.linkage.engine import pipeline
from simpul.linkage.engine.features import build_features

NAMES = [
    "Siti Aminah",
    "Dewi Lestari",
    "Rina Marlina",
    "Ni Luh Putu Ayu",
    "Muhammad Rizki",
    "Yohana Simanjuntak",
]


def _distinct_people():
    """Six different people: no shared NIK, no shared name and birth date."""
    n = len(NAMES)
    return build_features(
        {
            "record_id": [f"r{i}" for i in range(n)],
            "full_name": NAMES,
            "nik": [""] * n,
            "birth_date": [f"19{80 + i}-0{1 + i}-1{i}" for i in range(n)],
            "region_code": ["61.01.09"] * n,
        }
    )


def test_no_deterministic_match_keeps_the_starting_prior_and_records_why():
    options = pipeline.Options(min_records_for_training=2)
    starting = model_lib.settings("duckdb")["probability_two_random_records_match"]
    result = pipeline.link(_distinct_people(), options=options)
    assert result.trained is True
    assert result.notes == [pipeline.PRIOR_KEPT_NONE]
    # Before: Splink set the prior to 0 and training went on from there.
    prior = result.model["probability_two_random_records_match"]
    assert prior == pytest.approx(starting)
    assert 0 < prior < 1


def test_any_other_error_while_estimating_the_prior_propagates():
    """A broken rule is a real error: the run fails instead of carrying on."""
    session = pipeline.Session(_distinct_people(), options=pipeline.Options())
    try:
        with pytest.raises(Exception, match="no_such_column"):
            session._linker_with_prior(("l.no_such_column = r.no_such_column",))
    finally:
        session.close()
    assert session.notes == []
