"""Real-time check of one identity against every linked person (intake, border screening):
candidates from the hashed blocking keys and the vault's indexes, only they decrypted."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pyarrow as pa

from simpul.identity.data import IdentityData
from simpul.linkage import source
from simpul.linkage.engine import model as model_lib
from simpul.linkage.engine import one_record
from simpul.linkage.models import LinkedRecord
from simpul.linkage.service import (
    MAX_CANDIDATES,
    _features_only,
    _weights,
    candidate_ids,
    latest_model,
    thresholds,
)


@dataclass(frozen=True)
class Match:
    person_id: str
    cluster_id: str
    probability: float
    weights: dict[str, float]


def check_identity(
    data: IdentityData, region_code: str | None = None, *, limit: int = MAX_CANDIDATES
) -> list[Match]:
    """Score one identity (not yet saved, or just saved) against every linked person.

    Candidates come from the hashed blocking keys and the vault's NIK, passport and phone
    indexes; only they are decrypted. Returns matches at or above the review threshold,
    strongest first."""
    record_id = str(uuid.uuid4())
    new = source.features_for_identities([(record_id, data, region_code, "")])
    return _score(new, record_id, limit=limit)


def check_person(person_id: str, *, limit: int = MAX_CANDIDATES) -> list[Match]:
    """The same check for a person already in the vault (a new return, intake or shelter
    admission): only this person and its candidates are decrypted, in this process's memory.
    The person itself is never among the matches."""
    new = source.load_features(person_ids=[person_id], workers=1)
    if not new.num_rows:
        return []
    return _score(new, person_id, limit=limit)


def _score(new: pa.Table, record_id: str, *, limit: int) -> list[Match]:
    ids = candidate_ids(new, exclude=[record_id], limit=limit)
    if not ids:
        return []
    candidates = source.load_features(person_ids=ids, workers=1)
    limits = thresholds()
    scorer = one_record.scorer_for(latest_model() or model_lib.settings("duckdb"))
    scored = scorer.score(_features_only(new), _features_only(candidates))
    scored = scored[scored["p"] >= limits.review]
    cluster_of: dict[str, str] = {
        str(k): v
        for k, v in LinkedRecord.objects.filter(person_id__in=ids).values_list(
            "person_id", "cluster_id"
        )
    }
    matches = []
    for row in scored.sort_values("p", ascending=False).itertuples(index=False):
        other = row.b if row.a == record_id else row.a
        if other == record_id:
            continue
        matches.append(Match(other, cluster_of.get(other, ""), float(row.p), _weights(row)))
    return matches
