"""Settings for the test suite: the production module with test-only defaults set first."""

import os

os.environ.setdefault("SIMPUL_TESTING", "true")
os.environ.setdefault("SIMPUL_HTTPS", "false")

from simpul.settings import *  # noqa: F403
from simpul.settings import PASSWORD_HASHERS as _HASHERS

# Argon2 stays first (tests check the stored hash), with a cheaper cost so the suite is fast.
PASSWORD_HASHERS = ["simpul.accounts.hashers.TestArgon2PasswordHasher", *_HASHERS]

# A file (not in-memory) SQLite test database, so tests can inspect the bytes on disk and the
# browser tests' live server shares it across threads.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per process, so two test runs on one machine never share a database.
    _name = f"pytest-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / _name)}  # noqa: F405
