"""Every write of the linkage module: review decisions, alert outcomes, run requests, and
queueing the one-record check of a new return, intake or shelter admission.

A decision is stored by the pair of person ids and applied at once to the two clusters it
touches; every later run reads all decisions again, so "not a match" is never merged back.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.models import User
from simpul.accounts.queries import acts_for
from simpul.audit.log import record as audit
from simpul.identity.crypto import seal_text
from simpul.identity.data import IdentityData
from simpul.identity.queries import reveal_identity
from simpul.jobs.actions import enqueue_many_on_commit, enqueue_on_commit
from simpul.linkage import queries, service, source, tasks
from simpul.linkage.models import (
    AlertStatus,
    Decision,
    LinkageAlert,
    LinkageRun,
    LinkedPair,
    LinkedRecord,
    PairStatus,
    ReviewDecision,
    RunMode,
)

MAX_NOTE = 500


def _require_review(actor: User) -> None:
    if not queries.can_review(actor):
        raise PermissionDenied(_("You may not review linkage pairs."))


def record_decision(
    actor: User,
    person_a: Any,
    person_b: Any,
    decision: str,
    *,
    note: str = "",
    probability: float | None = None,
    request: HttpRequest | None = None,
) -> ReviewDecision:
    """Store a decision on two persons (replacing an earlier one) and re-cluster them."""
    if decision not in Decision.values:
        raise ValidationError({"decision": [_("Choose a decision.")]})
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("Keep the note under 500 characters.")]})
    a_text, b_text = service.ordered(person_a, person_b)
    a, b = uuid.UUID(a_text), uuid.UUID(b_text)
    if a == b:
        raise ValidationError({"decision": [_("A person cannot be compared with themselves.")]})
    with transaction.atomic():
        existing = ReviewDecision.objects.select_for_update().filter(person_a_id=a, person_b_id=b)
        row = existing.first() or ReviewDecision(person_a_id=a, person_b_id=b)
        row.decision = decision
        row.probability = probability
        row.decided_by = actor
        row.decided_at = timezone.now()
        row.save()
        if note:
            row.note_sealed = seal_text(note, f"linkage.reviewdecision.note_sealed:{row.pk}")
            row.save(update_fields=["note_sealed"])
        LinkedPair.objects.filter(person_a_id=a, person_b_id=b).update(status=PairStatus.DECIDED)
        audit(
            "linkage.decide",
            actor=actor,
            request=request,
            record=row,
            fields=["decision", *(["note"] if note else [])],
            reason=decision,
        )
        apply_decision(a_text, b_text)
    return row


def apply_decision(a: str, b: str) -> int:
    """Re-cluster the clusters of `a` and `b` with every decision; returns rows changed."""
    clusters = set(
        LinkedRecord.objects.filter(person_id__in=[a, b]).values_list("cluster_id", flat=True)
    )
    members = {
        str(p): c
        for p, c in LinkedRecord.objects.filter(cluster_id__in=clusters).values_list(
            "person_id", "cluster_id"
        )
    }
    unlinked = [p for p in (a, b) if p not in members]
    involved = [*members.keys(), *unlinked]
    # The NIKs keep two different people apart, as in a full run; decrypted in memory only.
    features = source.load_features(person_ids=involved, workers=1)
    audit(
        "linkage.decrypt",
        record_type="linkage.reviewdecision",
        count=features.num_rows,
        fields=["nik"],
    )
    import pandas as pd

    empty = pd.DataFrame({"a": [], "b": [], "p": []})
    return service.recluster_and_store(unlinked, members, empty, run_id=None, features=[features])


def decide_pair(
    actor: User,
    pair: LinkedPair,
    decision: str,
    *,
    note: str = "",
    request: HttpRequest | None = None,
) -> ReviewDecision:
    _require_review(actor)
    pair = queries.get_pair_for(actor, pair.pk, request=request)
    return record_decision(
        actor,
        pair.person_a_id,
        pair.person_b_id,
        decision,
        note=note,
        probability=pair.probability,
        request=request,
    )


def reveal_pair(
    actor: User, pair: LinkedPair, reason: str, *, request: HttpRequest | None = None
) -> dict[str, IdentityData]:
    """Reveal both persons of a pair side by side, each as far as the reviewer's scope
    allows (each reveal audited by the vault)."""
    _require_review(actor)
    pair = queries.get_pair_for(actor, pair.pk, request=request)
    visible = queries.visible_person_ids(actor, [pair.person_a_id, pair.person_b_id])
    revealed: dict[str, IdentityData] = {}
    for person in (pair.person_a, pair.person_b):
        if str(person.pk) in visible:
            revealed[str(person.pk)] = reveal_identity(actor, person, reason, request=request)
    return revealed


def resolve_alert(
    actor: User,
    alert: LinkageAlert,
    *,
    confirm: bool,
    request: HttpRequest | None = None,
) -> LinkageAlert:
    """Confirm an alert (the same person) or dismiss it (not the same person: recorded as a
    "not a match" decision, so the two are never linked again)."""
    alert = queries.get_alert_for(actor, alert.pk, request=request)
    if not acts_for(actor, alert.agency_id):
        raise PermissionDenied(_("You cannot act on this agency's alerts."))
    if alert.status != AlertStatus.OPEN:
        raise ValidationError({"status": [_("This alert has already been handled.")]})
    with transaction.atomic():
        fresh = LinkageAlert.objects.select_for_update().get(pk=alert.pk)
        if fresh.status != AlertStatus.OPEN:
            raise ValidationError({"status": [_("This alert has already been handled.")]})
        fresh.status = AlertStatus.CONFIRMED if confirm else AlertStatus.DISMISSED
        fresh.resolved_at = timezone.now()
        fresh.resolved_by = actor
        fresh.save(update_fields=["status", "resolved_at", "resolved_by"])
        audit(
            "linkage.alert.confirm" if confirm else "linkage.alert.dismiss",
            actor=actor,
            request=request,
            record=fresh,
            fields=["status"],
            reason=fresh.kind,
        )
        if fresh.person_id != fresh.matched_person_id:
            record_decision(
                actor,
                fresh.person_id,
                fresh.matched_person_id,
                Decision.MATCH if confirm else Decision.NON_MATCH,
                probability=fresh.probability,
                request=request,
            )
    return fresh


def request_run(
    actor: User, mode: str, *, engine: str = "duckdb", request: HttpRequest | None = None
) -> LinkageRun:
    """Queue a linkage run: a worker executes it once this commits (`tasks.run_linkage`);
    `simpul link_persons --pending` (cron, for installations without a worker) still does too.
    Only one run may wait or run at a time: a second request is refused."""
    _require_review(actor)
    if mode not in RunMode.values:
        raise ValidationError({"mode": [_("Choose a full or an incremental run.")]})
    if engine not in ("duckdb", "spark"):
        raise ValidationError({"engine": [_("Choose DuckDB or Spark.")]})
    try:
        with transaction.atomic():
            run = service.create_run(mode, engine, requested_by=actor)
            audit("linkage.run.request", actor=actor, request=request, record=run, reason=mode)
            enqueue_on_commit(tasks.run_linkage, run_id=run.pk)
    except service.RunInFlight:
        raise ValidationError(
            _("A linkage run is already waiting or running. Wait until it has finished.")
        ) from None
    return run


# The one-record checks: each app's action calls one of these where it creates the record,
# inside its transaction; the worker checks the record once it is committed (within a minute)
# and raises the alert exactly as a run would. Nothing is checked if the transaction rolls back.


def check_new_return(return_id: Any) -> None:
    """A return or deportation was recorded (`simpul.migration.actions.record_return`)."""
    enqueue_on_commit(tasks.check_return, return_id=str(return_id))


def check_new_returns(return_ids: list[Any]) -> None:
    """Many returns were recorded at once (an imported deportee list): one check each."""
    enqueue_many_on_commit(tasks.check_return, [{"return_id": str(r)} for r in return_ids])


def check_new_intake(intake_id: Any) -> None:
    """An intake with persons concerned was recorded (`simpul.intake.actions`)."""
    enqueue_on_commit(tasks.check_intake, intake_id=str(intake_id))


def check_new_shelter_admission(person_id: Any) -> None:
    """A person was checked in to a shelter (`shelters.actions.check_in` calls this inside its
    transaction): the check runs on the worker once the admission is committed."""
    enqueue_on_commit(tasks.check_shelter_admission, person_id=str(person_id))
