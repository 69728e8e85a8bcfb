"""The platform's database, SQLite or PostgreSQL, behind one small interface.

The storage code speaks one SQL (the common ground of SQLite and PostgreSQL, `?` for
parameters) through a `Session`: `read()` for statements that need no transaction,
`transaction()` for all-or-nothing writes, `write()` for one statement that writes
(atomic and durable on its own). `Session.lock(name)` serialises writers on a
name for the rest of the transaction: a no-op on SQLite, whose BEGIN IMMEDIATE already
takes the one write lock, and a transaction-level advisory lock on PostgreSQL, where
several replicas write at once.

SQLite (`sqlite:///path`, the default: the data folder's platform.db) is the embedded
choice for the demo and the tests: one connection behind a lock. PostgreSQL
(`postgresql://...`) is for a city: a pool of connections (psycopg 3), so any number of
platform processes can serve the same fleet.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from reference_platform.db import connect

URL_FILE = "database.url"
"""In the data folder: the database this platform uses, when not its own SQLite file."""


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Session(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...
    def lock(self, name: str) -> None: ...


class Database(Protocol):
    """What the storage needs of a database; see the module's docstring."""

    dialect: str
    url: str

    def read(self) -> AbstractContextManager[Session]: ...
    def transaction(self) -> AbstractContextManager[Session]:
        """A Session whose writes commit together or not at all."""
        ...

    def write(self) -> AbstractContextManager[Session]:
        """A Session for ONE statement that writes: it commits on its own, durably."""
        ...

    def close(self) -> None: ...


class _SqliteSession:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def lock(self, name: str) -> None:
        """BEGIN IMMEDIATE took the database's one write lock already."""


class SqliteDatabase:
    """One connection, one request at a time (SQLite has one writer anyway)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path}"
        self.conn = connect(path)
        self._lock = threading.RLock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._lock:
            yield _SqliteSession(self.conn)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteSession(self.conn)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def write(self) -> AbstractContextManager[Session]:
        return self.transaction()  # the write lock up front, as for any other write

    def close(self) -> None:
        with self._lock:
            self.conn.close()


_PG_SQL: dict[str, str] = {}


def _pg(sql: str) -> str:
    """`?` parameters as psycopg's `%s` (no statement here has a literal ? or %)."""
    done = _PG_SQL.get(sql)
    if done is None:
        done = _PG_SQL[sql] = sql.replace("%", "%%").replace("?", "%s")
    return done


class _PgSession:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        cursor: Cursor = self.conn.execute(_pg(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(_pg(sql), [tuple(r) for r in rows])

    def lock(self, name: str) -> None:
        """Until this transaction ends, no other one (on any replica) holds `name`."""
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))


class PostgresDatabase:
    """A pool of connections in autocommit mode; `transaction()` opens a real one.

    Tuned for a fleet's many small requests (tests/bench/fleet_load.py traced them):
    the pool is opened at its full size, so a peak never waits for a connection to be
    made; `write()` sends its one statement in autocommit, one round trip instead of
    BEGIN, the statement and COMMIT (the same commit, as durable); and psycopg prepares
    a statement on a connection once it has run there 5 times (its prepare_threshold),
    so PostgreSQL stops parsing and planning the same few statements. Behind PgBouncer
    in transaction mode, that needs PgBouncer 1.21 or newer (max_prepared_statements).
    """

    dialect = "postgresql"

    def __init__(self, url: str, max_connections: int = 10) -> None:
        from psycopg_pool import ConnectionPool

        self.url = url
        self.pool = ConnectionPool(
            url,
            min_size=max_connections,
            max_size=max_connections,
            kwargs={"autocommit": True},
            timeout=30,
            open=True,
            name="ieum-platform",
        )
        self.pool.wait(timeout=30)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.pool.connection() as conn:
            yield _PgSession(conn)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.pool.connection() as conn, conn.transaction():
            yield _PgSession(conn)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self.pool.connection() as conn:  # autocommit: the statement is its transaction
            yield _PgSession(conn)

    def close(self) -> None:
        self.pool.close()


def database_url(folder: Path, url: str | None = None) -> str:
    """The URL given, else the one the data folder remembers, else its SQLite file."""
    if url:
        return url
    try:
        remembered = (folder / URL_FILE).read_text().strip()
    except FileNotFoundError:
        remembered = ""
    return remembered or f"sqlite:///{folder / 'platform.db'}"


def remember_url(folder: Path, url: str) -> None:
    """Keep the URL in the data folder (0600: it may hold a password) so that the
    staff commands (`token`, `set-status`...) find the same database without it."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / URL_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(url + "\n")


def open_database(url: str) -> Database:
    """sqlite:///path or postgresql://... (postgres:// too)."""
    if url.startswith("sqlite:///"):
        return SqliteDatabase(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    raise ValueError("database URL: expected sqlite:///path or postgresql://...")
