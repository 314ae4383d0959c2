"""`record()`: the audit hook every action, query and view calls.

The entry is written in the caller's transaction, so a failed audit write rolls the change back
and a rolled-back change leaves no audit entry. Writers are serialised so the chain stays linear:
PostgreSQL takes a transaction-scoped advisory lock; SQLite runs IMMEDIATE transactions, which
already hold the database write lock.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from simpul.audit.chain import GENESIS, entry_hash
from simpul.audit.models import AuditEvent, Outcome

_ADVISORY_LOCK_KEY = 7_320_114  # arbitrary, fixed: "the audit chain"


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
) -> AuditEvent:
    """Append one audit entry. Pass names of fields touched, never their values."""
    if actor is None and request is not None:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_id = record_id or str(record.pk)
    if agency_id is None and actor is not None:
        from simpul.accounts.principal import principal_for

        agency_id = principal_for(actor).primary_agency_id

    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("entry_hash", flat=True).first()
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
            prev_hash=last or GENESIS,
        )
        event.entry_hash = entry_hash(event.prev_hash, event)
        event.save()
    return event
