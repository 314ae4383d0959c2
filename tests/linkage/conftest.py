"""Linkage tests use the shared fixtures of tests/conftest.py (the demo world, signed-in
clients, and the one Chromium per run from tests/playwright_support.py)."""
