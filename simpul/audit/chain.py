"""MACs of audit entries and verification of the chain.

Every entry stores the MAC of the entry before it (`prev_hash`) and its own (`entry_hash`):
HMAC-SHA256 under a key from SIMPUL_AUDIT_KEY, which lives outside the database, and the id of
that key (`key_id`). Someone with database access alone can therefore neither edit, delete nor
re-chain entries without `verify_audit` noticing; a cut tail (the newest entries deleted) is
found against the heads anchored outside the database (`simpul.audit.anchors`).

Entries written before the chain was keyed have an empty `key_id` and a plain SHA-256 hash.
They are accepted only as a prefix that ends in a keyed `audit.rekey` marker, which binds the
legacy head (its `prev_hash`) and the number of legacy entries (its `count`) under the key.
A chain of plain SHA-256 entries without that marker is reported as not keyed (broken).
"""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from simpul.audit.models import AuditEvent

if TYPE_CHECKING:
    # cycle: audit.anchors imports audit.chain (keyring, ChainReport)
    from simpul.audit.anchors import Anchor

GENESIS = "0" * 64
REKEY_ACTION = "audit.rekey"


class AuditKeyError(Exception):
    """An entry or anchor names an audit key this process does not have."""


@dataclass(frozen=True)
class AuditKeyring:
    current_id: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str) -> "AuditKeyring":
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in spec.split(","):
            item = item.strip()
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            if not sep or not key_id.isalnum() or len(key_id) > 16:
                raise ImproperlyConfigured("SIMPUL_AUDIT_KEY entries must look like id:base64key")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise ImproperlyConfigured(f"Audit key {key_id} is not valid base64") from exc
            if len(key) < 32:
                raise ImproperlyConfigured(f"Audit key {key_id} must be at least 32 bytes")
            keys[key_id] = key
            order.append(key_id)
        if not order:
            raise ImproperlyConfigured("SIMPUL_AUDIT_KEY holds no key")
        return cls(current_id=order[0], keys=keys)

    def mac(self, key_id: str, message: bytes) -> str:
        key = self.keys.get(key_id)
        if key is None:
            raise AuditKeyError(f"Audit key {key_id!r} is not configured.")
        return hmac.new(key, message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _keyring(spec: str) -> AuditKeyring:
    return AuditKeyring.parse(spec)


def keyring() -> AuditKeyring:
    return _keyring(settings.AUDIT_KEYS)


def _legacy_body(event: AuditEvent) -> dict[str, object]:
    return {
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


def canonical(event: AuditEvent) -> bytes:
    """The bytes that are MACed: every stored column but the MACs, in a fixed order."""
    body = _legacy_body(event)
    if event.key_id:
        body["key_id"] = event.key_id
        body["searched_sealed"] = event.searched_sealed
        body["searched_index"] = event.searched_index
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def entry_hash(prev_hash: str, event: AuditEvent) -> str:
    """The entry's MAC (HMAC-SHA256 under its key id); plain SHA-256 for legacy entries."""
    message = prev_hash.encode() + b"|" + canonical(event)
    if not event.key_id:
        return hashlib.sha256(message).hexdigest()
    return keyring().mac(event.key_id, message)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str
    head_id: int | None = None
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None and not self.problem


def verify(events: Iterable[AuditEvent], anchors: Iterable["Anchor"] = ()) -> ChainReport:
    """Walk the chain from the start; check each anchored head on the way.

    An anchor names (id, MAC, count) of a head the chain once had: the entry must still be
    there, with that MAC, at that position. A missing entry means the tail was cut; another MAC
    or position means the chain was rewritten.
    """
    by_id = {a.last_id: a for a in anchors}
    prev = GENESIS
    checked = 0
    keyed = False
    head_id: int | None = None
    for event in events:
        if event.prev_hash != prev:
            return ChainReport(checked, event.id, "previous hash does not match")
        if not event.key_id and keyed:
            return ChainReport(checked, event.id, "unkeyed entry after the chain was keyed")
        if (
            event.key_id
            and not keyed
            and checked
            and (event.action != REKEY_ACTION or event.count != checked)
        ):
            return ChainReport(checked, event.id, "unkeyed entries without a rekey marker")
        try:
            expected = entry_hash(prev, event)
        except AuditKeyError:
            return ChainReport(checked, event.id, "entry is signed with an unknown audit key")
        if not hmac.compare_digest(expected, event.entry_hash):
            return ChainReport(checked, event.id, "entry was changed after it was written")
        keyed = keyed or bool(event.key_id)
        prev = event.entry_hash
        head_id = event.id
        checked += 1
        anchor = by_id.pop(event.id, None)
        if anchor is not None and (
            not hmac.compare_digest(anchor.head, event.entry_hash) or anchor.count != checked
        ):
            return ChainReport(
                checked, event.id, f"entry differs from its anchor of {anchor.at}: rewritten"
            )
    if checked and not keyed:
        # Plain SHA-256 can be recomputed by anyone: such a chain proves nothing.
        return ChainReport(checked, head_id, "chain is not keyed (run simpul rekey_audit)")
    if by_id:
        lost = min(by_id.values(), key=lambda a: a.last_id)
        return ChainReport(
            checked,
            lost.last_id,
            f"anchored entry of {lost.at} ({lost.count} entries) is gone: the chain was cut",
        )
    return ChainReport(checked, None, "", head_id, prev)


def verify_all() -> ChainReport:
    """The whole chain against every anchor outside the database."""
    # cycle: audit.anchors imports audit.chain (keyring, ChainReport)
    from simpul.audit.anchors import AnchorError, read_anchors

    try:
        anchors = read_anchors()
    except AnchorError as exc:
        return ChainReport(0, None, f"anchor file: {exc}")
    return verify(AuditEvent.objects.order_by("id").iterator(chunk_size=2000), anchors)
