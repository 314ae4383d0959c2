"""The address of the client behind the request, for throttling (login lockout, rate limits).

The connecting peer (REMOTE_ADDR) is the client unless it is one of our own reverse proxies,
listed in SIMPUL_TRUSTED_PROXIES (addresses or networks). Only then is X-Forwarded-For read,
from the right: each trusted proxy appended the address it saw, so the rightmost hop that is not
one of our proxies is the client. Anything further left was written by the client and is never
believed, so a spoofed header from an untrusted peer changes nothing.
"""

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"SIMPUL_TRUSTED_PROXIES: {exc}") from exc


def _trusted_networks() -> tuple[Network, ...]:
    entries: Iterable[str] = getattr(settings, "SIMPUL_TRUSTED_PROXIES", ()) or ()
    return _networks(tuple(entries))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, nets: tuple) -> bool:
    return any(address.version == n.version and address in n for n in nets)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as text, or None when the request has no peer address."""
    peer_text = request.META.get("REMOTE_ADDR") or ""
    peer = _parse(peer_text)
    if peer is None:
        return peer_text or None
    nets = _trusted_networks()
    if not nets or not _is_trusted(peer, nets):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop_text in reversed(forwarded.split(",") if forwarded else []):
        hop = _parse(hop_text)
        if hop is None:  # a malformed entry: stop at the last address a proxy vouched for
            break
        client = hop
        if not _is_trusted(hop, nets):
            break
    return str(client)
