"""The high-water marker: a small file beside the store, written and fsynced after each
commit that matters (an application queued, answers settled), outside SQLite's
write-ahead log. It holds how far the audit log had come and the latest applications
queued.

A truncated, damaged or deleted write-ahead log makes SQLite quietly forget committed
transactions, and every check passes afterwards. Comparing the store with the marker
at open finds it: fewer audit entries than the marker says means committed entries
are gone; the marker's list says which applications may have gone with them. A
database missing or empty where the marker says an enrolled store was is found the
same way. Nothing personal is in the marker: ids, reference numbers, counts.
"""

from __future__ import annotations

import fcntl
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync import audit
from sync.paths import replace_whole

if TYPE_CHECKING:
    from sync.store import Store

log = logging.getLogger(__name__)

RECENT = 200
"""How many of the latest queued applications the marker names."""


def marker_path(store_path: Path) -> Path:
    return Path(str(store_path) + "-highwater")


@dataclass(frozen=True)
class Marker:
    audit_seq: int = 0
    device_id: str = ""
    enrolled: bool = False
    recent: list[tuple[str, str]] = field(default_factory=list)
    """(submission id, reference) of the latest queued applications, oldest first."""


def read(store_path: Path) -> Marker | None:
    """The marker, or None if there is none (or it cannot be read: then nothing is known)."""
    try:
        data = json.loads(marker_path(store_path).read_text(encoding="utf-8"))
        return Marker(
            int(data["audit_seq"]),
            str(data.get("device_id", "")),
            bool(data.get("enrolled", False)),
            [(str(s), str(r)) for s, r in data.get("recent", [])],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _state(conn: sqlite3.Connection) -> tuple[int, str, bool]:
    seq = conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0]
    settings = dict(
        conn.execute(
            "SELECT key, value FROM settings WHERE key IN ('device_id', 'enrolled')"
        ).fetchall()
    )
    return int(seq), str(settings.get("device_id", "")), bool(settings.get("enrolled"))


def write(
    store_path: Path,
    conn: sqlite3.Connection,
    queued: Sequence[tuple[str, str]] = (),
) -> None:
    """Bring the marker up to the store's committed state (call after the commit).

    Read-modify-write under a lock, and never backwards: two connections writing at
    once can only leave it short of the truth (a missed alarm), never past it.
    """
    seq, device_id, enrolled = _state(conn)
    target = marker_path(store_path)
    with open(str(target) + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = read(store_path) or Marker()
        recent = (old.recent + list(queued))[-RECENT:]
        data = {
            "audit_seq": max(seq, old.audit_seq),
            "device_id": device_id or old.device_id,
            "enrolled": enrolled or old.enrolled,
            "recent": recent,
        }
        replace_whole(target, json.dumps(data, separators=(",", ":")).encode())


def reset(store_path: Path, conn: sqlite3.Connection) -> None:
    """Start the marker again from the store as it is (after a loss was recorded, or a
    salvage): from now on, compare with this."""
    seq, device_id, enrolled = _state(conn)
    data = {"audit_seq": seq, "device_id": device_id, "enrolled": enrolled, "recent": []}
    replace_whole(marker_path(store_path), json.dumps(data, separators=(",", ":")).encode())


@dataclass(frozen=True)
class Loss:
    """What the store lacks against its marker."""

    entries: int
    """Committed audit entries missing (each queued application, each answer, ...)."""
    possibly_lost: list[str]
    """Reference numbers the marker names that are neither queued nor received."""
    store_lost: bool
    """The database was missing or empty where an enrolled store had been."""
    device_id: str
    """The device id the lost store was enrolled as (for re-enrollment)."""


def compare(store_path: Path, conn: sqlite3.Connection) -> Loss | None:
    """What the store lost since the marker was written, or None if nothing."""
    marker = read(store_path)
    if marker is None:
        return None
    seq, _, enrolled = _state(conn)
    store_lost = marker.enrolled and not enrolled and seq == 0
    if seq >= marker.audit_seq and not store_lost:
        return None
    known = {r[0] for r in conn.execute("SELECT submission_id FROM outbox")}
    known |= {r[0] for r in conn.execute("SELECT submission_id FROM receipts")}
    missing = [reference for sid, reference in marker.recent if sid not in known]
    return Loss(max(0, marker.audit_seq - seq), missing, store_lost, marker.device_id)


def check_at_open(store: Store) -> None:
    """Compare the store with its marker: committed entries that are gone are recorded
    (settings, audit, log) for staff, never passed over in silence."""
    from sync.store import LOST_ENTRIES, POSSIBLY_LOST, PREVIOUS_DEVICE

    loss = compare(store.path, store.conn)
    if loss is None:
        _safely(write, store.path, store.conn)
        return
    earlier = json.loads(store.setting(POSSIBLY_LOST) or "[]")
    rows = {
        LOST_ENTRIES: str(int(store.setting(LOST_ENTRIES) or 0) + max(loss.entries, 1)),
        POSSIBLY_LOST: json.dumps(sorted(set(earlier) | set(loss.possibly_lost))),
    }
    if loss.store_lost:
        rows[PREVIOUS_DEVICE] = loss.device_id
    with store.transaction("record lost entries") as conn:
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            list(rows.items()),
        )
        audit.append(conn, "store_entries_lost", time.time(), details={
            "entries": loss.entries, "possibly_lost": len(loss.possibly_lost),
            "store_lost": loss.store_lost,
        })  # fmt: skip
    log.error(
        "the store lacks %d committed entries (%d applications may be missing%s):"
        " tell the help desk",
        loss.entries, len(loss.possibly_lost),
        "; the enrolled store was missing or empty" if loss.store_lost else "",
    )  # fmt: skip
    _safely(reset, store.path, store.conn)


def _safely(action: Callable[[Path, sqlite3.Connection], None], *args: Any) -> None:
    try:
        action(*args)
    except OSError as exc:
        log.warning("high-water marker not written: %s", exc.strerror or type(exc).__name__)
