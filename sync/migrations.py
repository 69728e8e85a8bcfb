"""Numbered, forward-only schema steps for the device store.

`PRAGMA user_version` records how many steps a database has had; opening a store
applies the missing ones, each in its own transaction.
"""

from __future__ import annotations

import sqlite3

STEPS: tuple[str, ...] = (
    # 1: outbox, receipts, settings
    """
    CREATE TABLE outbox (
        submission_id TEXT PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        service_version TEXT NOT NULL,
        device_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        sealed BLOB NOT NULL,
        created REAL NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt REAL NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt);
    CREATE TABLE receipts (
        reference TEXT PRIMARY KEY,
        submission_id TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        service_version TEXT NOT NULL,
        created REAL NOT NULL,
        acknowledged REAL NOT NULL,
        platform_receipt TEXT NOT NULL,
        status TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION = len(STEPS)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION; returns the version found before.

    The version is read inside the write transaction, so two connections opening a
    new store at once cannot both apply the same step.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if found > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"store schema version {found} is newer than this program ({SCHEMA_VERSION})"
            )
        for number in range(found + 1, SCHEMA_VERSION + 1):
            for statement in STEPS[number - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
