"""The audit log: what happened, when, and which navigator, chained so that a changed,
removed or inserted entry is found, and where.

Entries hold no personal data: event names, ids of submissions and drafts, counts.
Each entry's MAC covers the previous entry's and its own fields, so the chain breaks
at the first entry that was altered. The MAC is HMAC-SHA256 keyed from the device
secret: whoever can write the database file but lacks the secret cannot rewrite the
log and chain it again. The chain's head (last seq and MAC, with a tag of its own) is
kept in the settings, so deleting entries from the end is found too. SQLite triggers
refuse updates and deletes; the chain catches what is done behind SQLite's back.

Logs written before the key existed (plain SHA-256 links) stay valid as a prefix: the
first keyed entry seals them, and no unkeyed entry may follow a keyed one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sync.device import device_secret

GENESIS = "0" * 64
KEYED = "m1:"
"""How a keyed entry's MAC starts; older entries are 64 hex digits of SHA-256."""
HEAD = "audit_head"
_keys: dict[str, bytes] = {}


def chain_key(conn: sqlite3.Connection) -> bytes:
    """The chain's HMAC key, from the secret of the device whose database this is."""
    path = str(conn.execute("PRAGMA database_list").fetchone()[2] or "")
    if path not in _keys:
        secret = device_secret(Path(path).parent) if path else b"in-memory database"
        _keys[path] = HKDF(SHA256(), 32, salt=None, info=b"ieum audit chain/1").derive(secret)
    return _keys[path]


def _body(seq: int, at: float, event: str, navigator: str, details: str) -> str:
    return json.dumps([seq, round(at, 6), event, navigator, details], separators=(",", ":"))


def _digest(prev_hash: str, seq: int, at: float, event: str, navigator: str, details: str) -> str:
    """The unkeyed link of logs written before the key (verified, never written now)."""
    body = _body(seq, at, event, navigator, details)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _mac(key: bytes, prev_hash: str, seq: int, at: float, event: str, nav: str, det: str) -> str:
    body = (prev_hash + _body(seq, at, event, nav, det)).encode()
    return KEYED + hmac.new(key, body, hashlib.sha256).hexdigest()


def _head_tag(key: bytes, seq: int, mac: str) -> str:
    return hmac.new(key, f"ieum-audit-head/1\n{seq}\n{mac}".encode(), hashlib.sha256).hexdigest()


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
    key = chain_key(conn)
    mac = _mac(key, prev, seq, at, event, navigator, text)
    conn.execute(
        "INSERT INTO audit (seq, at, event, navigator, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, round(at, 6), event, navigator, text, prev, mac),
    )
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (HEAD, f"{seq}:{mac}:{_head_tag(key, seq, mac)}"),
    )


def head(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """The chain's head (seq, MAC) as kept beside it, or None (never written, or gone)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (HEAD,)).fetchone()
    try:
        seq_text, rest = str(row[0]).split(":", 1) if row else ("", "")
        mac, tag = rest.rsplit(":", 1)
        seq = int(seq_text)
    except ValueError:
        return None
    if not hmac.compare_digest(tag, _head_tag(chain_key(conn), seq, mac)):
        return None
    return seq, mac


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
    """Walk the chain from the start and stop at the first entry that does not fit;
    then check the end against the head kept beside it."""
    key = chain_key(conn)
    prev = GENESIS
    expected_seq = 1
    count = 0
    keyed = False
    rows = conn.execute(
        "SELECT seq, at, event, navigator, details, prev_hash, hash FROM audit ORDER BY seq"
    )
    for seq, at, event, navigator, details, prev_hash, stored in rows:
        count += 1
        if seq != expected_seq:
            return AuditCheck(count, seq, f"entry {expected_seq} is missing")
        if prev_hash != prev:
            return AuditCheck(count, seq, f"entry {seq} does not follow entry {seq - 1}")
        if stored.startswith(KEYED):
            keyed = True
            expected = _mac(key, prev, seq, at, event, navigator, details)
        elif keyed:
            return AuditCheck(count, seq, f"entry {seq} is not sealed by this device")
        else:
            expected = _digest(prev, seq, at, event, navigator, details)
        if not hmac.compare_digest(expected, stored):
            return AuditCheck(count, seq, f"entry {seq} was changed after it was written")
        prev = stored
        expected_seq += 1
    kept = conn.execute("SELECT 1 FROM settings WHERE key = ?", (HEAD,)).fetchone()
    if not keyed and kept is None:
        return AuditCheck(count, None)  # a log from before the key, never appended to since
    if not keyed:
        return AuditCheck(count, 1, "the log is not sealed by this device, or was emptied")
    last = head(conn)
    if last is None:
        return AuditCheck(count, count, "the log's head is missing or not this device's")
    if last[0] > count:
        return AuditCheck(count, count + 1, f"entries after {count} are missing")
    if last != (count, prev):
        return AuditCheck(count, count, "the log does not end where its head says")
    return AuditCheck(count, None)


def recent(conn: sqlite3.Connection, limit: int = 50) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT seq, at, event, navigator, details FROM audit ORDER BY seq DESC LIMIT ?", (limit,)
    )
    return [
        {"seq": s, "at": a, "event": e, "navigator": n, "details": json.loads(d)}
        for s, a, e, n, d in rows
    ]
