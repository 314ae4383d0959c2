"""Shared fixtures: a small slice of the region tree, the demo world, signed-in clients."""

import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from simpul.reintegration.actions import install_shipped_instruments
from simpul.screening.models import RuleSet
from simpul.screening.rulesets import install_shipped_rulesets
from tests.factories import load_region_slice
from tests.playwright_support import browser, page  # noqa: F401  (one Chromium per run)

# Playwright's sync API runs an event loop in the test thread; Django must allow the ORM there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def regions(db):
    """The pilot areas (Kabupaten Sambas, Kota Tanjungpinang) with all their ancestors."""
    # Rate-limit counters live in the database cache table, which a test flush does not
    # empty: start every test that builds a world with none.
    cache.clear()
    # A flush by an earlier transactional test recreates content types with new ids.
    ContentType.objects.clear_cache()
    # ...and empties data that migrations ship (screening rule sets): put it back.
    install_shipped_rulesets(RuleSet)
    install_shipped_instruments()
    load_region_slice(["61.01", "21.72", "53.71"])


@pytest.fixture
def world(regions):
    """The demo world with three persons per recording agency."""
    from simpul.demo.world import build_world

    build_world(persons_per_agency=3)


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def sign_in(client: Client, username: str, password: str = "simpul-demo-2026") -> Client:
    """Sign in through the real pages: password, second factor when needed, agreement."""
    from simpul.accounts.models import User

    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    user = User.objects.get(username=username)
    if response["Location"].startswith("/accounts/otp/"):
        response = client.post("/accounts/otp/", {"token": current_code(user)})
        assert response.status_code == 302
    if response["Location"].startswith("/accounts/agreement/"):
        response = client.post("/accounts/agreement/", {"accept": "on"})
        assert response.status_code == 302
    return client


@pytest.fixture
def signed_in(world):
    def make(username: str) -> Client:
        return sign_in(Client(), username)

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The test that migrates the schema back and forth runs last, after pytest-django's own
    ordering: it leaves content types that the next transactional test would trip over.

    The job tests no longer need to run before the live-server tests. On SQLite they once broke
    the database file when they ran after them: the canary test read the database file in this
    process, which drops this process's locks on it, and a connection left open once Playwright
    had started kept the lost lock from ever being taken again, so a worker subprocess deleted
    the -wal and -shm files under this process (tests/test_sqlite_file_locks.py). Both are fixed:
    tests/sqlite_files.py reads the bytes in a child process, and the browser fixture closes the
    connections Playwright would hide (tests/playwright_support.py)."""
    items.sort(key=lambda item: bool(item.get_closest_marker("migrates_schema")))  # stable
