"""The device's durable store: the outbox of sealed applications, receipts, settings.

SQLite in WAL mode with synchronous=FULL, one transaction per state change: when
`enqueue` returns, the application survives a power cut. Nothing personal is stored in
clear: the outbox holds sealed payloads only, and a receipt holds no answers.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from sync.migrations import migrate

WAITING = "waiting"
QUARANTINED = "quarantined"


class StoreError(Exception):
    """The store could not do what was asked; the message is safe to log (no personal data)."""


@dataclass(frozen=True)
class OutboxItem:
    submission_id: str
    reference: str
    service_id: str
    service_version: str
    device_id: str
    key_id: str
    sealed: bytes
    created: float
    state: str = WAITING
    attempts: int = 0
    next_attempt: float = 0.0
    last_error: str = ""


@dataclass(frozen=True)
class Receipt:
    """What remains of an application once the platform has it: no answers, no names."""

    reference: str
    submission_id: str
    service_id: str
    service_version: str
    created: float
    acknowledged: float
    platform_receipt: str
    status: str


class Store:
    """One connection to the store. Use one Store per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in _transaction),
            # so a read-then-write state change cannot interleave with another connection.
            conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
            self.db = sqlite_utils.Database(conn)
            for pragma in (
                "journal_mode=WAL",
                "synchronous=FULL",
                "secure_delete=ON",
                "foreign_keys=ON",
            ):
                conn.execute(f"PRAGMA {pragma}")
            migrate(conn)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic state change: all of it is committed, or none of it."""
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"store write failed: {exc}") from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"store write failed: {exc}") from exc
            raise

    # -- settings -------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        row = self.db.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def device_id(self) -> str:
        """This device's id, created on first use."""
        existing = self.setting("device_id")
        if existing:
            return existing
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('device_id', ?)",
                (str(uuid.uuid4()),),
            )
        device = self.setting("device_id")
        assert device is not None
        return device

    # -- outbox -----------------------------------------------------------------
    def enqueue(self, *items: OutboxItem) -> None:
        """Commit sealed applications durably, all or none; StoreError if not saved."""
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO outbox (submission_id, reference, service_id, service_version,"
                " device_id, key_id, sealed, created, state, attempts, next_attempt, last_error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        item.submission_id,
                        item.reference,
                        item.service_id,
                        item.service_version,
                        item.device_id,
                        item.key_id,
                        item.sealed,
                        item.created,
                        item.state,
                        item.attempts,
                        item.next_attempt,
                        item.last_error,
                    )
                    for item in items
                ],
            )

    def outbox(self, state: str | None = None) -> list[OutboxItem]:
        where, args = ("state = ?", [state]) if state else (None, [])
        rows = self.db["outbox"].rows_where(where, args, order_by="created")
        return [OutboxItem(**row) for row in rows]

    def due(self, now: float, limit: int) -> list[OutboxItem]:
        """Waiting items whose next attempt has come, oldest first."""
        rows = self.db["outbox"].rows_where(
            "state = ? AND next_attempt <= ?", [WAITING, now], order_by="created", limit=limit
        )
        return [OutboxItem(**row) for row in rows]

    def acknowledge(self, submission_id: str, platform_receipt: str, now: float) -> None:
        """The platform has it: drop the sealed payload, keep a receipt, in one transaction."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT reference, service_id, service_version, created FROM outbox"
                " WHERE submission_id = ?",
                (submission_id,),
            ).fetchone()
            if row is None:
                return
            conn.execute(
                "INSERT OR IGNORE INTO receipts (reference, submission_id, service_id,"
                " service_version, created, acknowledged, platform_receipt, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'received')",
                (row[0], submission_id, row[1], row[2], row[3], now, platform_receipt),
            )
            conn.execute("DELETE FROM outbox WHERE submission_id = ?", (submission_id,))

    def record_failure(self, submission_ids: list[str], error: str, next_attempt: float) -> None:
        """A try failed for reasons outside the items: wait and try them again."""
        with self._transaction() as conn:
            conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ?"
                " WHERE submission_id = ?",
                [(next_attempt, error, sid) for sid in submission_ids],
            )

    def quarantine(self, submission_id: str, reason: str) -> None:
        """The platform refused this item itself: keep it aside for staff, never delete it."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?"
                " WHERE submission_id = ?",
                (QUARANTINED, reason, submission_id),
            )

    # -- receipts ----------------------------------------------------------------
    def receipt(self, reference: str) -> Receipt | None:
        rows = list(self.db["receipts"].rows_where("reference = ?", [reference]))
        return Receipt(**rows[0]) if rows else None

    def counts(self) -> dict[str, Any]:
        """Queue figures for dashboards and diagnostics: numbers only."""
        counts: dict[str, Any] = {WAITING: 0, QUARANTINED: 0}
        for state, n in self.db.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
            counts[state] = n
        counts["receipts"] = self.db["receipts"].count
        return counts
