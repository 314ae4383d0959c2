"""Linkage runs over the vault: full re-runs, incremental runs and the one-record check.

A run is a `LinkageRun` row; `execute_run` does the work and writes progress to the row, so
the run page can show it while a worker (`simpul.linkage.tasks.run_linkage`, queued by
`actions.request_run`) or `simpul link_persons --pending` executes it. Decrypted identities live
only in this process's memory (and its two worker processes) for the length of the run.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from simpul.audit.log import record as audit
from simpul.identity.crypto import blind_index
from simpul.identity.models import Person
from simpul.linkage import alerts, source, store
from simpul.linkage.engine import pipeline
from simpul.linkage.engine.clustering import cluster
from simpul.linkage.engine.model import COMPARISONS, Thresholds
from simpul.linkage.models import (
    Decision,
    LinkageRun,
    LinkedPair,
    LinkedRecord,
    PairStatus,
    ReviewDecision,
    RunMode,
    RunStatus,
)

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 300


def thresholds() -> Thresholds:
    """From settings `LINKAGE_AUTO_THRESHOLD` / `LINKAGE_REVIEW_THRESHOLD` (environment
    `SIMPUL_LINKAGE_AUTO_THRESHOLD`, `SIMPUL_LINKAGE_REVIEW_THRESHOLD`)."""
    return Thresholds(
        auto_link=float(settings.LINKAGE_AUTO_THRESHOLD),
        review=float(settings.LINKAGE_REVIEW_THRESHOLD),
    )


def ordered(a: Any, b: Any) -> tuple[str, str]:
    x, y = str(a), str(b)
    return (x, y) if x < y else (y, x)


def decisions() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(must-link, cannot-link) pairs from every reviewer decision."""
    must: list[tuple[str, str]] = []
    cannot: list[tuple[str, str]] = []
    for a, b, decision in ReviewDecision.objects.values_list(
        "person_a_id", "person_b_id", "decision"
    ):
        if decision == Decision.MATCH:
            must.append(ordered(a, b))
        elif decision == Decision.NON_MATCH:
            cannot.append(ordered(a, b))
    return must, cannot


def latest_model() -> dict[str, Any] | None:
    run = (
        LinkageRun.objects.filter(status=RunStatus.DONE, mode=RunMode.FULL)
        .exclude(model={})
        .order_by("-finished_at", "-id")
        .first()
    )
    return run.model if run is not None else None


def _weights(row: Any) -> dict[str, float]:
    return {
        name: round(float(getattr(row, f"mw_{name}")), 2)
        for name in COMPARISONS
        if getattr(row, f"mw_{name}") not in (0, None)
    }


def _pair_table(
    pairs: pd.DataFrame, limits: Thresholds, decided: set[tuple[str, str]], run_id: int
) -> pa.Table:
    """LinkedPair rows for `store`, built column-wise: the status from the score and the
    decisions, the weights as ready JSON (the fields that moved the score, to 2 places)."""
    p = pairs["p"].to_numpy(dtype=float)
    status = np.where(p >= limits.auto_link, PairStatus.LINKED.value, PairStatus.REVIEW.value)
    if decided and len(pairs):
        known = pd.MultiIndex.from_arrays([pairs["a"], pairs["b"]]).isin(list(decided))
        status = np.where(known, PairStatus.DECIDED.value, status)
    parts = []
    for name in COMPARISONS:
        weight = pa.array(pairs[f"mw_{name}"].to_numpy(dtype=float).round(2), from_pandas=True)
        text = pc.binary_join_element_wise(f'"{name}":', pc.cast(weight, pa.string()), ",", "")
        # Fields that did not move the score (weight 0, or none) are left out.
        parts.append(pc.fill_null(pc.if_else(pc.equal(weight, 0.0), "", text), ""))
    joined = pc.utf8_rtrim(pc.binary_join_element_wise(*parts, ""), characters=",")
    weights = pc.binary_join_element_wise("{", joined, "}", "")
    return pa.table(
        {
            "person_a_id": pa.array(pairs["a"].astype(str).to_numpy(), pa.string()),
            "person_b_id": pa.array(pairs["b"].astype(str).to_numpy(), pa.string()),
            "probability": pa.array(p, pa.float64()),
            "match_weight": pa.array(pairs["w"].to_numpy(dtype=float), pa.float64()),
            "weights": weights,
            "status": pa.array(status, pa.string()),
            "run_id": pa.array([run_id] * len(pairs), pa.int64()),
        }
    )


def _pairs_to_keep(
    result: pipeline.LinkResult, limits: Thresholds, decided: set[tuple[str, str]]
) -> pd.DataFrame:
    """The scored pairs worth storing: for review, decided, or joining two clusters."""
    pairs = result.pairs
    keep = pairs["p"].to_numpy() < limits.auto_link
    joining = result.clusters.joining_links
    if joining is not None:
        keep |= pairs.index.isin(joining.index)
    if decided:
        keep |= pd.MultiIndex.from_arrays([pairs["a"], pairs["b"]]).isin(list(decided))
    return pairs[keep]


class RunReporter:
    """Writes stage and progress to the run row (in its own short transactions)."""

    def __init__(self, run: LinkageRun, on_progress: Callable[[float], None] | None = None) -> None:
        self.run = run
        self._last = 0.0
        self.on_progress = on_progress

    def __call__(self, stage: str, progress: float) -> None:
        now = time.monotonic()
        if stage == self.run.stage and now - self._last < 1.0 and progress < 1.0:
            return
        self._last = now
        self.run.stage = stage
        self.run.progress = max(0.0, min(1.0, progress))
        LinkageRun.objects.filter(pk=self.run.pk).update(
            stage=self.run.stage, progress=self.run.progress
        )
        if self.on_progress is not None:
            self.on_progress(self.run.progress)


class RunInFlight(Exception):
    """Another linkage run is waiting or running; only one at a time (issue 21, finding 4)."""


def run_in_flight() -> LinkageRun | None:
    return LinkageRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()


def create_run(mode: str, engine: str = "duckdb", requested_by: Any = None) -> LinkageRun:
    """Queue a run; raises RunInFlight while another is queued or running (the database's
    `linkage_one_run_in_flight` constraint decides when two requests race)."""
    if run_in_flight() is not None:
        raise RunInFlight
    limits = thresholds()
    try:
        with transaction.atomic():
            return LinkageRun.objects.create(
                mode=mode,
                engine=engine,
                requested_by=requested_by,
                auto_threshold=limits.auto_link,
                review_threshold=limits.review,
            )
    except IntegrityError as exc:
        raise RunInFlight from exc


def execute_run(
    run: LinkageRun,
    *,
    spark: Any = None,
    workers: int | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> LinkageRun:
    """Run a queued linkage job to the end, recording failure on the row. `on_progress` also
    receives the progress (0-1), e.g. for the job page when a worker runs it."""
    claimed = LinkageRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), stage="starting"
    )
    if not claimed:
        raise RuntimeError(f"Linkage run {run.pk} is not waiting to start.")
    run.refresh_from_db()
    report = RunReporter(run, on_progress)
    try:
        if run.mode == RunMode.FULL:
            _full_run(run, report, spark=spark, workers=workers)
        else:
            _incremental_run(run, report, spark=spark, workers=workers)
    except Exception as exc:
        logger.exception("Linkage run %s failed", run.pk)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        run.refresh_from_db()
        raise
    run.refresh_from_db()
    return run


def _options(run: LinkageRun) -> pipeline.Options:
    return pipeline.Options(
        engine="spark" if run.engine == "spark" else "duckdb",
        thresholds=Thresholds(auto_link=run.auto_threshold, review=run.review_threshold),
    )


def _features_only(table: pa.Table) -> pa.Table:
    keep = [name for name in table.column_names if not name.startswith("key_")]
    return table.select(keep)


def _full_run(run: LinkageRun, report: RunReporter, *, spark: Any, workers: int | None) -> None:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    total = Person.objects.count()
    report("decrypt", 0.0)
    if workers is None and total < 4 * source.CHUNK:
        workers = 1  # a pool costs more than it saves on small vaults
    table = source.load_features(
        workers=workers, progress=lambda done: report("decrypt", done / max(total, 1) * 0.3)
    )
    timings["read_decrypt_features"] = time.perf_counter() - started
    with transaction.atomic():
        audit(
            "linkage.decrypt",
            actor=run.requested_by,
            record_type="linkage.linkagerun",
            record_id=str(run.pk),
            count=table.num_rows,
            fields=["full_name", "nik", "passport", "birth_date", "sex", "phone"],
        )
    mark = time.perf_counter()
    previous = store.cluster_ids()
    must, cannot = decisions()
    timings["load_state"] = time.perf_counter() - mark

    def stage(name: str, _progress: float) -> None:
        share = {"estimate_prior": 0.32, "estimate_u": 0.35, "estimate_m": 0.4, "predict": 0.5}
        report(name, share.get(name, 0.7))

    result = pipeline.link(
        _features_only(table),
        options=_options(run),
        must_link=must,
        cannot_link=cannot,
        previous=previous,
        spark=spark,
        progress=stage,
    )
    timings.update(result.timings)
    report("store", 0.8)
    mark = time.perf_counter()
    assignments = result.clusters.assignments
    cluster_of = dict(zip(assignments["record_id"], assignments["cluster_id"], strict=True))
    ids = table.column("unique_id").to_pylist()
    decided = set(must) | set(cannot)
    limits = Thresholds(run.auto_threshold, run.review_threshold)
    with transaction.atomic():
        store.replace_all_records(
            store.records_table(
                ids,
                [cluster_of[pid] for pid in ids],
                run.pk,
                [table.column(field) for field in source.INDEXED_KEYS.values()],
            )
        )
        timings["store_records"] = time.perf_counter() - mark
        store.replace_all_pairs(
            _pair_table(_pairs_to_keep(result, limits, decided), limits, decided, run.pk)
        )
        timings["store_pairs"] = time.perf_counter() - mark - timings["store_records"]
        scored = _pair_index(result.pairs) if decided else set()
        review = int((result.pairs["p"] < limits.auto_link).sum()) - sum(
            1 for pair in decided if pair in scored
        )
        new_ids = [pid for pid in ids if pid not in previous]

        since = _last_finished_at()
        created = alerts.raise_alerts(since=since, cluster_of=cluster_of)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            stage="done",
            progress=1.0,
            records=len(ids),
            pairs=len(result.pairs),
            review_pairs=max(review, 0),
            clusters=result.clusters.cluster_count,
            refused_links=result.clusters.refused_links,
            alerts=created,
            trained=result.trained,
            notes=result.notes,
            model=result.model,
            timings={**timings, "store": time.perf_counter() - mark},
        )
        audit(
            "linkage.run",
            actor=run.requested_by,
            record_type="linkage.linkagerun",
            record_id=str(run.pk),
            count=len(ids),
            reason=f"full; new records: {len(new_ids)}",
        )


def _pair_index(pairs: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(pairs["a"], pairs["b"], strict=True))


def _last_finished_at() -> Any:
    last = (
        LinkageRun.objects.filter(status=RunStatus.DONE)
        .order_by("-finished_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return last


def candidate_ids(
    features: pa.Table, *, exclude: Sequence[str] = (), limit: int | None = None
) -> list[str]:
    """Linked persons sharing a hashed blocking key, NIK, passport or phone with `features`."""

    query = Q()
    keys = {
        field: {v for v in features.column(field).to_pylist() if v is not None}
        for field in source.INDEXED_KEYS.values()
    }
    # The first and last name word with the date are looked up crossed as well, like the
    # blocking rules: a typo can move a word from one end of the sorted name to the other.
    crossed = keys["key_min_dob"] | keys["key_max_dob"]
    keys["key_min_dob"] = keys["key_max_dob"] = crossed
    for field, values in keys.items():
        if values:
            query |= Q(**{f"{field}__in": values})
    found: list[str] = []
    if query:
        found = [
            str(p) for p in LinkedRecord.objects.filter(query).values_list("person_id", flat=True)
        ]
    vault = Q()
    for column, kind in (("nik", "nik"), ("passport", "passport"), ("phone", "phone")):
        values = {blind_index(kind, v) for v in features.column(column).to_pylist() if v}
        if values:
            vault |= Q(**{f"{kind}_index__in": values})
    if vault:
        found += [str(p) for p in Person.objects.filter(vault).values_list("id", flat=True)]
    skip = set(exclude)
    unique = list(dict.fromkeys(p for p in found if p not in skip))
    return unique[:limit] if limit else unique


def _incremental_run(
    run: LinkageRun, report: RunReporter, *, spark: Any, workers: int | None
) -> None:
    started = time.perf_counter()
    linked = LinkedRecord.objects.values_list("person_id", flat=True)
    new_ids = [str(p) for p in Person.objects.exclude(pk__in=linked).values_list("id", flat=True)]
    report("decrypt", 0.1)
    new = source.load_features(person_ids=new_ids, workers=workers or 1) if new_ids else None
    existing_ids = candidate_ids(new, exclude=new_ids) if new is not None else []
    existing = (
        source.load_features(person_ids=existing_ids, workers=workers or 1)
        if existing_ids
        else None
    )
    decrypted = len(new_ids) + len(existing_ids)
    if decrypted:
        audit(
            "linkage.decrypt",
            actor=run.requested_by,
            record_type="linkage.linkagerun",
            record_id=str(run.pk),
            count=decrypted,
            fields=["full_name", "nik", "passport", "birth_date", "sex", "phone"],
        )
    report("predict", 0.4)
    limits = Thresholds(run.auto_threshold, run.review_threshold)
    pairs = pipeline.empty_pairs()
    model = latest_model()
    if new is not None:
        seed = existing if existing is not None else new
        session = pipeline.Session(
            _features_only(seed), options=_options(run), model=model, spark=spark
        )
        try:
            pairs = session.predict_between(
                _features_only(new),
                _features_only(existing)
                if existing is not None
                else _features_only(new).slice(0, 0),
                limits.review,
            )
        finally:
            session.close()
    report("cluster", 0.7)
    updated = _recluster(
        pairs,
        new_ids,
        new,
        existing,
        limits,
        run,
    )
    with transaction.atomic():
        decided = _decided_pairs()
        store.add_pairs(_pair_table(pairs, limits, decided, run.pk))

        created = alerts.raise_alerts(since=_last_finished_at(), cluster_of=None)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            finished_at=timezone.now(),
            stage="done",
            progress=1.0,
            records=len(new_ids),
            pairs=len(pairs),
            review_pairs=int((pairs["p"] < limits.auto_link).sum()) if len(pairs) else 0,
            clusters=LinkedRecord.objects.values("cluster_id").distinct().count(),
            alerts=created,
            trained=False,
            model={},
            timings={"total": time.perf_counter() - started, "updated_records": updated},
        )
        audit(
            "linkage.run",
            actor=run.requested_by,
            record_type="linkage.linkagerun",
            record_id=str(run.pk),
            count=len(new_ids),
            reason="incremental",
        )


def _decided_pairs() -> set[tuple[str, str]]:
    return {
        ordered(a, b) for a, b in ReviewDecision.objects.values_list("person_a_id", "person_b_id")
    }


def _recluster(
    pairs: pd.DataFrame,
    new_ids: Sequence[str],
    new: pa.Table | None,
    existing: pa.Table | None,
    limits: Thresholds,
    run: LinkageRun,
) -> int:
    """Re-cluster the new records with the clusters they touch; returns rows written."""
    links = pairs[pairs["p"] >= limits.auto_link] if len(pairs) else pairs
    touched = set(links["a"]) | set(links["b"]) if len(links) else set()
    existing_records = {
        str(p): c
        for p, c in LinkedRecord.objects.filter(
            person_id__in=[t for t in touched if t not in set(new_ids)]
        ).values_list("person_id", "cluster_id")
    }
    clusters = set(existing_records.values())
    members = {
        str(p): c
        for p, c in LinkedRecord.objects.filter(cluster_id__in=clusters).values_list(
            "person_id", "cluster_id"
        )
    }
    return recluster_and_store(
        list(new_ids),
        members,
        links,
        run_id=run.pk,
        features=[t for t in (new, existing) if t is not None],
    )


def recluster_and_store(
    new_ids: list[str],
    members: dict[str, str],
    links: pd.DataFrame,
    *,
    run_id: int | None,
    features: Sequence[pa.Table] = (),
) -> int:
    """Cluster `new_ids` and the existing `members` (person -> cluster) over `links` plus
    the stored links among them, keeping decisions; write what changed."""
    involved = list(dict.fromkeys([*members.keys(), *new_ids]))
    involved_uuids = [uuid.UUID(p) for p in involved]
    stored = pd.DataFrame(
        list(
            LinkedPair.objects.filter(
                person_a_id__in=involved_uuids,
                person_b_id__in=involved_uuids,
                status=PairStatus.LINKED,
            ).values_list("person_a_id", "person_b_id", "probability")
        ),
        columns=["a", "b", "p"],
    )
    if len(stored):
        stored["a"] = stored["a"].astype(str)
        stored["b"] = stored["b"].astype(str)
    parts = [frame for frame in (stored, links[["a", "b", "p"]]) if len(frame)]
    all_links = pd.concat(parts, ignore_index=True) if parts else stored
    must, cannot = decisions()
    wanted = set(involved)
    must = [m for m in must if m[0] in wanted and m[1] in wanted]
    cannot = [c for c in cannot if c[0] in wanted and c[1] in wanted]
    niks: dict[str, str | None] = {}
    keys: dict[str, tuple[int | None, ...]] = {}
    for table in features:
        for pid, nik, *hashed in zip(
            table.column("unique_id").to_pylist(),
            table.column("nik").to_pylist(),
            *(table.column(f).to_pylist() for f in source.INDEXED_KEYS.values()),
            strict=True,
        ):
            niks[pid] = nik if nik and len(nik) == 16 else None
            keys[pid] = tuple(hashed)
    result = cluster(
        involved,
        all_links,
        must_link=must,
        cannot_link=cannot,
        previous=members,
        identifiers=[niks.get(p) for p in involved],
    )
    changed = [
        (pid, cid)
        for pid, cid in zip(
            result.assignments["record_id"], result.assignments["cluster_id"], strict=True
        )
        if members.get(pid) != cid
    ]
    if not changed:
        return 0
    with transaction.atomic():
        existing_keys = {
            str(r[0]): tuple(r[1:])
            for r in LinkedRecord.objects.filter(person_id__in=[c[0] for c in changed]).values_list(
                "person_id", *source.INDEXED_KEYS.values()
            )
        }
        hashed = [keys.get(pid) or existing_keys.get(pid) or (None,) * 4 for pid, _ in changed]
        store.upsert_records(
            store.records_table(
                [pid for pid, _ in changed],
                [cid for _, cid in changed],
                run_id,
                [list(column) for column in zip(*hashed, strict=True)],
            )
        )
    return len(changed)
