"""Numbered, forward-only schema steps for the device store.

`PRAGMA user_version` records how many steps a database has had; opening a store
applies the missing ones in one transaction. Never edit a released step: add one.
tests/fixtures/stores/ holds a database saved at every earlier version, and a test
upgrades each of them.
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
    # 2: encrypted drafts, the hash-chained audit log, and when a receipt's status changed
    """
    CREATE TABLE drafts (
        draft_id TEXT PRIMARY KEY,
        salt BLOB NOT NULL,
        nonce BLOB NOT NULL,
        sealed BLOB NOT NULL,
        services TEXT NOT NULL,
        navigator TEXT NOT NULL DEFAULT '',
        created REAL NOT NULL,
        expires REAL NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        locked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX drafts_expiry ON drafts (expires);
    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        event TEXT NOT NULL,
        navigator TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    ALTER TABLE receipts ADD COLUMN status_changed REAL NOT NULL DEFAULT 0;
    """,
    # 3: staff accounts that sign in offline (PINs kept as Argon2id hashes only)
    """
    CREATE TABLE navigators (
        navigator_id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('navigator', 'administrator')),
        pin_hash TEXT NOT NULL,
        created REAL NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0
    );
    """,
)

SCHEMA_VERSION = len(STEPS)


def statements(script: str) -> list[str]:
    """Split a step into statements, keeping trigger bodies (which hold ';') whole."""
    found: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"unfinished statement in migration: {buffer.strip()[:60]}")
    return found


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target`; returns the version found before.

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
        for number in range(found + 1, target + 1):
            for statement in statements(STEPS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
