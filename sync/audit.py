"""The audit log: what happened, when, and which navigator, hash-chained so that a
changed, removed or inserted entry is found, and where.

Entries hold no personal data: event names, ids of submissions and drafts, counts.
Each entry's hash covers the previous entry's hash and its own fields, so the chain
breaks at the first entry that was altered. SQLite triggers refuse updates and
deletes; the chain catches what is done to the file behind SQLite's back.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def _digest(prev_hash: str, seq: int, at: float, event: str, navigator: str, details: str) -> str:
    body = json.dumps([seq, round(at, 6), event, navigator, details], separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def append(
    conn: sqlite3.Connection,
    event: str,
    at: float,
    navigator: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    """Add an entry; call inside the transaction of the change it records."""
    text = json.dumps(details or {}, sort_keys=True, separators=(",", ":"))
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    conn.execute(
        "INSERT INTO audit (seq, at, event, navigator, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            round(at, 6),
            event,
            navigator,
            text,
            prev,
            _digest(prev, seq, at, event, navigator, text),
        ),
    )


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    first_broken: int | None
    """The seq of the first entry that does not fit the chain, or None if it is whole."""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(conn: sqlite3.Connection) -> AuditCheck:
    """Walk the chain from the start and stop at the first entry that does not fit."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    rows = conn.execute(
        "SELECT seq, at, event, navigator, details, prev_hash, hash FROM audit ORDER BY seq"
    )
    for seq, at, event, navigator, details, prev_hash, stored in rows:
        count += 1
        if seq != expected_seq:
            return AuditCheck(count, seq, f"entry {expected_seq} is missing")
        if prev_hash != prev:
            return AuditCheck(count, seq, f"entry {seq} does not follow entry {seq - 1}")
        if _digest(prev, seq, at, event, navigator, details) != stored:
            return AuditCheck(count, seq, f"entry {seq} was changed after it was written")
        prev = stored
        expected_seq += 1
    return AuditCheck(count, None)


def recent(conn: sqlite3.Connection, limit: int = 50) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT seq, at, event, navigator, details FROM audit ORDER BY seq DESC LIMIT ?", (limit,)
    )
    return [
        {"seq": s, "at": a, "event": e, "navigator": n, "details": json.loads(d)}
        for s, a, e, n, d in rows
    ]
