"""Salvage: every readable row of a damaged store copied into the kiosk's live one.

The damaged file (and its write-ahead log, if kept beside it) is first copied to a
temporary folder and opened there, so the original stays as staff found it. Each
table is read row by row without its indexes (a damaged index does not hide rows);
a row that cannot be read is counted, never guessed. Outbox rows, receipts, drafts
and staff accounts are added to the live store unless it already has them (by their
keys), so running salvage twice changes nothing; the device's identity (its id and
enrollment) is restored only when the live store is not enrolled. The audit log is
not copied (the live store keeps its own chain); the salvage itself is recorded in it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync import audit, highwater
from sync.store import LOST_ENTRIES, POSSIBLY_LOST, Store

COPIED = ("outbox", "receipts", "drafts", "navigators")
"""Each keyed by its primary key: INSERT OR IGNORE keeps what the live store has."""
IDENTITY = ("device_id", "enrolled", "platform_keys", "platform_keys_refreshed",
            "catalog_signing_key")  # fmt: skip


@dataclass
class Salvaged:
    copied: dict[str, int] = field(default_factory=dict)
    already_there: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    device_id: str = ""
    identity_restored: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "copied": self.copied,
            "already_there": self.already_there,
            "unreadable": self.unreadable,
            "device_id": self.device_id,
            "identity_restored": self.identity_restored,
        }


def _rows(conn: sqlite3.Connection, table: str) -> tuple[list[dict[str, Any]], int]:
    """The readable rows of `table` and how many could not be read."""
    try:
        names = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table} NOT INDEXED")]
    except sqlite3.DatabaseError:
        return [], 1  # the table itself cannot be listed
    if not names:
        return [], 0
    rows: list[dict[str, Any]] = []
    bad = 0
    columns = ", ".join(names)
    for rowid in rowids:
        try:
            row = conn.execute(
                f"SELECT {columns} FROM {table} NOT INDEXED WHERE rowid = ?", (rowid,)
            ).fetchone()
        except sqlite3.DatabaseError:
            bad += 1
            continue
        if row is not None:
            rows.append(dict(zip(names, row, strict=True)))
    return rows, bad


def _open_copy(damaged: Path, folder: Path) -> sqlite3.Connection:
    copy = folder / "damaged.db"
    shutil.copyfile(damaged, copy)
    wal = Path(str(damaged) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(copy) + "-wal"))
    return sqlite3.connect(copy, isolation_level=None)


def salvage(damaged: Path, store: Store, now: float | None = None) -> Salvaged:
    """Copy what can be read from `damaged` into `store`; what was done, in figures."""
    now = time.time() if now is None else now
    found = Salvaged()
    with tempfile.TemporaryDirectory(prefix="ieum-salvage-") as tmp:
        source = _open_copy(damaged, Path(tmp))
        try:
            tables = {table: _rows(source, table) for table in (*COPIED, "settings")}
        finally:
            source.close()
    settings = {r["key"]: r["value"] for r in tables["settings"][0] if "key" in r}
    found.device_id = str(settings.get("device_id", ""))
    with store.transaction("salvage a damaged store") as conn:
        for table in COPIED:
            rows, bad = tables[table]
            found.unreadable[table] = bad
            copied = 0
            for row in rows:
                if (
                    table == "outbox"
                    and conn.execute(
                        "SELECT 1 FROM receipts WHERE submission_id = ?", (row["submission_id"],)
                    ).fetchone()
                ):
                    continue  # acknowledged since: the receipt is the newer truth
                names = list(row)
                copied += conn.execute(
                    f"INSERT OR IGNORE INTO {table} ({', '.join(names)})"
                    f" VALUES ({', '.join('?' for _ in names)})",
                    [row[n] for n in names],
                ).rowcount
            found.copied[table] = copied
            found.already_there[table] = len(rows) - copied
        found.unreadable["settings"] = tables["settings"][1]
        enrolled = conn.execute("SELECT 1 FROM settings WHERE key = 'enrolled'").fetchone()
        if not enrolled and settings.get("enrolled"):
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(k, str(settings[k])) for k in IDENTITY if k in settings],
            )
            found.identity_restored = True
        _recount_lost(conn)
        audit.append(conn, "store_salvaged", now, details={
            "from": damaged.name, **{f"copied_{t}": n for t, n in found.copied.items()},
            "unreadable": sum(found.unreadable.values()),
        })  # fmt: skip
    highwater.reset(store.path, store.conn)
    return found


def _recount_lost(conn: sqlite3.Connection) -> None:
    """After a salvage, an application once feared lost that is back is no longer so."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (POSSIBLY_LOST,)).fetchone()
    if row is None:
        return
    known = {r[0] for r in conn.execute("SELECT reference FROM outbox")}
    known |= {r[0] for r in conn.execute("SELECT reference FROM receipts")}
    still = [reference for reference in json.loads(row[0]) if reference not in known]
    values = [(POSSIBLY_LOST, json.dumps(still))]
    if not still:
        values.append((LOST_ENTRIES, "0"))
    conn.executemany("UPDATE settings SET value = ? WHERE key = ?", [(v, k) for k, v in values])
