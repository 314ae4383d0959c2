"""Clusters from scored pairs, respecting reviewers' decisions, with ids that stay put.

Splink's own connected components cannot "never merge" two records, so clustering is done
here: a union-find over the links, strongest first, that refuses any union which would put
two records a reviewer called "not a match" into one cluster (cannot-link). Pairs a reviewer
called a match are applied first and always win over scores.

Cluster ids are carried over from the previous run by largest overlap, so a cluster that
gains or loses a record keeps its id; a cluster without a predecessor is named after a hash
of its smallest member id, so re-running from scratch on the same data gives the same ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph


@dataclass
class ClusterResult:
    # record_id -> cluster_id, for every record given
    assignments: pd.DataFrame
    # Links that were not applied because a reviewer said "not a match" somewhere in between.
    refused_links: int = 0
    # Reviewer "match" decisions that contradict a "not a match" (reported, not applied).
    conflicting_matches: list[tuple[str, str]] = field(default_factory=list)
    # The links that joined two clusters (a spanning forest of the links, strongest first):
    # enough to rebuild every cluster, and each record's strongest link is among them.
    joining_links: pd.DataFrame | None = None

    @property
    def cluster_count(self) -> int:
        return int(self.assignments["cluster_id"].nunique())


def _close(a: str, b: str, limit: int = 2) -> bool:
    """True when two identifiers differ by at most `limit` edits (typo tolerance)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    if len(a) == len(b):
        differing = sum(x != y for x, y in zip(a, b, strict=True))
        if differing <= limit:
            return True
        if differing > 2 * limit + 2:
            return False  # no shift of a few characters explains so many differences
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


class _UnionFind:
    def __init__(self, size: int, identifiers: Sequence[str | None] | None = None) -> None:
        self.parent = list(range(size))
        self.cannot: dict[int, set[int]] = {}
        # NIKs per cluster root: one person has one NIK (give or take a typo), so a union
        # that would put two different NIKs in one cluster is refused.
        self.nik_of: Sequence[str | None] = identifiers if identifiers is not None else ()
        self.niks: dict[int, set[str]] = {}

    def _niks(self, root: int) -> set[str] | tuple[str, ...]:
        merged = self.niks.get(root)
        if merged is not None:
            return merged
        own = self.nik_of[root] if self.nik_of else None
        return (own,) if own else ()

    def _identifiers_clash(self, ra: int, rb: int) -> bool:
        left, right = self._niks(ra), self._niks(rb)
        if not left or not right:
            return False
        return any(not _close(x, y) for x in left for y in right)

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def forbid(self, a: int, b: int) -> None:
        self.cannot.setdefault(a, set()).add(b)
        self.cannot.setdefault(b, set()).add(a)

    def union(self, a: int, b: int, *, reviewed: bool = False) -> bool:
        """Join the clusters of a and b unless a cannot-link pair would end up together
        (or, for a scored link, two different NIKs)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not reviewed and self._identifiers_clash(ra, rb):
            return False
        cannot_a, cannot_b = self.cannot.get(ra), self.cannot.get(rb)
        if cannot_a is not None and cannot_b is not None:
            if len(cannot_a) > len(cannot_b):
                cannot_a, cannot_b, ra, rb = cannot_b, cannot_a, rb, ra
            if any(self.find(x) == rb for x in cannot_a):
                return False
        elif cannot_a is not None:
            if any(self.find(x) == rb for x in cannot_a):
                return False
        elif cannot_b is not None and any(self.find(x) == ra for x in cannot_b):
            return False
        niks_a, niks_b = self._niks(ra), self._niks(rb)
        self.parent[rb] = ra
        if niks_b:
            self.niks[ra] = {*niks_a, *niks_b}
            self.niks.pop(rb, None)
        if cannot_b is not None:
            self.cannot.setdefault(ra, set()).update(cannot_b)
            del self.cannot[rb]
        return True


def fresh_cluster_id(smallest_member: str, salt: int = 0) -> str:
    text = smallest_member if salt == 0 else f"{smallest_member}#{salt}"
    return "C" + hashlib.sha256(text.encode()).hexdigest()[:15].upper()


def cluster(
    record_ids: Sequence[str],
    links: pd.DataFrame,
    *,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    previous: Mapping[str, str] | None = None,
    identifiers: Sequence[str | None] | None = None,
) -> ClusterResult:
    """Cluster `record_ids` over `links` (columns a, b, p: pairs at or above the link
    threshold), applying reviewers' decisions and carrying over `previous` cluster ids.

    `identifiers` (aligned with `record_ids`, e.g. the NIK) keeps records with clearly
    different identifiers apart unless a reviewer joined them."""
    ids = pd.Index(pd.unique(np.asarray(record_ids, dtype=object)))
    if identifiers is not None and len(ids) != len(record_ids):
        raise ValueError("Record ids must be unique when identifiers are given.")
    uf = _UnionFind(len(ids), identifiers)
    position = ids.get_indexer

    cannot = [(a, b) for a, b in cannot_link if a in ids and b in ids]
    if cannot:
        left = position([a for a, _ in cannot])
        right = position([b for _, b in cannot])
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            uf.forbid(a, b)

    conflicts: list[tuple[str, str]] = []
    must = [(a, b) for a, b in must_link if a in ids and b in ids]
    if must:
        left = position([a for a, _ in must])
        right = position([b for _, b in must])
        for (a_id, b_id), a, b in zip(must, left.tolist(), right.tolist(), strict=True):
            if not uf.union(a, b, reviewed=True):
                conflicts.append((a_id, b_id))

    refused = 0
    joining = np.zeros(len(links), dtype=bool)
    roots = np.arange(len(ids), dtype=np.int64)
    if len(links):
        order = np.argsort(-links["p"].to_numpy(), kind="stable")
        left = position(links["a"].to_numpy()[order])
        right = position(links["b"].to_numpy()[order])
        valid = np.flatnonzero((left >= 0) & (right >= 0))
        order, left, right = order[valid], left[valid], right[valid]
        decided = [*position([a for pair in (*must, *cannot) for a in pair]).tolist()]
        hard = _hard_components(len(ids), left, right, decided, identifiers)
        # Components with no decision and at most one NIK: every link joins, strongest
        # first, so the component is the cluster and its joining links a maximum spanning
        # tree, both found in C. Only the rest go through the union-find one link at a time.
        easy = ~hard.links
        joining[order[easy]] = _spanning_forest(
            len(ids), left[easy], right[easy], links["p"].to_numpy()[order[easy]]
        )
        find, union = uf.find, uf.union
        for k, a, b in zip(
            order[hard.links].tolist(),
            left[hard.links].tolist(),
            right[hard.links].tolist(),
            strict=True,
        ):
            if find(a) == find(b):
                continue
            if union(a, b):
                joining[k] = True
            else:
                refused += 1
        roots = np.where(hard.records, roots, len(ids) + hard.component)
    in_union_find = np.flatnonzero(roots < len(ids))
    roots[in_union_find] = [uf.find(i) for i in in_union_find.tolist()]
    cluster_ids = _stable_ids(ids, roots, previous or {})
    assignments = pd.DataFrame({"record_id": ids.to_numpy(), "cluster_id": cluster_ids})
    return ClusterResult(assignments, refused, conflicts, links[joining])


@dataclass
class _Hard:
    component: np.ndarray  # component label of each record (over all links)
    records: np.ndarray  # record is in a component that needs the union-find
    links: np.ndarray  # link (in the given order) lies in such a component


def _hard_components(
    size: int,
    left: np.ndarray,
    right: np.ndarray,
    decided: Sequence[int],
    identifiers: Sequence[str | None] | None,
) -> _Hard:
    """Components (over all links) where some union could be refused or was decided: one
    holding a record of a reviewer's decision, or two different NIKs."""
    graph = sparse.coo_matrix(
        (np.ones(len(left), dtype=np.int8), (left, right)), shape=(size, size)
    )
    _count, component = csgraph.connected_components(graph, directed=False)
    flagged = np.zeros(size, dtype=bool)
    flagged[list(decided)] = True
    if identifiers is not None and len(identifiers):
        niks = pd.Series(identifiers, dtype=object)
        distinct = niks.groupby(component).nunique()
        flagged |= distinct.reindex(component).to_numpy() > 1
    hard_component = np.zeros(component.max() + 1 if size else 0, dtype=bool)
    hard_component[component[flagged]] = True
    records = hard_component[component]
    return _Hard(component, records, records[left])


def _spanning_forest(
    size: int, left: np.ndarray, right: np.ndarray, strength: np.ndarray
) -> np.ndarray:
    """Which of the links form a maximum spanning forest (each record's strongest link is
    in it): a minimum spanning tree over 2 - p, which keeps every weight above zero."""
    if not len(left):
        return np.zeros(0, dtype=bool)
    graph = sparse.coo_matrix((2.0 - strength, (left, right)), shape=(size, size)).tocsr()
    tree = csgraph.minimum_spanning_tree(graph).tocoo()
    chosen = pd.MultiIndex.from_arrays([tree.row, tree.col])
    wanted = pd.MultiIndex.from_arrays([left, right])
    mirrored = pd.MultiIndex.from_arrays([right, left])
    return np.asarray(wanted.isin(chosen) | mirrored.isin(chosen))


def _stable_ids(ids: pd.Index, roots: np.ndarray, previous: Mapping[str, str]) -> np.ndarray:
    frame = pd.DataFrame({"record_id": ids.to_numpy(), "root": roots})
    # The smallest member id of each cluster, through integer ranks (grouping strings is slow).
    order = np.argsort(ids.to_numpy().astype(str), kind="stable")
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    min_rank = pd.Series(rank).groupby(roots).min()
    smallest = pd.Series(ids.to_numpy()[order[min_rank.to_numpy()]], index=min_rank.index)
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    if previous:
        # Previous ids as sorted integer codes, so grouping and ordering never compare text.
        codes, names = pd.factorize(frame["record_id"].map(previous), sort=True)
        frame["prev"] = codes
        overlap = frame[codes >= 0].groupby(["root", "prev"]).size().rename("n").reset_index()
        if len(overlap):
            # Most records first; ties to the cluster with the smallest member, then to the
            # smallest previous id.
            order = np.lexsort(
                (
                    overlap["prev"].to_numpy(),
                    min_rank.reindex(overlap["root"]).to_numpy(),
                    -overlap["n"].to_numpy(),
                )
            )
            overlap = overlap.iloc[order]
            overlap["prev"] = names[overlap["prev"].to_numpy()]
            for root, prev in zip(overlap["root"].tolist(), overlap["prev"].tolist(), strict=True):
                if root in chosen or prev in taken:
                    continue
                chosen[root] = prev
                taken.add(prev)
    # Ids of dissolved clusters are never handed to a different group.
    retired = set(previous.values()) - taken if previous else set()
    for root, member in zip(smallest.index.tolist(), smallest.tolist(), strict=True):
        if root in chosen:
            continue
        salt = 0
        candidate = fresh_cluster_id(member)
        while candidate in taken or candidate in retired:
            salt += 1
            candidate = fresh_cluster_id(member, salt)
        chosen[int(root)] = candidate
        taken.add(candidate)
    return frame["root"].map(chosen).to_numpy(dtype=object)


def probability_to_cluster(assignments: pd.DataFrame, pairs: pd.DataFrame) -> pd.Series:
    """For each record, the strongest scored link to another member of its cluster (NaN
    when it is alone in its cluster or only joined by a reviewer's decision)."""
    cluster_of = assignments.set_index("record_id")["cluster_id"]
    if not len(pairs):
        return pd.Series(np.nan, index=assignments["record_id"])
    same = pairs["a"].map(cluster_of).to_numpy() == pairs["b"].map(cluster_of).to_numpy()
    inside = pairs[same]
    best = (
        pd.concat(
            [
                inside[["a", "p"]].rename(columns={"a": "id"}),
                inside[["b", "p"]].rename(columns={"b": "id"}),
            ]
        )
        .groupby("id")["p"]
        .max()
    )
    return assignments["record_id"].map(best)
