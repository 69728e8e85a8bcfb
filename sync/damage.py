"""Damage that SQLite's quick check does not see: a row whose text no longer decodes,
an audit entry that cannot be read. Each is found and named on its own, so that one
bad row is set aside and the rest of the queue flows, and the tools report the entry
instead of a traceback.

`full_check` runs SQLite's full integrity check and these row checks on a connection
of its own, read-only: the kiosk calls it off the GUI thread after start-up and when
staff ask for it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from sync import audit
from sync.store import QUARANTINED, WAITING, OutboxItem, Store, StoreError

log = logging.getLogger(__name__)

DAMAGED = "damaged: unreadable row"
"""The outbox's last_error for a row set aside because it could not be read."""
SKIPPED_ROWS = "damaged_outbox_rows"
"""Settings key: rowids that could not even be marked (their page is damaged)."""


_CORRUPT, _NOTADB = 11, 26


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether an error reading rows means the rows are damaged (text that does not
    decode, a corrupt page), not that the disk is full or busy."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "decode" in str(exc) or "malformed" in str(exc)
    return code & 0xFF in (_CORRUPT, _NOTADB)


def _skipped(store: Store) -> set[int]:
    raw = store.setting(SKIPPED_ROWS)
    return set(json.loads(raw)) if raw else set()


def readable_due(store: Store, now: float, limit: int) -> tuple[list[OutboxItem], list[int]]:
    """Due items read one by one, and the rowids of those that could not be read.

    The rowids come from the (state, next_attempt) index alone, so a damaged table
    row does not stop the listing; each row is then read on its own.
    """
    conn = store.conn
    skip = _skipped(store)
    rowids = [
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM outbox INDEXED BY outbox_due WHERE state = ? AND next_attempt <= ?",
            (WAITING, now),
        )
        if r[0] not in skip
    ]
    items: list[OutboxItem] = []
    bad: list[int] = []
    for rowid in rowids:
        try:
            row = conn.execute(
                "SELECT submission_id, reference, service_id, service_version, device_id,"
                " key_id, sealed, created, state, attempts, next_attempt, last_error"
                " FROM outbox WHERE rowid = ?",
                (rowid,),
            ).fetchone()
            items.append(OutboxItem(*row))
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            bad.append(rowid)
        except (TypeError, ValueError):
            bad.append(rowid)
    items.sort(key=lambda i: i.created)
    return items[:limit], bad


def set_aside_damaged(store: Store, rowids: list[int], now: float) -> int:
    """Quarantine unreadable outbox rows, each recorded in the audit log by rowid (the
    only thing about them known to be right). A row that cannot even be changed is
    remembered in the settings and skipped. How many were set aside."""
    done = 0
    for rowid in rowids:
        try:
            with store.transaction("set aside a damaged row") as conn:
                conn.execute(
                    "UPDATE outbox SET state = ?, last_error = ? WHERE rowid = ?",
                    (QUARANTINED, DAMAGED, rowid),
                )
                audit.append(conn, "damaged_row_set_aside", now, details={"outbox_row": rowid})
        except StoreError:
            skip = _skipped(store) | {rowid}
            store.set_setting(SKIPPED_ROWS, json.dumps(sorted(skip)))
        log.error("outbox row %d cannot be read: set aside for staff", rowid)
        done += 1
    return done


def damaged_count(store: Store) -> int:
    """Outbox rows set aside as unreadable, for queue health and diagnostics."""
    marked = store.conn.execute(
        "SELECT count(*) FROM outbox WHERE last_error = ?", (DAMAGED,)
    ).fetchone()[0]
    return int(marked) + len(_skipped(store))


def check_audit(conn: sqlite3.Connection) -> audit.AuditCheck:
    """The audit chain's verification, naming an unreadable entry rather than raising."""
    try:
        return audit.verify(conn)
    except sqlite3.DatabaseError:
        pass
    count = 0
    for (seq,) in conn.execute("SELECT seq FROM audit ORDER BY seq").fetchall():
        try:
            conn.execute("SELECT * FROM audit WHERE seq = ?", (seq,)).fetchone()
        except sqlite3.DatabaseError:
            return audit.AuditCheck(count + 1, seq, f"entry {seq} cannot be read (damaged)")
        count += 1
    return audit.AuditCheck(count, None, "the log could not be read in one go")


def unreadable_rows(conn: sqlite3.Connection, table: str) -> list[int]:
    """Rowids of `table` whose row cannot be read (text that no longer decodes, ...)."""
    bad = []
    for (rowid,) in conn.execute(f"SELECT rowid FROM {table}").fetchall():
        try:
            conn.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            bad.append(rowid)
    return bad


TABLES = ("outbox", "receipts", "drafts", "audit", "settings", "navigators")


@dataclass(frozen=True)
class FullCheck:
    integrity: str
    """SQLite's integrity_check: "ok" or what it found."""
    unreadable: dict[str, list[int]] = field(default_factory=dict)
    """Per table, the rowids that cannot be read."""
    audit_problem: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.unreadable and not self.audit_problem

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "integrity": self.integrity,
            "unreadable": self.unreadable,
            "audit_problem": self.audit_problem,
            "seconds": round(self.seconds, 3),
        }


def full_check(path: Path) -> FullCheck:
    """The slow, whole check, on its own read-only connection (call it from a worker
    thread: it can take seconds on a large store). Never raises for damage."""
    started = time.monotonic()
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as exc:
        return FullCheck(f"cannot open: {exc}", seconds=time.monotonic() - started)
    try:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            integrity = "; ".join(str(r) for r in rows)
        except sqlite3.DatabaseError as exc:
            integrity = str(exc)
        unreadable: dict[str, list[int]] = {}
        for table in TABLES:
            try:
                bad = unreadable_rows(conn, table)
            except sqlite3.DatabaseError:
                bad = [-1]  # the table cannot even be listed
            if bad:
                unreadable[table] = bad
        chain = check_audit(conn)
    finally:
        conn.close()
    return FullCheck(integrity, unreadable, chain.problem, time.monotonic() - started)
