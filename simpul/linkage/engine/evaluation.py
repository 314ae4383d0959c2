"""Precision, recall and F1 of pairs and of clusters against a known truth."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, true_positive: float, predicted: float, actual: float) -> Scores:
        precision = true_positive / predicted if predicted else 1.0
        recall = true_positive / actual if actual else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1)


def _pairs_within(groups: pd.Series) -> float:
    sizes = groups.value_counts().to_numpy(dtype=np.float64)
    return float((sizes * (sizes - 1) / 2).sum())


def pair_scores(record_ids: Sequence[str], truth: Sequence[str], clusters: Sequence[str]) -> Scores:
    """Pairwise scores of a clustering: every pair of records put in one cluster counts."""
    frame = pd.DataFrame({"id": record_ids, "truth": truth, "cluster": clusters})
    predicted = _pairs_within(frame["cluster"])
    actual = _pairs_within(frame["truth"])
    both = _pairs_within(frame["truth"].astype(str) + "\x1f" + frame["cluster"].astype(str))
    return Scores.of(both, predicted, actual)


def scored_pair_scores(
    pairs: pd.DataFrame, truth_of: dict[str, str], actual_pairs: float, threshold: float
) -> Scores:
    """Scores of the scored pairs at or above `threshold` (before clustering)."""
    above = pairs[pairs["p"] >= threshold]
    same = above["a"].map(truth_of).to_numpy() == above["b"].map(truth_of).to_numpy()
    return Scores.of(float(same.sum()), float(len(above)), actual_pairs)


def cluster_scores(truth: Sequence[str], clusters: Sequence[str]) -> Scores:
    """Exact-cluster scores: a predicted cluster is right when it holds exactly the records
    of one true person."""
    frame = pd.DataFrame({"truth": truth, "cluster": clusters})
    true_sets = set(frame.groupby("truth")["cluster"].apply(lambda s: tuple(sorted(s.index))))
    predicted_sets = set(frame.groupby("cluster")["truth"].apply(lambda s: tuple(sorted(s.index))))
    right = len(true_sets & predicted_sets)
    return Scores.of(right, len(predicted_sets), len(true_sets))


def bcubed_scores(truth: Sequence[str], clusters: Sequence[str]) -> Scores:
    """B-cubed scores: per record, the share of its cluster that is its person (precision)
    and the share of its person that is in its cluster (recall), averaged over records."""
    frame = pd.DataFrame({"truth": truth, "cluster": clusters}).astype(str)
    both = frame.groupby(["truth", "cluster"])["truth"].transform("size").to_numpy(float)
    cluster_size = frame.groupby("cluster")["cluster"].transform("size").to_numpy(float)
    person_size = frame.groupby("truth")["truth"].transform("size").to_numpy(float)
    precision = float((both / cluster_size).mean()) if len(frame) else 1.0
    recall = float((both / person_size).mean()) if len(frame) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def true_pair_count(truth: Sequence[str]) -> float:
    return _pairs_within(pd.Series(truth))
