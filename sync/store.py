"""The device's durable store: the outbox of sealed applications, receipts, drafts,
the audit log, settings.

SQLite in WAL mode with synchronous=FULL, one transaction per state change: when
`enqueue` returns, the application survives a power cut. Nothing personal is stored in
clear: the outbox holds sealed payloads, drafts are encrypted (sync/drafts.py), and a
receipt holds no answers. A damaged database is moved aside, never deleted, and a
fresh one started; a full or read-only disk is a clear StoreError and changes nothing.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sync import audit, highwater, space
from sync.device import private_folder
from sync.migrations import migrate

log = logging.getLogger(__name__)

WAITING = "waiting"
QUARANTINED = "quarantined"
LOST_ENTRIES = "lost_entries"
"""Settings: how many committed audit entries the store found missing at open (0: none)."""
POSSIBLY_LOST = "possibly_lost"
"""Settings: JSON list of reference numbers that may have gone with them."""
PREVIOUS_DEVICE = "previous_device_id"
"""Settings: the device id of an enrolled store found missing or empty (re-enroll it)."""
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CANTOPEN = 13, 8, 10, 14


class StoreError(Exception):
    """The store could not do what was asked; the message is safe to log (no personal data)."""


class StoreFull(StoreError):
    """The disk (or the store's size limit) is full: nothing was written."""


class StoreReadOnly(StoreError):
    """The disk or the file cannot be written: nothing was written."""


def _translate(exc: sqlite3.Error, doing: str) -> StoreError:
    code = getattr(exc, "sqlite_errorcode", None)
    if code == _SQLITE_FULL:
        return StoreFull(f"{doing}: the disk is full")
    if code == _SQLITE_READONLY or (code is not None and code & 0xFF == _SQLITE_READONLY):
        return StoreReadOnly(f"{doing}: the store cannot be written")
    return StoreError(f"{doing}: {exc}")


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
    status_changed: float = 0.0
    """When the platform changed the status, by the platform's clock (0: not yet)."""


WAL_PAGES = 64
"""Checkpoint the write-ahead log every 64 pages (256 KiB), not SQLite's 1,000: on a
small disk a 4 MiB log is room for hundreds of applications."""
_WAL_BOUNDS = (f"wal_autocheckpoint={WAL_PAGES}", f"journal_size_limit={WAL_PAGES * 4096}")
"""journal_size_limit: after a checkpoint the log file is cut back to this size
instead of keeping its largest size for ever."""


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in _transaction), so
    # a read-then-write state change cannot interleave with another connection.
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    _use_wal(conn)
    for pragma in ("synchronous=FULL", "secure_delete=ON", "foreign_keys=ON", *_WAL_BOUNDS):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _use_wal(conn: sqlite3.Connection, patience: float = 10.0) -> None:
    """Switch a new database to WAL. The switch needs the file to itself and SQLite does
    not wait for that (its busy timeout does not apply), so when several threads open
    a store that does not exist yet, the others wait here until the first has done it."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _damage(conn: sqlite3.Connection) -> str:
    """What is wrong with an opened database, or "" if quick_check finds it whole."""
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    return "" if rows == ["ok"] else "; ".join(str(r) for r in rows)


def move_aside(path: Path, now: float) -> Path:
    """Keep a damaged store for staff under a dated name; nothing is deleted."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():  # two failures in one second must not overwrite the first
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            os.replace(source, Path(str(target) + suffix))
    return target


class Store:
    """One connection to the store. Use one Store per thread."""

    def __init__(self, path: Path, check: bool = True) -> None:
        """Open (creating or upgrading) the store; `check` runs the startup integrity check.

        `recovered` says what was found if the store was damaged and moved aside.
        """
        self.path = path
        self.recovered = ""
        try:
            private_folder(path.parent)
            conn = self._open_checked(path) if check else _connect(path)
            migrate(conn)
        except sqlite3.Error as exc:
            raise _translate(exc, f"cannot open the store at {path}") from exc
        self.conn = conn
        space.keep_reserve(path)
        highwater.check_at_open(self)
        if self.recovered:
            with self._transaction("record recovery") as c:
                audit.append(
                    c, "store_recovered", time.time(), details={"moved_to": self.recovered}
                )

    def _mark(self, queued: list[tuple[str, str]] | None = None) -> None:
        """Move the high-water marker up to what is committed (after the commit); a
        failure to write it (a full disk) is logged, the commit stands."""
        try:
            highwater.write(self.path, self.conn, queued or [])
        except OSError as exc:
            log.warning("high-water marker not written: %s", exc.strerror or type(exc).__name__)

    def _open_checked(self, path: Path) -> sqlite3.Connection:
        conn = None
        try:
            conn = _connect(path)
            problem = _damage(conn)
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) in (_SQLITE_CANTOPEN, _SQLITE_READONLY):
                raise
            problem = str(exc)
        if not problem:
            assert conn is not None
            return conn
        if conn is not None:
            conn.close()
        moved = move_aside(path, time.time())
        self.recovered = moved.name
        log.error("store damaged (%s): moved aside to %s, starting a fresh one", problem, moved)
        return _connect(path)

    def close(self) -> None:
        self.conn.close()

    def damaged_stores(self) -> list[str]:
        """Names of damaged stores set aside in the data folder, for staff to collect."""
        found = self.path.parent.glob(f"{self.path.name}.damaged-*")
        return sorted(p.name for p in found if not p.name.endswith(("-wal", "-shm")))

    def size_bytes(self) -> int:
        """The live store's size on disk, write-ahead log included."""
        files = (Path(str(self.path) + suffix) for suffix in ("", "-wal", "-shm"))
        return sum(p.stat().st_size for p in files if p.exists())

    def forget(self) -> None:
        """Fold the write-ahead log into the database and empty it: secure_delete has
        overwritten what was deleted in the database's pages, but the log still holds
        their earlier images (acknowledged ciphertext, resumed or wiped drafts) until a
        checkpoint. Best effort: a busy reader only delays it to the next one."""
        with suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    @contextmanager
    def _transaction(self, doing: str = "store write") -> Iterator[sqlite3.Connection]:
        """One atomic state change: all of it is committed, or none of it."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _translate(exc, doing) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _translate(exc, doing) from exc
            raise

    # -- settings -------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction("save a setting") as conn:
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
        with self._transaction("create the device id") as conn:
            conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES ('device_id', ?)",
                (str(uuid.uuid4()),),
            )
        device = self.setting("device_id")
        assert device is not None
        return device

    # -- outbox -----------------------------------------------------------------
    def enqueue(self, *items: OutboxItem, navigator: str = "") -> None:
        """Commit sealed applications durably, all or none; StoreError if not saved.

        Refused (StoreFull) while the disk has less than ENQUEUE_MARGIN free beside the
        reserve: that room is for recording the platform's answers and checkpointing,
        which is what frees space again."""
        if not space.room_to_enqueue(self.path):
            raise StoreFull("save the application: the disk is full")
        with self._transaction("save the application") as conn:
            conn.executemany(
                "INSERT INTO outbox (submission_id, reference, service_id, service_version,"
                " device_id, key_id, sealed, created, state, attempts, next_attempt, last_error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (i.submission_id, i.reference, i.service_id, i.service_version,
                     i.device_id, i.key_id, i.sealed, i.created, i.state, i.attempts,
                     i.next_attempt, i.last_error)
                    for i in items
                ],
            )  # fmt: skip
            for item in items:
                audit.append(
                    conn,
                    "application_queued",
                    item.created,
                    navigator,
                    {"submission": item.submission_id, "service": item.service_id},
                )
        self._mark([(i.submission_id, i.reference) for i in items])

    def outbox(self, state: str | None = None) -> list[OutboxItem]:
        where, args = ("WHERE state = ?", [state]) if state else ("", [])
        rows = self._rows(f"SELECT * FROM outbox {where} ORDER BY created", args)
        return [OutboxItem(**row) for row in rows]

    def due(self, now: float, limit: int) -> list[OutboxItem]:
        """Waiting items whose next attempt has come, oldest first."""
        rows = self._rows(
            "SELECT * FROM outbox WHERE state = ? AND next_attempt <= ? ORDER BY created LIMIT ?",
            [WAITING, now, limit],
        )
        return [OutboxItem(**row) for row in rows]

    def acknowledge(self, submission_id: str, platform_receipt: str, now: float) -> None:
        """The platform has it: drop the sealed payload, keep a receipt, in one transaction."""
        self.settle([(submission_id, platform_receipt)], [], now)

    def settle(
        self, acknowledged: list[tuple[str, str]], refused: list[tuple[str, str]], now: float
    ) -> None:
        """Record one upload's answers in one transaction.

        `acknowledged` holds (submission id, platform receipt number): their sealed
        payloads go (secure_delete overwrites them) and receipts stay. `refused` holds
        (submission id, reason): those are set aside for staff, never deleted.
        """
        with self._transaction("record the platform's answers") as conn:
            done: list[str] = []
            for submission_id, platform_receipt in acknowledged:
                row = conn.execute(
                    "SELECT reference, service_id, service_version, created FROM outbox"
                    " WHERE submission_id = ?",
                    (submission_id,),
                ).fetchone()
                if row is None:
                    continue
                conn.execute(
                    "INSERT OR IGNORE INTO receipts (reference, submission_id, service_id,"
                    " service_version, created, acknowledged, platform_receipt, status,"
                    " status_changed) VALUES (?, ?, ?, ?, ?, ?, ?, 'received', 0)",
                    (row[0], submission_id, row[1], row[2], row[3], now, platform_receipt),
                )
                conn.execute("DELETE FROM outbox WHERE submission_id = ?", (submission_id,))
                done.append(submission_id)
            if done:  # one entry per answer from the platform, not one per application
                audit.append(conn, "applications_acknowledged", now, details={"submissions": done})
            for submission_id, reason in refused:
                conn.execute(
                    "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?"
                    " WHERE submission_id = ?",
                    (QUARANTINED, reason, submission_id),
                )
                audit.append(
                    conn, "application_quarantined", now,
                    details={"submission": submission_id, "reason": reason},
                )  # fmt: skip
        self._mark()
        if acknowledged:
            self.forget()

    def record_failure(self, submission_ids: list[str], error: str, next_attempt: float) -> None:
        """A try failed for reasons outside the items: wait and try them again."""
        with self._transaction("record a failed try") as conn:
            conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ?"
                " WHERE submission_id = ?",
                [(next_attempt, error, sid) for sid in submission_ids],
            )

    def quarantine(self, submission_id: str, reason: str, now: float | None = None) -> None:
        """The platform refused this item itself: keep it aside for staff, never delete it."""
        self.settle([], [(submission_id, reason)], now or time.time())

    def requeue(self, submission_id: str, now: float, navigator: str = "") -> bool:
        """Staff send a set-aside application again (after the platform's problem is fixed)."""
        with self._transaction("requeue an application") as conn:
            done = conn.execute(
                "UPDATE outbox SET state = ?, attempts = 0, next_attempt = ?, last_error = ''"
                " WHERE submission_id = ? AND state = ?",
                (WAITING, now, submission_id, QUARANTINED),
            ).rowcount
            if done:
                audit.append(conn, "application_requeued", now, navigator=navigator,
                             details={"submission": submission_id})  # fmt: skip
        return bool(done)

    # -- receipts ----------------------------------------------------------------
    def receipt(self, reference: str) -> Receipt | None:
        rows = self._rows("SELECT * FROM receipts WHERE reference = ?", [reference])
        return Receipt(**rows[0]) if rows else None

    def apply_status_changes(self, changes: list[tuple[str, str, float]]) -> tuple[int, int]:
        """(submission id, status, when) from the platform; older news never overwrites newer.

        Returns (receipts changed, changes about items still in the outbox). The latter
        happen when an acknowledgement was lost; the caller then keeps its cursor so
        the news comes again once the item is acknowledged.
        """
        changed = early = 0
        with self._transaction("record status changes") as conn:
            for submission_id, status, when in changes:
                done = conn.execute(
                    "UPDATE receipts SET status = ?, status_changed = ?"
                    " WHERE submission_id = ? AND status_changed <= ?",
                    (status, when, submission_id, when),
                ).rowcount
                changed += done
                if not done:
                    early += conn.execute(
                        "SELECT count(*) FROM outbox WHERE submission_id = ?", (submission_id,)
                    ).fetchone()[0]
        return changed, early

    # -- health ------------------------------------------------------------------
    def counts(self, now: float | None = None) -> dict[str, Any]:
        """Queue figures for dashboards and diagnostics: numbers only."""
        counts: dict[str, Any] = {WAITING: 0, QUARANTINED: 0}
        for state, n in self.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
            counts[state] = n
        for table in ("receipts", "drafts"):
            counts[table] = self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        oldest = self.conn.execute(
            "SELECT min(created) FROM outbox WHERE state = ?", (WAITING,)
        ).fetchone()[0]
        counts["oldest_waiting_seconds"] = (
            None if oldest is None else round((now or time.time()) - oldest, 1)
        )
        return counts

    def _rows(self, sql: str, args: list[Any]) -> list[dict[str, Any]]:
        """A query's rows as column -> value (plain sqlite3: the store needs no more)."""
        cursor = self.conn.execute(sql, args)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def integrity(self) -> str:
        """ "ok", or what SQLite's full integrity check found."""
        rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check(20)")]
        return "; ".join(str(r) for r in rows)

    def transaction(self, doing: str) -> Any:
        """For the other parts of sync/ (drafts) that change the store."""
        return self._transaction(doing)
