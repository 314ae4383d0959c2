"""The one-record scorer (Splink's real-time path with its SQL cache) gives the same scores as
a full Splink linker, and keeps nothing decrypted in its DuckDB connection between checks."""

from datetime import date

from simpul.identity.data import IdentityData
from simpul.linkage import source
from simpul.linkage.engine import model as model_lib
from simpul.linkage.engine import one_record, pipeline
from simpul.linkage.service import _features_only
from tests.linkage.helpers import nik

BORN = date(1996, 2, 14)


def _features(rows: list[tuple[str, IdentityData]]):
    return _features_only(
        source.features_for_identities([(rid, data, "61.01.09", "") for rid, data in rows])
    )


def _tables():
    record = _features(
        [("new", IdentityData(full_name="Siti Aminah", nik=nik(BORN, 3), birth_date="1996-02-14"))]
    )
    candidates = _features(
        [
            ("same", IdentityData(full_name="SITI AMINAH", nik=nik(BORN, 3), sex="F")),
            ("typo", IdentityData(full_name="Siti Aminnah", birth_date="1996-02-14")),
            ("year", IdentityData(full_name="Siti Aminah", birth_date="1993")),
            ("other", IdentityData(full_name="Dewi Lestari", birth_date="1980-07-01", sex="F")),
        ]
    )
    return record, candidates


def test_the_one_record_scorer_scores_as_the_full_linker_does():
    record, candidates = _tables()
    model = model_lib.settings("duckdb")
    session = pipeline.Session(
        candidates, options=pipeline.Options(engine="duckdb", duckdb_threads=1), model=model
    )
    try:
        expected = session.score_against(record, candidates).sort_values("b")
    finally:
        session.close()
    scorer = one_record.OneRecordScorer(model)
    try:
        first = scorer.score(record, candidates).sort_values("b")
        again = scorer.score(record, candidates).sort_values("b")  # from the cached SQL
    finally:
        scorer.close()
    assert list(first["b"]) == list(expected["b"]) == ["other", "same", "typo", "year"]
    for got in (first, again):
        assert list(got["a"]) == ["new"] * 4
        for column in pipeline.PAIR_COLUMNS[2:]:
            assert got[column].round(6).tolist() == expected[column].round(6).tolist(), column
    p = dict(zip(first["b"], first["p"], strict=True))
    assert p["same"] > 0.99 and p["other"] < 0.01


def test_nothing_stays_in_the_connection_between_checks():
    record, candidates = _tables()
    scorer = one_record.OneRecordScorer(model_lib.settings("duckdb"))
    try:
        for _ in range(3):
            scorer.score(record, candidates)
        con = scorer.db_api.duckdb_con
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone() == (
            0,
        )
        assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == (0,)
    finally:
        scorer.close()


def test_one_scorer_per_model_in_a_process():
    first = model_lib.settings("duckdb")
    changed = {**first, "probability_two_random_records_match": 0.001}
    a = one_record.scorer_for(first)
    assert one_record.scorer_for(first) is a
    b = one_record.scorer_for(changed)
    assert b is not a and b.key != a.key
