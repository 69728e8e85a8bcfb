"""Room on the disk for the store: a reserve file, a margin new applications may not
take, checkpoints and compaction.

A full disk must never stop the store from recording the platform's answers, since
deleting the acknowledged payloads is what frees space again. So: new applications
are refused while less than ENQUEUE_MARGIN is free besides a reserve file kept next
to the store; when recording answers still meets a full disk, the write-ahead log is
checkpointed and cut back and, if that is not enough, the reserve is given up; after
a pass that settled answers the store is checkpointed, compacted when most of it is
free pages, and the reserve put back.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sync.store import Store

log = logging.getLogger(__name__)

RESERVE_BYTES = 256 * 1024
ENQUEUE_MARGIN = 256 * 1024
VACUUM_FREE_BYTES = 1024 * 1024


def reserve_path(store_path: Path) -> Path:
    return Path(str(store_path) + "-reserve")


def free_bytes(folder: Path) -> int:
    try:
        found = os.statvfs(folder)
    except OSError:
        return 1 << 62  # unknown: let SQLite find out
    return found.f_bavail * found.f_frsize


def room_to_enqueue(store_path: Path) -> bool:
    """Whether a new application may take space: the margin is kept free, and the
    reserve's size as well while the reserve file is not in place."""
    needed = ENQUEUE_MARGIN + (0 if reserve_path(store_path).exists() else RESERVE_BYTES)
    return free_bytes(store_path.parent) >= needed


def keep_reserve(store_path: Path) -> bool:
    """Set aside RESERVE_BYTES while there is room; whether the reserve is in place."""
    reserve = reserve_path(store_path)
    if reserve.exists() and reserve.stat().st_size >= RESERVE_BYTES:
        return True
    try:
        with open(reserve, "wb") as f:
            f.write(b"\0" * RESERVE_BYTES)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        reserve.unlink(missing_ok=True)  # no room: a partial reserve helps no one
        return False
    return True


def checkpoint(conn: sqlite3.Connection) -> bool:
    """Copy the write-ahead log into the database and truncate it; whether it did."""
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.Error as exc:
        log.warning("could not checkpoint the store: %s", exc)
        return False
    return not busy


def free_space(store: Store) -> None:
    """The disk is full while recording answers: checkpoint and cut back the log, and if
    that is not enough, give up the reserve."""
    if checkpoint(store.conn):
        return
    log.error("the disk is full: releasing the store's reserve to record answers")
    reserve_path(store.path).unlink(missing_ok=True)
    checkpoint(store.conn)


def tidy(store: Store) -> None:
    """After a pass that settled answers: checkpoint, give a drained queue's space back
    to the disk (VACUUM, only when most of the file is free pages), restore the reserve."""
    conn = store.conn
    checkpoint(conn)
    pages, free = (
        conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count")
    )
    if free * 4096 >= VACUUM_FREE_BYTES and free * 2 > pages:
        try:
            conn.execute("VACUUM")
        except sqlite3.Error as exc:
            log.warning("could not compact the store: %s", exc)
        checkpoint(conn)
    keep_reserve(store.path)
