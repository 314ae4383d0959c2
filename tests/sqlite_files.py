"""The bytes of a SQLite database on disk, read by a child process, never by the test process.

Closing any file descriptor of a file releases every POSIX advisory lock the process holds on
that file, whoever took them ("How To Corrupt An SQLite Database File", section 2.2). A test that
runs `open()` or `Path.read_bytes()` on the test database while this process has a SQLite
connection open on it therefore drops the connection's shared lock, and SQLite cannot know: it
goes on believing it holds the lock, and only takes it again once every connection of the
process is closed. Until then the next process that closes its last connection (a worker or
scheduler started by tests/jobs) gets the exclusive lock, takes itself for the last user,
checkpoints and deletes the -wal and -shm files under this process's connections. These go on
writing into the deleted files, which no other process sees: a worker never picks the task a test
enqueued, and the database file ends up corrupt ("file is not a database", "disk I/O error").

A child process holds no lock on the file, so its reads cannot drop one.
"""

import subprocess
import sys
from pathlib import Path

_READ = """
import os, sys
for name in sys.argv[1:]:
    if os.path.exists(name):
        with open(name, "rb") as fh:
            sys.stdout.buffer.write(fh.read())
"""


def stored_bytes(database: str | Path) -> bytes:
    """The main database file followed by its write-ahead log, as they are on disk now."""
    names = [str(database), f"{database}-wal"]
    # -I -S: no site packages, no environment; the reader needs nothing but the standard library.
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", _READ, *names], check=True, capture_output=True
    ).stdout
