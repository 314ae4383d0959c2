"""The browser fixtures live in tests/playwright_support.py and are registered once by
tests/conftest.py; the names stay importable here for older imports."""

from tests.playwright_support import CHROMIUM, page  # noqa: F401
