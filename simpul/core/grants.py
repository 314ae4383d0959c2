"""Every write of an access grant: who, besides a record's owner, may see (or edit) it.

The one place that creates, widens or revokes `AccessGrant` rows (tests/test_architecture.py
holds it); the reads are `core.scoping`'s. The caller holds the transaction and audits its
own action: a grant is part of a write (a case opened, a referral accepted), never one alone.
"""

import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from simpul.accounts.models import Agency, User
from simpul.core.models import AccessGrant

Kind = AccessGrant.Kind


def _grantee(user: User | None, agency: Agency | None) -> dict[str, object]:
    if (user is None) == (agency is None):
        raise ValueError("a grant goes to one user or one agency")
    return {"user": user} if user is not None else {"agency": agency}


def grant_access(
    model: type[models.Model],
    record_id: uuid.UUID,
    *,
    kind: str,
    granted_by: User | None,
    user: User | None = None,
    agency: Agency | None = None,
    once: bool = False,
    unrevoked: bool = False,
) -> AccessGrant:
    """A grant of `kind` on one record (`model`, `record_id`) to a user or an agency.

    With `once`, the existing grant of this kind to this grantee is kept (`granted_by` only
    names who made a new one); with `unrevoked` as well, a revoked grant does not count."""
    row = {
        "record_type": ContentType.objects.get_for_model(model),
        "record_id": record_id,
        "kind": kind,
        **_grantee(user, agency),
    }
    if not once:
        return AccessGrant.objects.create(**row, granted_by=granted_by)
    match = {"revoked_at__isnull": True} if unrevoked else {}
    grant, _created = AccessGrant.objects.get_or_create(
        **row, **match, defaults={"granted_by": granted_by}
    )
    return grant


def widen_referral_grant(
    model: type[models.Model],
    record_id: uuid.UUID,
    *,
    can_edit: bool,
    sections: Iterable[str],
    granted_by: User | None,
    user: User | None = None,
    agency: Agency | None = None,
) -> AccessGrant:
    """A referral grant carrying exactly what it allows; a second accepted referral of the same
    record widens the existing (unrevoked) grant to the union of both."""
    record_type = ContentType.objects.get_for_model(model)
    grantee = _grantee(user, agency)
    sections = set(sections)
    grant = (
        AccessGrant.objects.select_for_update()
        .filter(
            record_type=record_type,
            record_id=record_id,
            kind=Kind.REFERRAL,
            revoked_at__isnull=True,
            **grantee,
        )
        .first()
    )
    if grant is None:
        return AccessGrant.objects.create(
            record_type=record_type,
            record_id=record_id,
            kind=Kind.REFERRAL,
            granted_by=granted_by,
            can_edit=can_edit,
            sections=sorted(sections),
            **grantee,
        )
    grant.can_edit = grant.can_edit or can_edit
    grant.sections = sorted(set(grant.sections) | sections)
    grant.save(update_fields=["can_edit", "sections"])
    return grant


def revoke_referral_grants(
    records: Iterable[tuple[type[models.Model], Iterable[uuid.UUID]]],
    *,
    agency_ids: Iterable[int],
    user_ids: Iterable[int],
    at: object,
) -> int:
    """Revoke the unrevoked referral grants on these records held by these agencies or users
    (the referrals behind them ended). Returns how many were revoked."""
    targets = Q(pk__in=[])
    for model, ids in records:
        targets |= Q(record_type=ContentType.objects.get_for_model(model), record_id__in=list(ids))
    return AccessGrant.objects.filter(
        targets,
        Q(agency_id__in=list(agency_ids)) | Q(user_id__in=list(user_ids)),
        kind=Kind.REFERRAL,
        revoked_at__isnull=True,
    ).update(revoked_at=at)
