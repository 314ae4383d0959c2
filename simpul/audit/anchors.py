"""Heads of the audit chain anchored outside the database.

`simpul anchor_audit` (and `simpul verify_audit` after a clean check) appends one JSON line to
SIMPUL_AUDIT_ANCHOR_PATH: when, the id and MAC of the newest entry, how many entries the chain
then held, and a MAC of the line itself under the audit key. The chain's own MACs find an edited
or deleted entry inside the chain; the anchors find what the chain alone cannot: the newest
entries deleted (the anchored entry is gone, or fewer entries precede it) or the chain replaced
(the anchored entry has another MAC). An edited anchor line fails its own MAC.
"""

import fcntl
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from simpul.audit.chain import AuditKeyError, ChainReport, keyring


class AnchorError(Exception):
    """The anchor file cannot be read, or a line in it is not a valid anchor."""


@dataclass(frozen=True)
class Anchor:
    at: str
    last_id: int
    head: str
    count: int
    key_id: str

    def body(self) -> dict[str, object]:
        return {
            "at": self.at,
            "last_id": self.last_id,
            "head": self.head,
            "count": self.count,
            "key_id": self.key_id,
        }


def _message(body: dict[str, object]) -> bytes:
    return b"audit-anchor|" + json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def anchor_path() -> Path | None:
    path = settings.AUDIT_ANCHOR_PATH
    return Path(path) if path else None


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """Every anchor in the file, each checked against its MAC; AnchorError on the first bad one."""
    path = path or anchor_path()
    if path is None or not path.exists():
        return []
    anchors = []
    ring = keyring()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            anchor = Anchor(
                at=str(data["at"]),
                last_id=int(data["last_id"]),
                head=str(data["head"]),
                count=int(data["count"]),
                key_id=str(data["key_id"]),
            )
            expected = ring.mac(anchor.key_id, _message(anchor.body()))
        except AuditKeyError as exc:
            raise AnchorError(f"anchor line {number} is signed with an unknown audit key") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorError(f"anchor line {number} is unreadable") from exc
        if not hmac.compare_digest(expected, str(data.get("mac", ""))):
            raise AnchorError(f"anchor line {number} was altered")
        anchors.append(anchor)
    return anchors


def append_anchor(report: ChainReport, path: Path | None = None) -> Anchor | None:
    """Anchor the head of a verified chain. None when no anchor file is configured or the
    chain is empty. Refuses a chain that did not verify."""
    if not report.ok:
        raise AnchorError("a broken chain is not anchored")
    path = path or anchor_path()
    if path is None or report.head_id is None:
        return None
    ring = keyring()
    anchor = Anchor(
        at=timezone.now().isoformat(),
        last_id=report.head_id,
        head=report.head_hash,
        count=report.checked,
        key_id=ring.current_id,
    )
    body = anchor.body()
    line = json.dumps({**body, "mac": ring.mac(anchor.key_id, _message(body))}) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor
