"""Hashing of audit entries and verification of the chain."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from simpul.audit.models import AuditEvent

GENESIS = "0" * 64


def canonical(event: AuditEvent) -> bytes:
    """The bytes that are hashed: every stored column but the hash itself, in a fixed order."""
    body = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "agency_id": event.agency_id,
        "action": event.action,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "fields": list(event.fields),
        "count": event.count,
        "reason": event.reason,
        "ip_address": event.ip_address,
        "outcome": event.outcome,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def entry_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"|" + canonical(event)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify(events: Iterable[AuditEvent]) -> ChainReport:
    prev = GENESIS
    checked = 0
    for event in events:
        if event.prev_hash != prev:
            return ChainReport(checked, event.id, "previous hash does not match")
        if entry_hash(prev, event) != event.entry_hash:
            return ChainReport(checked, event.id, "entry was changed after it was written")
        prev = event.entry_hash
        checked += 1
    return ChainReport(checked, None, "")


def verify_all() -> ChainReport:
    return verify(AuditEvent.objects.order_by("id").iterator(chunk_size=2000))
