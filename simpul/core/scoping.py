"""The one place that decides which protected records a user can see.

Every app's `queries.py` starts from `visible_to(user, Model)`, so pages, search, exports and
the API apply the same rule. Deny by default: a user without a role that grants the permission
gets an empty queryset.
"""

from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet, TextField
from django.db.models.functions import Cast
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


IDENTITY_SECTION = "identity"  # referrals.models.Section.IDENTITY (core imports no app)


def _granted(model: type[Model], perm: Perm, include_referrals: bool, **grantee: object) -> Q:
    """The ids of `model` granted to the grantee for `perm`: a grant counts for EDIT_RECORDS
    only when it allows editing, for REVEAL_IDENTITY only when it shares the identity."""
    now = timezone.now()
    grants = AccessGrant.objects.filter(
        record_type=ContentType.objects.get_for_model(model),
        revoked_at__isnull=True,
        **grantee,
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    if not include_referrals:
        grants = grants.exclude(kind=AccessGrant.Kind.REFERRAL)
    if perm == Perm.EDIT_RECORDS:
        grants = grants.filter(can_edit=True)
    elif perm == Perm.REVEAL_IDENTITY:
        # Sections are a short list of fixed codes; its JSON text is the same on both
        # databases, so "not limited" and "identity shared" are text tests.
        grants = grants.annotate(sections_text=Cast("sections", TextField())).filter(
            Q(sections_text="[]") | Q(sections_text__contains=f'"{IDENTITY_SECTION}"')
        )
    ids_query = grants.values_list("record_id", flat=True)
    ids = list(ids_query[: INLINE_GRANTS + 1])
    if not ids:
        return _NOTHING
    if len(ids) <= INLINE_GRANTS:
        return Q(pk__in=ids)
    return Q(pk__in=ids_query)


def scope_q(
    user: object,
    model: type[Model],
    perm: Perm = Perm.VIEW_RECORDS,
    *,
    include_referrals: bool = True,
) -> Q:
    """A filter selecting the rows of `model` the user may access with `perm`.

    `include_referrals=False` leaves out what other agencies shared by referral: the owner
    side of a record (its own agency, jurisdiction, assignments), e.g. for editing the owner's
    case file."""
    principal = principal_for(user)
    q = _NOTHING
    user_grant_added = False
    for grant in principal.grants_with(perm):
        if grant.scope >= Scope.ASSIGNED and not user_grant_added:
            q |= _granted(model, perm, include_referrals, user=principal.user)
            user_grant_added = True
        if grant.scope >= Scope.AGENCY:
            q |= Q(owner_agency_id=grant.agency_id)
            q |= _granted(model, perm, include_referrals, agency_id=grant.agency_id)
        # An agency without a jurisdiction does not widen to the whole country: national reach
        # is only ever given by a NATIONAL scope.
        if grant.scope >= Scope.JURISDICTION and grant.jurisdiction_code:
            q |= region_subtree("scope_region__code", grant.jurisdiction_code)
        if grant.scope >= Scope.NATIONAL:
            return Q()
    return q


def visible_to(
    user: object,
    model: type[M],
    perm: Perm = Perm.VIEW_RECORDS,
    *,
    include_referrals: bool = True,
) -> QuerySet[M]:
    return model._default_manager.filter(
        scope_q(user, model, perm, include_referrals=include_referrals)
    )


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


def reach_q(
    user: object,
    perms: tuple[Perm, ...],
    *,
    region_field: str,
    agency_field: str = "owner_agency_id",
) -> Q:
    """A filter for rows of non-identifying data (outreach, volunteers) read with an aggregate
    or outreach permission, following each role's scope. For every membership whose role holds
    one of `perms`:

    * the rows owned by that agency (`agency_field`);
    * the rows located (`region_field`, a region code path such as "village__code") in the
      agency's jurisdiction subtree, when the role reaches its jurisdiction: a JURISDICTION (or
      wider) scope, or an aggregates-only role (Scope.NONE: task forces, analysts), whose work
      is their area. A role scoped to its agency (a case supervisor) reaches its agency's rows
      only;
    * everything, for a NATIONAL scope.

    An agency without a jurisdiction never widens to the whole country."""
    q = _NOTHING
    for grant in principal_for(user).grants:
        if not any(p in grant.perms for p in perms):
            continue
        if grant.scope >= Scope.NATIONAL:
            return Q()
        q |= Q(**{agency_field: grant.agency_id})
        reaches_area = grant.scope >= Scope.JURISDICTION or grant.scope == Scope.NONE
        if reaches_area and grant.jurisdiction_code:
            q |= region_subtree(region_field, grant.jurisdiction_code)
    return q
