"""The help desk's zip: enough to understand a kiosk's trouble, nothing about residents.

Versions, settings (no secrets: keys are public ones, the device secret is never read
here), queue figures, the audit chain's verification and its recent entries (event
names, times, ids), and the last lines of the log. Logs are written without personal
data by rule; the zip is still scanned for it in tests.
"""

from __future__ import annotations

import json
import platform
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from sync import audit
from sync.damage import damaged_count
from sync.store import Store

LOG_LINES = 500


def _recent_log(log_file: Path | None) -> str:
    if log_file is None or not log_file.exists():
        return ""
    lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-LOG_LINES:]) + "\n"


def export(
    store: Store,
    target: Path,
    now: float | None = None,
    versions: dict[str, str] | None = None,
    log_file: Path | None = None,
) -> Path:
    """Write the zip to `target` and return it."""
    now = time.time() if now is None else now
    figures: dict[str, Any] = store.counts(now)
    figures["database_bytes"] = store.size_bytes()
    figures["damaged_stores_kept"] = store.damaged_stores()
    figures["integrity"] = store.integrity()
    figures["damaged_rows"] = damaged_count(store)
    settings = dict(store.conn.execute("SELECT key, value FROM settings").fetchall())
    chain = audit.verify(store.conn)
    about = {
        "exported": now,
        "python": sys.version.split()[0],
        "system": platform.platform(),
        **(versions or {}),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("about.json", json.dumps(about, indent=2))
        archive.writestr("queue.json", json.dumps(figures, indent=2))
        archive.writestr("settings.json", json.dumps(settings, indent=2, ensure_ascii=False))
        archive.writestr(
            "audit.json",
            json.dumps(
                {
                    "verification": {
                        "ok": chain.ok,
                        "entries": chain.entries,
                        "first_broken": chain.first_broken,
                        "problem": chain.problem,
                    },
                    "recent": audit.recent(store.conn, 200),
                },
                indent=2,
            ),
        )
        archive.writestr("log.txt", _recent_log(log_file))
    return target
