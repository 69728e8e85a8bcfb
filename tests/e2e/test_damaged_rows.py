"""One damaged row is set aside on its own and the rest of the queue flows; the tools
name damage instead of raising (issue 17, finding 4).

The damage is what a flipped byte does and SQLite's quick check does not see: text
that no longer decodes as UTF-8. It is written with SQLite itself (the audit log's
triggers dropped for it), as a disk error would leave it.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync import audit
from sync.client import PlatformClient
from sync.damage import DAMAGED, full_check
from sync.diagnostics import export
from sync.enrollment import current_platform_key
from sync.health import queue_health
from sync.runner import sync_pass
from sync.store import QUARANTINED, Store
from sync.submission import submit_application
from tests.conftest import ROOT


def _payload(n: int) -> dict[str, object]:
    return {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {"n": n}}


def _flip(path: Path, sql: str, *args: object) -> None:
    """Damage done behind the store's back (the append-only trigger lifted for it)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute(sql, args)
    conn.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
        " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.close()


def test_an_unreadable_row_is_set_aside_and_the_rest_is_sent(
    store: Store, platform: LocalPlatform, client: PlatformClient, tmp_path: Path
) -> None:
    key = current_platform_key(store)
    ids = [
        submit_application(store, _payload(n), key, time.time() + n).submission_id for n in range(5)
    ]
    _flip(
        store.path,
        "UPDATE outbox SET reference = CAST(X'53ff4f' AS TEXT) WHERE submission_id = ?",
        ids[2],
    )
    assert store.integrity() == "ok"  # the quick and the full check both miss it
    report = sync_pass(store, client, time.time())
    assert report.ok and report.accepted == 4 and report.quarantined_damaged == 1
    storage = PlatformStorage(platform.data)
    assert sorted(s.submission_id for s in storage.submissions()) == sorted(ids[:2] + ids[3:])
    storage.close()
    # Staff see it, by the row's own counts, and the dashboard's figures still read.
    health = queue_health(store)
    assert health.damaged_rows == 1 and health.quarantined == 1 and health.sent == 4
    assert [a.reason for a in health.set_aside] == [DAMAGED]
    assert health.set_aside[0].submission_id == ids[2]
    # The next pass does not stumble on it again, and new applications still go.
    submit_application(store, _payload(9), key, time.time())
    again = sync_pass(store, client, time.time() + 1)
    assert again.ok and again.accepted == 1 and again.quarantined_damaged == 0
    states = store.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state")
    assert states.fetchall() == [(QUARANTINED, 1)]
    events = [e["event"] for e in json.loads(_diagnostics(store, tmp_path))["recent"]]
    assert "damaged_row_set_aside" in events
    assert full_check(store.path).unreadable == {"outbox": [3]}


def _diagnostics(store: Store, tmp_path: Path) -> str:
    out = export(store, tmp_path / "diag.zip")
    with zipfile.ZipFile(out) as archive:
        return archive.read("audit.json").decode()


def _sync_cli(command: str, data: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync", command, "--data", str(data)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_audit_and_check_name_a_damaged_entry_without_a_traceback(store: Store) -> None:
    for n in range(4):
        with store.transaction("test entries") as conn:
            audit.append(conn, "test_event", time.time(), details={"n": n})
    _flip(store.path, "UPDATE audit SET details = CAST(X'7b22ff227d' AS TEXT) WHERE seq = 3")
    data = store.path.parent
    audited = _sync_cli("audit", data)
    assert audited.returncode == 1 and "Traceback" not in audited.stderr
    found = json.loads(audited.stdout)
    assert found["first_broken"] == 3 and "entry 3 cannot be read" in found["problem"]
    checked = _sync_cli("check", data)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    report = json.loads(checked.stdout)
    assert report["unreadable"] == {"audit": [3]} and report["ok"] is False
