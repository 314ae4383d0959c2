"""Playwright (Python) driving Debian's Chromium; never a downloaded browser build.

The fixtures are registered once, in tests/conftest.py: Playwright's sync API refuses to start
twice in one process, so every browser test in the run shares one Chromium.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("SIMPUL_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "var" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def close_database_connections() -> None:
    """Close this thread's database connections (those outside a transaction).

    Playwright's sync API marks its event loop as running in this thread. Django keeps a
    thread's connections in an asgiref `Local`, which is a plain thread-local while no event loop
    runs and a context variable while one does: a connection opened before Playwright starts is
    out of sight afterwards, so no test teardown closes it and it stays open for the rest of the
    run (and the same happens to one opened under the loop once Playwright stops)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    close_database_connections()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
        close_database_connections()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="id-ID")
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    new_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
