"""The one place that decides which protected records a user can see.

Every app's `queries.py` starts from `visible_to(user, Model)`, so pages, search, exports and
the API apply the same rule. Deny by default: a user without a role that grants the permission
gets an empty queryset.
"""

from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Scope
from simpul.audit.log import record as audit
from simpul.audit.models import Outcome
from simpul.core.models import AccessGrant

_NOTHING = Q(pk__in=[])
M = TypeVar("M", bound=Model)


def region_subtree(field: str, code: str) -> Q:
    """Records whose region `field` is `code` or lies below it in the Kemendagri tree."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


# Up to this many granted ids are inlined as `id IN (...)`, which lets PostgreSQL combine index
# scans with the agency condition; beyond it a subquery is cheaper than planning a huge list.
INLINE_GRANTS = 300


def _granted(model: type[Model], **grantee: object) -> Q:
    now = timezone.now()
    grants = (
        AccessGrant.objects.filter(
            record_type=ContentType.objects.get_for_model(model),
            revoked_at__isnull=True,
            **grantee,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("record_id", flat=True)
    )
    ids = list(grants[: INLINE_GRANTS + 1])
    if not ids:
        return _NOTHING
    if len(ids) <= INLINE_GRANTS:
        return Q(pk__in=ids)
    return Q(pk__in=grants)


def scope_q(user: object, model: type[Model], perm: Perm = Perm.VIEW_RECORDS) -> Q:
    """A filter selecting the rows of `model` the user may access with `perm`."""
    principal = principal_for(user)
    q = _NOTHING
    user_grant_added = False
    for grant in principal.grants_with(perm):
        if grant.scope >= Scope.ASSIGNED and not user_grant_added:
            q |= _granted(model, user=principal.user)
            user_grant_added = True
        if grant.scope >= Scope.AGENCY:
            q |= Q(owner_agency_id=grant.agency_id)
            q |= _granted(model, agency_id=grant.agency_id)
        # An agency without a jurisdiction does not widen to the whole country: national reach
        # is only ever given by a NATIONAL scope.
        if grant.scope >= Scope.JURISDICTION and grant.jurisdiction_code:
            q |= region_subtree("scope_region__code", grant.jurisdiction_code)
        if grant.scope >= Scope.NATIONAL:
            return Q()
    return q


def visible_to(user: object, model: type[M], perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[M]:
    return model._default_manager.filter(scope_q(user, model, perm))


def get_in_scope(
    user: object,
    scoped: QuerySet[M],
    record_id: object,
    *,
    action: str,
    request: HttpRequest | None = None,
) -> M:
    """The record `record_id` from `scoped` (the user's scoped queryset). Missing and
    forbidden look the same (404); a refused attempt on a row that exists is audited as
    `action` with outcome denied."""
    try:
        return scoped.get(pk=record_id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        try:
            exists = scoped.model._default_manager.filter(pk=record_id).exists()
        except (ValueError, TypeError, ValidationError):
            exists = False
        if exists:
            audit(
                action,
                actor=user,
                request=request,
                record_type=scoped.model._meta.label_lower,
                record_id=str(record_id),
                outcome=Outcome.DENIED,
            )
        raise Http404 from None


def can_access(user: object, record: Model, perm: Perm = Perm.VIEW_RECORDS) -> bool:
    manager = type(record)._default_manager
    return manager.filter(scope_q(user, type(record), perm), pk=record.pk).exists()
