"""Issue 21, finding 9: the real client address behind a trusted proxy (and only there), for
the login lockout and the public rate limits; the session key changes at the second factor."""

import pytest
from django.test import Client, RequestFactory

from simpul.accounts.models import User
from simpul.core.client_address import client_address
from simpul.core.ratelimit import allow_client
from tests.conftest import current_code

PASSWORD = "simpul-demo-2026"


def _request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.SIMPUL_TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings):
    settings.SIMPUL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_a_trusted_proxy_gives_the_rightmost_untrusted_hop(settings):
    settings.SIMPUL_TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.1"]
    assert client_address(_request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"
    # The client may put anything at the left; only what our proxies appended counts.
    spoofed = _request("10.0.0.2", "1.2.3.4, 198.51.100.1, 192.168.1.1")
    assert client_address(spoofed) == "198.51.100.1"
    assert client_address(_request("10.0.0.2")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2", "garbage")) == "10.0.0.2"
    assert client_address(_request("10.0.0.2", "10.0.0.9")) == "10.0.0.9"


def test_the_rate_limit_counts_the_real_client_behind_the_proxy(settings, db):
    from django.core.cache import cache

    cache.clear()
    settings.SIMPUL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    first = _request("10.0.0.2", "198.51.100.1")
    second = _request("10.0.0.2", "198.51.100.2")
    assert allow_client("test", first, limit=1, window_seconds=60)
    assert not allow_client("test", first, limit=1, window_seconds=60)
    assert allow_client("test", second, limit=1, window_seconds=60)
    # A client faking the header from outside is still counted at its own address.
    faked = _request("203.0.113.5", "198.51.100.9")
    assert allow_client("test", faked, limit=1, window_seconds=60)
    assert not allow_client(
        "test", _request("203.0.113.5", "198.51.100.10"), limit=1, window_seconds=60
    )


@pytest.mark.django_db
def test_failures_behind_the_proxy_lock_only_that_client(world, settings):
    settings.SIMPUL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(5):
        r = attacker.post("/accounts/login/", {"username": "gt.kalbar", "password": "wrong-guess"})
    assert r.status_code == 429
    own = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = own.post("/accounts/login/", {"username": "gt.kalbar", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_spoofed_header_does_not_escape_the_lockout(world, settings):
    settings.SIMPUL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for i in range(5):
        attacker = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        r = attacker.post("/accounts/login/", {"username": "gt.kalbar", "password": "wrong-guess"})
    assert r.status_code == 429
    again = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert (
        again.post("/accounts/login/", {"username": "gt.kalbar", "password": PASSWORD}).status_code
        == 429
    )


@pytest.mark.django_db
def test_the_session_key_changes_at_the_second_factor(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "pekerja.sambas", "password": PASSWORD})
    assert response["Location"].startswith("/accounts/otp/")
    before = client.cookies["simpul_session"].value
    user = User.objects.get(username="pekerja.sambas")
    done = client.post("/accounts/otp/", {"token": current_code(user)})
    assert done.status_code == 302
    after = client.cookies["simpul_session"].value
    assert after != before
    stale = Client()
    stale.cookies["simpul_session"] = before
    assert stale.get("/accounts/agreement/").status_code == 302
