"""`record()`: the audit hook every action, query and view calls.

The entry is written in the caller's transaction, so a failed audit write rolls the change back
and a rolled-back change leaves no audit entry. Writers are serialised so the chain stays linear:
PostgreSQL takes a transaction-scoped advisory lock; SQLite runs IMMEDIATE transactions, which
already hold the database write lock.

A search passes what was searched as `searched=`: it is stored sealed under the identity vault's
keys and as a keyed blind index of its normalised form (see `searched_index`), never as text.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from simpul.accounts.principal import principal_for
from simpul.audit.chain import GENESIS, REKEY_ACTION, entry_hash, keyring
from simpul.audit.models import AuditEvent, Outcome
from simpul.identity.crypto import blind_index, normalise_for_index, open_text, seal_text
from simpul.lib.phone import normalise_phone

_ADVISORY_LOCK_KEY = 7_320_114  # arbitrary, fixed: "the audit chain"
SEARCHED_MAX_LENGTH = 500  # longer search texts are stored cut to this length


def searched_index(text: str) -> str:
    """Keyed blind index of a searched text, normalised like the person search reads it.

    Sixteen digits (spaces, dots and dashes aside) are a NIK; a number `normalise_phone` accepts
    is a phone in E.164; anything else (a name, a passport number) is NFKC-casefolded without
    spaces, dots or dashes. Looking up the index of "6101 0941 0190 0002" or "0812-3456-7890"
    therefore finds the searches that typed it any other way.
    """
    text = text.strip()[:SEARCHED_MAX_LENGTH]
    folded = normalise_for_index(text)
    if len(folded) == 16 and folded.isascii() and folded.isdigit():
        return blind_index("audit-searched-nik", folded)
    phone = normalise_phone(text)
    if phone:
        return blind_index("audit-searched-phone", phone)
    return blind_index("audit-searched-text", text)


def _searched_aad(prev_hash: str) -> str:
    # The previous entry's MAC is unique in a linear chain: a sealed term moved to another
    # row does not open.
    return f"audit_auditevent:searched_sealed:{prev_hash}"


def open_searched(event: AuditEvent) -> str:
    """The cleartext a search looked for. Callers audit the reveal (`audit.reveal_searched`)."""
    return open_text(event.searched_sealed, _searched_aad(event.prev_hash))


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    record: Any = None,
    record_type: str = "",
    record_id: str = "",
    fields: Iterable[str] = (),
    count: int | None = None,
    reason: str = "",
    outcome: str = Outcome.OK,
    agency_id: int | None = None,
    searched: str | None = None,
) -> AuditEvent:
    """Append one audit entry. Pass names of fields touched, never their values; a search
    passes its text as `searched`, which is stored sealed and as a blind index only."""
    if actor is None and request is not None:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_id = record_id or str(record.pk)
    if agency_id is None and actor is not None:
        agency_id = principal_for(actor).primary_agency_id

    searched = (searched or "").strip()[:SEARCHED_MAX_LENGTH]
    with transaction.atomic():
        _lock_chain()
        prev_hash = _keyed_head()
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor_id=actor.pk if actor is not None else None,
            actor_username=actor.get_username() if actor is not None else "",
            agency_id=agency_id,
            action=action,
            record_type=record_type,
            record_id=str(record_id),
            fields=sorted(set(fields)),
            count=count,
            reason=reason,
            ip_address=client_ip(request),
            outcome=outcome,
            prev_hash=prev_hash,
            key_id=keyring().current_id,
        )
        if searched:
            event.searched_sealed = seal_text(searched, _searched_aad(prev_hash))
            event.searched_index = searched_index(searched)
        event.entry_hash = entry_hash(event.prev_hash, event)
        event.save()
    return event


def _keyed_head() -> str:
    """The MAC to chain the next entry to. Call with the chain locked.

    If the newest entry is a legacy (plain SHA-256) one, the chain is keyed first: a keyed
    `audit.rekey` marker is appended that binds the legacy head and the number of legacy entries.
    """
    last = AuditEvent.objects.order_by("-id").values_list("entry_hash", "key_id").first()
    if last is None:
        return GENESIS
    head, key_id = last
    if key_id:
        return str(head)
    legacy = AuditEvent.objects.count()
    marker = AuditEvent(
        occurred_at=timezone.now(),
        action=REKEY_ACTION,
        record_type="audit.auditevent",
        count=legacy,
        reason="legacy SHA-256 entries sealed under the audit key",
        prev_hash=head,
        key_id=keyring().current_id,
    )
    marker.entry_hash = entry_hash(marker.prev_hash, marker)
    marker.save()
    return marker.entry_hash


def rekey() -> AuditEvent | None:
    """Key a legacy chain now (`simpul rekey_audit`); None when it is keyed already or empty."""
    with transaction.atomic():
        _lock_chain()
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        _keyed_head()
        return AuditEvent.objects.filter(action=REKEY_ACTION).exclude(id__lte=before or 0).first()
