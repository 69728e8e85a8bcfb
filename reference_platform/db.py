"""The reference platform's SQLite connection and its one way to write.

The connection runs in autocommit mode (`isolation_level=None`), where Python's
`with conn:` starts no transaction at all: each statement would commit on its own and
a block failing halfway would keep its first writes. Every write block therefore goes
through `transaction()`: BEGIN IMMEDIATE (the write lock up front, as the kiosk's store
does), COMMIT at the end, ROLLBACK on any exception.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def connect(path: Path) -> sqlite3.Connection:
    """The database, created 0600 in a 0700 folder (it holds sealed applications)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All of the block's writes, or none of them."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
