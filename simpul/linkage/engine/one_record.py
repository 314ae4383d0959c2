"""Scoring one record against its candidates, fast enough for a check on every save.

Building a Splink linker for every check spent nearly all of a check's time writing SQL (the
settings' comparisons parsed by sqlglot, ~0.4 s of 0.43 s per check, profiled on a
3,000-person database). Splink's real-time path (`compare_records` with an SQL cache key, the
documented way to score records as they arrive) writes the scoring SQL once per model and
then only runs it. A `OneRecordScorer` keeps one in-memory DuckDB connection and the model
for the life of a worker process; `scorer_for(model)` gives the process's scorer for the
current model and starts a new one when a run has trained another.

The scores are Splink's own, from the same SQL (`tests/linkage/test_one_record_scorer.py`
compares them with a full linker's `score_pairs` on the same pairs).
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any

import pandas as pd
import pyarrow as pa

from simpul.linkage.engine import model as model_lib
from simpul.linkage.engine.pipeline import (
    WEIGHT_COLUMNS,
    Options,
    _quiet_splink,
    duckdb_api,
    empty_pairs,
    normalise_pairs,
)


def fingerprint(model: dict[str, Any]) -> str:
    """A short stable key of a model's parameters: a new run's model is a new key."""
    text = json.dumps(model, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class OneRecordScorer:
    """One DuckDB connection (one thread, no spilling) scoring records with one model."""

    def __init__(self, model: dict[str, Any]) -> None:
        _quiet_splink()
        self.key = f"simpul-one-record-{fingerprint(model)}"
        self.settings = model_lib.for_engine(model, "duckdb")
        self.db_api = duckdb_api(Options(engine="duckdb", duckdb_threads=1))
        self.lock = threading.Lock()

    def score(self, record: pa.Table, candidates: pa.Table) -> pd.DataFrame:
        """Every (record, candidate) pair scored, no blocking: a, b, p, w and the weights."""
        from splink.internals.realtime import compare_records

        if not record.num_rows or not candidates.num_rows:
            return empty_pairs()
        with self.lock:  # one DuckDB connection is not shared between threads
            predictions = compare_records(
                record, candidates, self.settings, self.db_api, sql_cache_key=self.key
            )
            try:
                columns = ", ".join(
                    [
                        "unique_id_l AS a",
                        "unique_id_r AS b",
                        "match_probability AS p",
                        "match_weight AS w",
                        *(f"CAST({c} AS FLOAT) AS {c}" for c in WEIGHT_COLUMNS),
                    ]
                )
                sql = f"SELECT {columns} FROM {predictions.physical_name}"  # noqa: S608
                frame = self.db_api.duckdb_con.sql(sql).df()
            finally:
                # From the cached SQL Splink does not mark the table as its own; it is.
                predictions.drop_table_from_database_and_remove_from_cache(
                    force_non_splink_table=True
                )
                self._drop_inputs()
        return normalise_pairs(frame)

    def _drop_inputs(self) -> None:
        """The two input tables `compare_records` registered (views over the Arrow tables):
        dropped at once, so nothing decrypted stays referenced between checks."""
        con = self.db_api.duckdb_con
        names = con.execute(
            "SELECT view_name FROM duckdb_views() "
            "WHERE view_name LIKE '__splink__compare_records_%'"
        ).fetchall()
        for (name,) in names:
            con.unregister(name)
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE table_name LIKE '__splink__compare_records_%'"
        ).fetchall()
        for (name,) in tables:
            con.execute(f'DROP TABLE IF EXISTS "{name}"')

    def close(self) -> None:
        self.db_api.duckdb_con.close()


_current: OneRecordScorer | None = None
_current_lock = threading.Lock()


def scorer_for(model: dict[str, Any]) -> OneRecordScorer:
    """This process's scorer for `model`, made once per model."""
    global _current
    key = f"simpul-one-record-{fingerprint(model)}"
    with _current_lock:
        if _current is None or _current.key != key:
            if _current is not None:
                _current.close()
            _current = OneRecordScorer(model)
        return _current
