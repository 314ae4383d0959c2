"""Issuing and checking API tokens."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from simpul.accounts.models import User
from simpul.api.models import ApiToken
from simpul.audit.log import record as audit
from simpul.identity.crypto import blind_index


def issue_token(user: User, name: str, *, days: int = 365) -> str:
    """Create a token; the clear value is returned once and never stored."""
    value = "sp_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            token_index=blind_index("api_token", value),
            prefix=value[:8],
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit("api.token_issued", actor=user, record_type="api.apitoken", record_id=str(token.pk))
    return value


def user_for_token(value: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_index=blind_index("api_token", value), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
