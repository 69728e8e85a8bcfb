"""Committed entries that SQLite forgets (a write-ahead log cut short, damaged or
deleted; an enrolled store found empty) are found against the high-water marker and
reported, with the reference numbers that may be missing (issue 17, findings 5 and 6).

A child process queues applications and is killed with SIGKILL, so its write-ahead
log is left as a power cut leaves it; the log is then damaged before the store is
opened again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sync.health import queue_health
from sync.store import LOST_ENTRIES, PREVIOUS_DEVICE, Store
from tests.conftest import ROOT

CHILD = """
import os, sys, time
from pathlib import Path
from sync.sealing import PlatformPrivateKey
from sync.submission import submit_application
from sync.store import Store
store = Store(Path(sys.argv[1]))
key = PlatformPrivateKey.generate().public()
for n in range(int(sys.argv[2])):
    done = submit_application(store, {"service": {"id": "s", "version": "1"},
                                      "answers": {"n": n}}, key, time.time())
    print(done.submission_id, done.reference, flush=True)
store.conn.execute("PRAGMA wal_autocheckpoint=0")  # keep what follows in the log
for n in range(int(sys.argv[3])):
    done = submit_application(store, {"service": {"id": "s", "version": "1"},
                                      "answers": {"n": n}}, key, time.time())
    print(done.submission_id, done.reference, flush=True)
os.kill(os.getpid(), 9)
"""


def _queue_and_die(path: Path, settled: int, in_log: int) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(settled), str(in_log)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr
    return dict(line.split() for line in done.stdout.splitlines())


def _present(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT submission_id FROM outbox")}


def test_a_clean_power_cut_is_no_alarm(tmp_path: Path) -> None:
    path = tmp_path / "ieum.db"
    queued = _queue_and_die(path, 10, 20)
    store = Store(path)
    assert _present(store) == set(queued)
    assert store.setting(LOST_ENTRIES) is None and queue_health(store).lost_entries == 0
    store.close()


@pytest.mark.parametrize("damage", ["cut_in_half", "header_flipped", "deleted"])
def test_a_damaged_log_is_reported_with_what_may_be_missing(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "ieum.db"
    queued = _queue_and_die(path, 10, 30)
    wal = Path(str(path) + "-wal")
    if damage == "cut_in_half":
        os.truncate(wal, wal.stat().st_size // 2)
    elif damage == "header_flipped":
        with open(wal, "r+b") as f:
            f.seek(8)
            f.write(b"\xff\xff\xff\xff")
    else:
        wal.unlink()
    store = Store(path)
    lost = set(queued) - _present(store)
    assert lost, "the damage should have cost applications"
    health = queue_health(store)
    assert health.lost_entries >= len(lost)
    lost_references = {queued[sid] for sid in lost}
    assert set(health.possibly_lost) == lost_references  # exactly those, named
    events = [r[0] for r in store.conn.execute("SELECT event FROM audit")]
    assert "store_entries_lost" in events
    store.close()
    # Reported once, and it stays reported until staff deal with it.
    again = Store(path)
    assert queue_health(again).lost_entries == health.lost_entries
    again.close()


@pytest.mark.parametrize("how", ["zero_length", "missing"])
def test_an_enrolled_store_found_empty_is_flagged_not_silently_new(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "ieum.db"
    store = Store(path)
    with store.transaction("pretend enrollment") as conn:
        conn.execute("INSERT INTO settings VALUES ('enrolled', '1'), ('device_id', 'dev-old')")
    store.close()
    Store(path).close()  # the marker learns of the enrollment at the next open
    if how == "zero_length":
        path.write_bytes(b"")
    else:
        path.unlink()
    fresh = Store(path)
    assert fresh.setting(PREVIOUS_DEVICE) == "dev-old"
    assert queue_health(fresh).lost_entries >= 1
    fresh.close()
    assert json.loads(Path(str(path) + "-highwater").read_text())["audit_seq"] >= 1
