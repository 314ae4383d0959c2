"""Train, predict and cluster: the whole linkage of one feature table, on DuckDB or Spark.

DuckDB runs embedded, in memory, with spilling to disk switched off, so decrypted identities
never reach a file. Spark (local mode in the tests, a cluster for national data) runs the
same SQL; its shuffle files are encrypted (`spark.io.encryption.enabled`).
"""

from __future__ import annotations

import copy
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simpul.linkage.engine import model as model_lib
from simpul.linkage.engine.clustering import ClusterResult, cluster
from simpul.linkage.engine.features import WRITTEN_COLUMNS
from simpul.linkage.engine.model import COMPARISONS, Engine, Thresholds

logger = logging.getLogger(__name__)

# Per-field partial match weights (log2 Bayes factors): the reasons of a score.
WEIGHT_COLUMNS = tuple(f"mw_{name}" for name in COMPARISONS)
PAIR_COLUMNS = ("a", "b", "p", "w", *WEIGHT_COLUMNS)
_WRITTEN_NAMES = frozenset(WRITTEN_COLUMNS.values())

Progress = Callable[[str, float], None]

# The prior is estimated from pairs these rules call matches, assumed to find 70 % of them.
PRIOR_RULES = ("l.nik = r.nik", "l.name_norm = r.name_norm AND l.dob = r.dob")
PRIOR_RECALL = 0.7
# Why the starting prior was kept (LinkResult.notes, LinkageRun.notes).
PRIOR_KEPT_NONE = "prior_kept_no_deterministic_match"
PRIOR_KEPT_ALL = "prior_kept_all_records_match"
PRIOR_KEPT_TOO_MANY = "prior_kept_more_matches_than_recall_allows"


@dataclass(frozen=True)
class Options:
    engine: Engine = "duckdb"
    thresholds: Thresholds = field(default_factory=Thresholds)
    # EM needs enough records to find matches among; below this the starting values stand.
    train: bool = True
    min_records_for_training: int = 2000
    u_max_pairs: float = 3e6
    em_max_pairs: float = 1.5e6
    seed: int = 5
    duckdb_threads: int = 2
    duckdb_memory_limit: str = "2500MB"
    predict_chunk_records: int = 500_000  # Spark
    predict_chunk_pairs: int = 12_000_000  # DuckDB: pairs scored at a time


@dataclass
class LinkResult:
    pairs: pd.DataFrame  # PAIR_COLUMNS, every scored pair at or above the review threshold
    clusters: ClusterResult
    model: dict[str, Any]
    trained: bool
    timings: dict[str, float]
    notes: list[str] = field(default_factory=list)

    @property
    def links(self) -> pd.DataFrame:
        return self.pairs


def _quiet_splink() -> None:
    for name in ("splink", "py4j"):
        logging.getLogger(name).setLevel(logging.WARNING)


def duckdb_api(options: Options) -> Any:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(options.duckdb_threads)}")
    con.execute(f"SET memory_limit = '{options.duckdb_memory_limit}'")
    # Never spill decrypted identities to disk: fail instead.
    con.execute("SET temp_directory = ''")
    con.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection=con)


def spark_session(app_name: str = "simpul-linkage", cores: int = 2) -> Any:
    """A local Spark session with Splink's similarity functions and encrypted shuffles."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app_name)
        .config("spark.jars", similarity_jar_location())
        .config("spark.io.encryption.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(max(2, cores * 2)))
        .config("spark.default.parallelism", str(max(2, cores * 2)))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def spark_api(spark: Any) -> Any:
    from splink import SparkAPI

    return SparkAPI(spark_session=spark, break_lineage_method="persist")


class Session:
    """One engine connection holding the feature table(s) and a Splink linker."""

    def __init__(
        self,
        features: pa.Table,
        *,
        options: Options,
        model: dict[str, Any] | None = None,
        spark: Any = None,
        row_ids: bool = False,
        validate: bool = True,
    ) -> None:
        """`row_ids`: the engine sees each record's row number as its id, not the 36-character
        UUID (joins and grouping on a 64-bit integer are much cheaper); pairs come back with
        the real ids. Only for the feature table itself, not for tables registered later.
        `validate=False` skips Splink's check of the settings against the columns (most of a
        one-record check's set-up time): for Simpul's own feature table and a model that a run
        has already used."""
        from splink import Linker

        _quiet_splink()
        self.options = options
        self.engine = options.engine
        self.ids: np.ndarray | None = None
        if row_ids:
            # Numbered in id order, not read order (a PostgreSQL scan may start mid-table):
            # the seeded samples of training then draw the same pairs on every run.
            if not is_sorted(features.column("unique_id")):
                features = features.sort_by("unique_id")
            self.ids = np.asarray(features.column("unique_id").to_pylist(), dtype=object)
            position = features.schema.get_field_index("unique_id")
            numbers = pa.array(np.arange(features.num_rows, dtype=np.int64))
            features = features.set_column(position, "unique_id", numbers)
        if self.engine == "spark":
            self.spark = spark or spark_session()
            self.db_api = spark_api(self.spark)
            table: Any = self.spark.createDataFrame(features.to_pandas())
        else:
            self.spark = None
            self.db_api = duckdb_api(options)
            table = features
        self.count = features.num_rows
        self.notes: list[str] = []  # what did not go as planned, in codes (PRIOR_KEPT_*)
        self.columns = features.schema.names
        # A unique name: a Spark session (and its catalogue) outlives one run.
        self.input = self.db_api.register(table, table_name=f"persons_{time.monotonic_ns()}")
        settings = (
            model_lib.for_engine(model, self.engine)
            if model is not None
            else model_lib.settings(self.engine)
        )
        self.settings = settings
        self.linker = Linker(self.input, settings, log_level=None, validate_settings=validate)

    def _reload(self, model: dict[str, Any]) -> None:
        from splink import Linker

        self.linker = Linker(self.input, model_lib.for_engine(model, self.engine), log_level=None)

    def train(self, progress: Progress | None = None) -> bool:
        """Estimate the parameters from the data (EM); False when there are too few records."""
        if self.count < self.options.min_records_for_training:
            return False
        if progress:
            progress("estimate_prior", 0.0)
        linker = self._linker_with_prior()
        training = linker.training
        if progress:
            progress("estimate_u", 0.0)
        all_pairs = self.count * (self.count - 1) / 2
        training.estimate_u_using_random_sampling(
            max_pairs=min(self.options.u_max_pairs, all_pairs), seed=self.options.seed
        )
        for choices in model_lib.TRAINING_BLOCKING_RULES:
            if progress:
                progress("estimate_m", 0.0)
            for rule in choices:
                if _pairs_for(linker, rule, self.count) < model_lib.MIN_TRAINING_PAIRS:
                    continue
                training.estimate_parameters_using_expectation_maximisation(
                    rule, max_pairs=self.options.em_max_pairs
                )
                break
        self._reload(model_lib.with_floors(linker.misc.save_model_to_json()))
        return True

    def _linker_with_prior(self, rules: tuple[str, ...] = PRIOR_RULES) -> Any:
        """A training linker whose prior (the probability that two random records match) is
        estimated from deterministic matches. When the rules find none, or more than the
        assumed recall allows, the starting value is kept and the reason is recorded in
        `notes` (and so on the run); any other error propagates."""
        linker = self._training_linker()
        try:
            linker.training.estimate_probability_two_random_records_match(
                list(rules), recall=PRIOR_RECALL
            )
        except ValueError as exc:
            if "more observed matches" not in str(exc):
                raise
            self.notes.append(PRIOR_KEPT_TOO_MANY)
            logger.warning("Prior not estimated (%s); keeping the starting value.", exc)
            return self._training_linker()
        prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
        if not 0 < prior < 1:
            # Splink only warns: a prior of 0 (no deterministic match) or 1 would make every
            # later estimate meaningless.
            self.notes.append(PRIOR_KEPT_NONE if prior <= 0 else PRIOR_KEPT_ALL)
            logger.warning("Prior estimated as %s; keeping the starting value.", prior)
            return self._training_linker()
        return linker

    def _training_linker(self) -> Any:
        """A linker over the records as written: EM learns from what registries write, not
        from what the NIK completed (which agrees by construction among pairs sharing that
        NIK)."""
        from splink import Linker

        return Linker(self.written_table(), copy.deepcopy(self.settings), log_level=None)

    def written_table(self) -> Any:
        """The feature table with the birth dates and regions as written
        (`features.WRITTEN_COLUMNS` in place of the compared columns), as a view."""
        columns = ", ".join(
            f"{WRITTEN_COLUMNS[name]} AS {name}" if name in WRITTEN_COLUMNS else name
            for name in self.columns
            if name not in _WRITTEN_NAMES
        )
        name = f"written_{time.monotonic_ns()}"
        sql = f"SELECT {columns} FROM {self.input.physical_name}"  # noqa: S608
        if self.engine == "spark":
            self.spark.sql(sql).createOrReplaceTempView(name)
        else:
            self.db_api.duckdb_con.execute(f"CREATE VIEW {name} AS {sql}")
        return self.db_api.register(name, table_name=name)

    def model(self) -> dict[str, Any]:
        trained: dict[str, Any] = self.linker.misc.save_model_to_json()
        return trained

    def predict(self, threshold: float) -> pd.DataFrame:
        if self.engine == "duckdb":
            return self._predict_blocked_pairs(threshold)
        # Large inputs are scored in slices of records, so memory stays bounded; each slice
        # keeps only the pairs above the threshold.
        chunks = max(1, math.ceil(self.count / self.options.predict_chunk_records))
        predictions = self.linker.inference.predict(
            threshold_match_probability=threshold,
            warning_mode="never",
            num_chunks_left=chunks if chunks > 1 else None,
            num_chunks_right=1 if chunks > 1 else None,
        )
        return self._pairs(predictions)

    def _predict_blocked_pairs(self, threshold: float) -> pd.DataFrame:
        """DuckDB: block with one join per key column and a distinct over all pairs (the same
        pairs as Splink's rule-by-rule blocking, which re-checks every earlier rule on every
        candidate pair), then let Splink score them in slices so memory stays bounded
        (spilling to disk is off); each slice keeps only the pairs above the threshold."""
        con = self.db_api.duckdb_con
        name = f"blocked_{time.monotonic_ns()}"
        con.execute(
            f"CREATE TABLE {name} AS {model_lib.blocked_pairs_sql(self.input.physical_name)}"
        )
        row = con.execute(f"SELECT count(*) FROM {name}").fetchone()  # noqa: S608
        chunks = max(1, math.ceil((row[0] if row else 0) / self.options.predict_chunk_pairs))
        parts = [f"{name}_{k}" for k in range(chunks)]
        for k, part in enumerate(parts):
            where = f"hash(join_key_l) % {chunks} = {k}"
            con.execute(f"CREATE TABLE {part} AS SELECT * FROM {name} WHERE {where}")  # noqa: S608
        con.execute(f"DROP TABLE {name}")
        frames = []
        try:
            for part in parts:
                blocked = self.db_api.table_to_splink_dataframe("__splink__blocked_id_pairs", part)
                self.linker.table_management.register_blocked_pairs_for_predict(blocked)
                predictions = self.linker.inference.predict(
                    threshold_match_probability=threshold, warning_mode="never"
                )
                frames.append(self._pairs(predictions))
                con.execute(f"DROP TABLE {part}")
        finally:
            for part in parts:
                con.execute(f"DROP TABLE IF EXISTS {part}")
            self.linker.table_management.invalidate_cache()
        return normalise_pairs(pd.concat(frames, ignore_index=True))

    def _pairs(self, predictions: Any) -> pd.DataFrame:
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
        if self.engine == "spark":
            frame = self.spark.sql(sql).toPandas()
        else:
            frame = self.db_api.duckdb_con.sql(sql).df()
        predictions.drop_table_from_database_and_remove_from_cache()
        if self.ids is not None and len(frame):
            frame["a"] = self.ids[frame["a"].to_numpy(dtype=np.int64)]
            frame["b"] = self.ids[frame["b"].to_numpy(dtype=np.int64)]
        return normalise_pairs(frame)

    def register(self, features: pa.Table, name: str) -> Any:
        table: Any = features
        if self.engine == "spark":
            table = self.spark.createDataFrame(features.to_pandas())
        return self.db_api.register(table, table_name=name)

    def predict_between(self, new: pa.Table, existing: pa.Table, threshold: float) -> pd.DataFrame:
        """Score new records against existing ones and among themselves (incremental run)."""
        stamp = str(time.monotonic_ns())
        new_sdf = self.register(new, f"new_{stamp}")
        frames = []
        if existing.num_rows:
            old_sdf = self.register(existing, f"old_{stamp}")
            between = self.linker.inference.predict_between(
                new_sdf, old_sdf, threshold_match_probability=threshold, warning_mode="never"
            )
            frames.append(self._pairs(between))
        if new.num_rows > 1:
            within = self.linker.inference.predict_within(
                new_sdf, threshold_match_probability=threshold, warning_mode="never"
            )
            frames.append(self._pairs(within))
        if not frames:
            return empty_pairs()
        return normalise_pairs(pd.concat(frames, ignore_index=True))

    def score_against(self, record: pa.Table, candidates: pa.Table) -> pd.DataFrame:
        """Score one or a few records against every candidate (no blocking)."""
        if not candidates.num_rows or not record.num_rows:
            return empty_pairs()
        stamp = str(time.monotonic_ns())
        left = self.register(record, f"one_{stamp}")
        right = self.register(candidates, f"cand_{stamp}")
        scored = self.linker.inference.score_pairs(left, right)
        return self._pairs(scored)

    def close(self) -> None:
        if self.engine == "duckdb":
            self.db_api.duckdb_con.close()
        else:
            self.db_api.delete_tables_created_by_splink_from_db()


def _pairs_for(linker: Any, rule: str, count: int) -> float:
    counted = linker.blocking_analysis.count_comparisons_from_blocking_rules(
        [rule], record_sample_proportion=1.0 if count < 200_000 else 0.1
    )
    return float(counted[0]["marginal_comparison_count"]) if counted else 0.0


def is_sorted(values: pa.ChunkedArray) -> bool:
    if len(values) < 2:
        return True
    return bool(pc.all(pc.less_equal(values[:-1], values[1:])).as_py())


def empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in "ab" else float) for c in PAIR_COLUMNS})


def normalise_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Each pair once, with a < b, the strongest score kept."""
    if not len(frame):
        return empty_pairs()
    a = frame["a"].astype(str)
    b = frame["b"].astype(str)
    swap = a > b
    frame = frame.assign(a=a.where(~swap, b), b=b.where(~swap, a))
    frame = frame.sort_values("p", ascending=False, kind="stable").drop_duplicates(["a", "b"])
    frame = frame[frame["a"] != frame["b"]]
    return frame.reset_index(drop=True)


def link(
    features: pa.Table,
    *,
    options: Options | None = None,
    model: dict[str, Any] | None = None,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    previous: Mapping[str, str] | None = None,
    spark: Any = None,
    progress: Progress | None = None,
) -> LinkResult:
    """Link every record of `features` (a full run)."""
    options = options or Options()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    session = Session(features, options=options, model=model, spark=spark, row_ids=True)
    try:
        trained = False
        if options.train:
            trained = session.train(progress)
        timings["train"] = time.perf_counter() - started
        if progress:
            progress("predict", 0.0)
        mark = time.perf_counter()
        pairs = session.predict(options.thresholds.review)
        timings["predict"] = time.perf_counter() - mark
        trained_model = session.model()
        notes = list(session.notes)
    finally:
        session.close()
    if progress:
        progress("cluster", 0.0)
    mark = time.perf_counter()
    links = pairs[pairs["p"] >= options.thresholds.auto_link]
    result = cluster(
        features.column("unique_id").to_pylist(),
        links,
        must_link=must_link,
        cannot_link=cannot_link,
        previous=previous,
        identifiers=nik_identifiers(features),
    )
    timings["cluster"] = time.perf_counter() - mark
    return LinkResult(pairs, result, trained_model, trained, timings, notes)


def nik_identifiers(features: pa.Table) -> list[str | None]:
    """Full 16-digit NIKs (shorter ones are too broken to keep records apart)."""
    return [
        n if n is not None and len(n) == 16 else None for n in features.column("nik").to_pylist()
    ]


def clip_probability(p: float) -> float:
    return 0.0 if math.isnan(p) else max(0.0, min(1.0, p))
