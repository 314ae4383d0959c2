"""The one place that decides which protected records a user can see.

Every app's `queries.py` starts from `visible_to(user, Model)`, so pages, search, exports and
the API apply the same rule. Deny by default: a user without a role that grants the permission
gets an empty queryset.
"""

from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from simpul.accounts.principal import principal_for
from simpul.accounts.roles import Perm, Scope
from simpul.core.models import AccessGrant

_NOTHING = Q(pk__in=[])
M = TypeVar("M", bound=Model)


def region_subtree(field: str, code: str) -> Q:
    """Records whose region `field` is `code` or lies below it in the Kemendagri tree."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


def _granted_ids(model: type[Model], **grantee: object) -> list[object]:
    """Ids granted to one user or agency, fetched first: a literal `id IN (...)` lets
    PostgreSQL combine two index scans, where a subquery would filter every row."""
    now = timezone.now()
    return list(
        AccessGrant.objects.filter(
            record_type=ContentType.objects.get_for_model(model),
            revoked_at__isnull=True,
            **grantee,
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("record_id", flat=True)
    )


def scope_q(user: object, model: type[Model], perm: Perm = Perm.VIEW_RECORDS) -> Q:
    """A filter selecting the rows of `model` the user may access with `perm`."""
    principal = principal_for(user)
    q = _NOTHING
    user_grant_added = False
    for grant in principal.grants_with(perm):
        if grant.scope >= Scope.ASSIGNED and not user_grant_added:
            ids = _granted_ids(model, user=principal.user)
            if ids:
                q |= Q(pk__in=ids)
            user_grant_added = True
        if grant.scope >= Scope.AGENCY:
            q |= Q(owner_agency_id=grant.agency_id)
            ids = _granted_ids(model, agency_id=grant.agency_id)
            if ids:
                q |= Q(pk__in=ids)
        # An agency without a jurisdiction does not widen to the whole country: national reach
        # is only ever given by a NATIONAL scope.
        if grant.scope >= Scope.JURISDICTION and grant.jurisdiction_code:
            q |= region_subtree("scope_region__code", grant.jurisdiction_code)
        if grant.scope >= Scope.NATIONAL:
            return Q()
    return q


def visible_to(user: object, model: type[M], perm: Perm = Perm.VIEW_RECORDS) -> QuerySet[M]:
    return model._default_manager.filter(scope_q(user, model, perm))


def can_access(user: object, record: Model, perm: Perm = Perm.VIEW_RECORDS) -> bool:
    manager = type(record)._default_manager
    return manager.filter(scope_q(user, type(record), perm), pk=record.pk).exists()
