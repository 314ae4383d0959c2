"""A fixed-window counter in the shared cache (the database cache by default), so every web
process counts the same hits."""

from django.core.cache import cache
from django.http import HttpRequest

from simpul.core.client_address import client_address


def allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key`; False once more than `limit` hits fall in the current window."""
    name = f"rl:{scope}:{key}"
    if cache.add(name, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds)
        return True
    return count <= limit


def allow_client(scope: str, request: HttpRequest, *, limit: int, window_seconds: int) -> bool:
    """`allow` keyed on the request's real client address (behind a trusted proxy, the address
    the proxy saw; see `simpul.core.client_address`)."""
    return allow(scope, client_address(request) or "-", limit=limit, window_seconds=window_seconds)
