"""The test process never loses its SQLite locks (the cause of the corrupted test database).

On SQLite the job tests' worker once never saw the task the test had enqueued, and the test
database then read "file is not a database". Two things together did it:

1. the canary test read the database file's bytes in this process, which dropped every POSIX
   lock this process held on it (tests/sqlite_files.py), and
2. a database connection stayed open for the rest of the run once Playwright had started
   (tests/playwright_support.py), so the lost lock was never taken again: the next worker that
   closed its connection took itself for the last user and deleted the -wal and -shm files
   under this process's connections.
"""

import gc
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from simpul.accounts.models import User
from tests.sqlite_files import stored_bytes

OTHER_PROCESS_WRITES = """
import sqlite3, sys
other = sqlite3.connect(sys.argv[1], isolation_level=None)
other.execute("INSERT INTO t (v) VALUES ('from the other process')")
other.close()
"""


COUNT_ROWS = """
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM t").fetchone()[0])
"""


def _rows_seen_by_a_new_process(database: Path) -> int:
    counted = subprocess.run(
        [sys.executable, "-c", COUNT_ROWS, str(database)], check=True, capture_output=True
    )
    return int(counted.stdout)


def test_reading_the_database_bytes_keeps_the_locks_of_this_process(tmp_path):
    database = tmp_path / "locks.sqlite3"
    here = sqlite3.connect(database, isolation_level=None)
    try:
        here.execute("PRAGMA journal_mode=WAL")
        here.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        here.execute("INSERT INTO t (v) VALUES ('Kanaritomo')")
        wal = Path(f"{database}-wal")
        wal_inode = wal.stat().st_ino

        stored = stored_bytes(database)
        assert stored.startswith(b"SQLite format 3\x00")
        assert b"Kanaritomo" in stored

        # Another process opens the database, writes and closes: this process's connection is
        # still open, so the other must not take itself for the last user and delete the log.
        subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS_WRITES, str(database)],
            check=True,
            capture_output=True,
        )
        assert wal.exists() and wal.stat().st_ino == wal_inode
        here.execute("INSERT INTO t (v) VALUES ('written here afterwards')")
        assert _rows_seen_by_a_new_process(database) == 3
    finally:
        here.close()
    assert sqlite3.connect(database).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _open_connections_out_of_sight() -> list[BaseDatabaseWrapper]:
    """Open connections of this thread that `connections` no longer hands out."""
    return [
        w
        for w in gc.get_objects()
        if issubclass(type(w), BaseDatabaseWrapper)  # not isinstance: lazy objects would load
        and w.connection is not None
        and w._thread_ident == threading.get_ident()
        and w is not connections[w.alias]
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_starting_the_browser_leaves_no_database_connection_open_out_of_sight(request):
    User.objects.exists()  # this thread's connection is open when the browser starts
    request.getfixturevalue("browser")  # starts Playwright unless an earlier test did
    User.objects.exists()
    assert _open_connections_out_of_sight() == []
