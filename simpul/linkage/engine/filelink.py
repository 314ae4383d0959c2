"""Link a standalone CSV or Parquet file of person records, without the database.

Reads `record_id, source, full_name, given_name, family_name, birth_date, sex, nik, passport,
phone, region_code` (missing columns count as empty), runs the same pipeline as the vault
linkage and writes `record_id, cluster_id, match_probability_to_cluster` in the format of
the output file's extension (.csv or .parquet).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from simpul.linkage.engine import pipeline
from simpul.linkage.engine.clustering import probability_to_cluster
from simpul.linkage.engine.features import INPUT_COLUMNS, FeatureBuilder
from simpul.linkage.engine.model import Thresholds


@dataclass(frozen=True)
class Summary:
    records: int
    clusters: int
    pairs: int
    seconds: float


def read_records(path: str) -> dict[str, list[Any]]:
    """The input columns as lists of strings (absent columns become empty)."""
    suffix = Path(path).suffix.lower()
    if suffix in {".parquet", ".pq"}:
        table = pq.read_table(path)
    elif suffix in {".csv", ".txt", ".gz"}:
        names = pacsv.read_csv(
            path, read_options=pacsv.ReadOptions(block_size=1 << 20)
        ).column_names
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
            ),
        )
    else:
        raise ValueError(f"{path}: use a .csv or .parquet file.")
    if "record_id" not in table.column_names:
        raise ValueError(f"{path}: the file needs a record_id column.")
    count = table.num_rows
    columns: dict[str, list[Any]] = {}
    for name in INPUT_COLUMNS:
        if name in table.column_names:
            columns[name] = [
                "" if v is None else str(v)
                for v in table.column(name).cast(pa.string()).to_pylist()
            ]
        else:
            columns[name] = [""] * count
    if len(set(columns["record_id"])) != count:
        raise ValueError(f"{path}: record_id values must be unique.")
    return columns


def read_records_from_rows(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The input columns from dictionaries (tests, notebooks)."""
    return {name: [str(r.get(name) or "") for r in rows] for name in INPUT_COLUMNS}


def link_columns(
    columns: dict[str, list[Any]],
    *,
    engine: str = "duckdb",
    thresholds: Thresholds | None = None,
    indonesian: bool = True,
    train: bool = True,
    spark: Any = None,
) -> tuple[pd.DataFrame, pipeline.LinkResult]:
    features = FeatureBuilder(indonesian=indonesian).build(columns)
    options = pipeline.Options(
        engine="spark" if engine == "spark" else "duckdb",
        thresholds=thresholds or Thresholds(),
        train=train,
    )
    result = pipeline.link(features, options=options, spark=spark)
    assignments = result.clusters.assignments
    links = result.pairs[result.pairs["p"] >= options.thresholds.auto_link]
    output = pd.DataFrame(
        {
            "record_id": assignments["record_id"],
            "cluster_id": assignments["cluster_id"],
            "match_probability_to_cluster": probability_to_cluster(assignments, links).to_numpy(),
        }
    )
    return output, result


def link_file(
    input_path: str,
    output_path: str,
    *,
    engine: str = "duckdb",
    thresholds: Thresholds | None = None,
    indonesian: bool = True,
    train: bool = True,
    pairs_path: str | None = None,
) -> Summary:
    started = time.perf_counter()
    columns = read_records(input_path)
    output, result = link_columns(
        columns, engine=engine, thresholds=thresholds, indonesian=indonesian, train=train
    )
    order = {rid: i for i, rid in enumerate(columns["record_id"])}
    output = output.sort_values("record_id", key=lambda s: s.map(order)).reset_index(drop=True)
    write_frame(output, output_path)
    if pairs_path:
        write_frame(result.pairs, pairs_path)
    return Summary(
        records=len(output),
        clusters=result.clusters.cluster_count,
        pairs=len(result.pairs),
        seconds=time.perf_counter() - started,
    )


def write_frame(frame: pd.DataFrame, path: str) -> None:
    suffix = Path(path).suffix.lower()
    if suffix in {".parquet", ".pq"}:
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, float_format="%.6f")
