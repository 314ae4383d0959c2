"""How much the synthetic quality figures move with the population and the training sample.

The model's u values come from a random sample of record pairs, so one run is one draw. This
links the synthetic population of each `--data-seeds` seed once per `--train-seeds` seed and
clusters the scored pairs at each `--thresholds` value, printing a Markdown table (persons
found against the truth, pair precision/recall/F1 of the clusters, exact-cluster and B-cubed
F1).

Run on demand (not part of the test suite):
    .venv/bin/python bench/linkage_seeds.py --persons 20000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _numbers(text: str, kind: type) -> list:
    return [kind(part) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--data-seeds", default="2026,7")
    parser.add_argument("--train-seeds", default="1,5")
    parser.add_argument("--thresholds", default="0.86,0.88")
    args = parser.parse_args()

    from simpul.linkage.engine import pipeline
    from simpul.linkage.engine.clustering import cluster
    from simpul.linkage.engine.evaluation import bcubed_scores, cluster_scores, pair_scores
    from simpul.linkage.engine.features import FeatureBuilder, rows_to_columns
    from tools import synthetic_people as synthetic

    print(
        "| population seed | training seed | threshold | persons found"
        " | pairs P / R / F1 | exact clusters F1 | B-cubed F1 |"
    )
    print("|---|---|---|---|---|---|---|")
    for data_seed in _numbers(args.data_seeds, int):
        rows = synthetic.generate(args.persons, seed=data_seed)
        truth = {row["record_id"]: row["person_id"] for row in rows}
        people = len(set(truth.values()))
        features = FeatureBuilder().build(rows_to_columns(rows))
        ids = features.column("unique_id").to_pylist()
        niks = pipeline.nik_identifiers(features)
        for train_seed in _numbers(args.train_seeds, int):
            result = pipeline.link(features, options=pipeline.Options(seed=train_seed))
            for threshold in _numbers(args.thresholds, float):
                links = result.pairs[result.pairs["p"] >= threshold]
                assignments = cluster(ids, links, identifiers=niks).assignments
                records = assignments["record_id"].tolist()
                clusters = assignments["cluster_id"].tolist()
                people_of = [truth[record] for record in records]
                pairs = pair_scores(records, people_of, clusters)
                exact = cluster_scores(people_of, clusters)
                bcubed = bcubed_scores(people_of, clusters)
                found = assignments["cluster_id"].nunique()
                print(
                    f"| {data_seed} | {train_seed} | {threshold:.2f} | {found:,} "
                    f"({(found / people - 1) * 100:+.2f} %) | {pairs.precision:.4f} / "
                    f"{pairs.recall:.4f} / {pairs.f1:.4f} | {exact.f1:.4f} | {bcubed.f1:.4f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
