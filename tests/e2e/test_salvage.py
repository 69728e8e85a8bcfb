"""A damaged store is salvaged and its device re-enrolled by the documented commands,
and every readable application reaches the platform exactly once (issue 17, finding 5).

Real pieces throughout: the reference platform as a process, the commands as
subprocesses (`python -m sync salvage`, `python -m reference_platform reenroll-token`),
the device's own enrollment path (`enroll_device`). The damage: one outbox row whose
text no longer decodes, and an index page overwritten, so the store fails its
start-up check and is moved aside.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient
from sync.enrollment import EnrollmentError, current_platform_key, enroll, enroll_device
from sync.health import queue_health
from sync.runner import sync_pass
from sync.store import PREVIOUS_DEVICE, Store
from sync.submission import submit_application
from tests.conftest import ROOT


def _payload(n: int) -> dict[str, object]:
    return {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {"n": n}}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
        check=False, timeout=120,
    )  # fmt: skip


def _damage(path: Path, unreadable: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "UPDATE outbox SET reference = CAST(X'53ff4f' AS TEXT) WHERE submission_id = ?",
        (unreadable,),
    )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outbox_due'").fetchone()
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((page[0] - 1) * size)
        f.write(b"\x0d" + b"\xa5" * (size - 1))


def test_salvage_and_reenrollment_deliver_every_readable_application_once(
    tmp_path: Path, platform: LocalPlatform
) -> None:
    data = tmp_path / "device"
    store = Store(data / "ieum.db")
    client = PlatformClient(platform.url)
    device_id = enroll(store, client, platform.new_token("library"))
    key = current_platform_key(store)
    sent = [
        submit_application(store, _payload(n), key, time.time()).submission_id for n in range(5)
    ]
    assert sync_pass(store, client, time.time()).accepted == 5
    queued = [submit_application(store, _payload(n), key, time.time() + n) for n in range(5, 40)]
    waiting = [q.submission_id for q in queued]
    store.close()
    client.close()
    _damage(data / "ieum.db", waiting[7])

    # The kiosk starts: the store is moved aside, and the loss is flagged, not hidden.
    fresh = Store(data / "ieum.db")
    assert fresh.recovered.startswith("ieum.db.damaged-")
    assert fresh.setting(PREVIOUS_DEVICE) == device_id
    assert queue_health(fresh).lost_entries > 0
    fresh.close()

    # Enrolling again with an ordinary token is refused (the platform knows the key) ...
    with pytest.raises(EnrollmentError) as refused:
        enroll_device(data, platform.url, platform.new_token("again"))
    assert refused.value.reason == "already"
    # ... a re-enrollment token for the device's id gives it back its identity.
    issued = _run("reference_platform", "reenroll-token", "--data", str(platform.data), device_id)
    assert issued.returncode == 0, issued.stderr
    assert enroll_device(data, platform.url, issued.stdout.strip()) == device_id

    # Salvage: every readable row into the live store; the unreadable one is counted.
    damaged = data / fresh.recovered
    done = _run("sync", "salvage", str(damaged), "--into", str(data))
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert report["device_id"] == device_id
    assert report["copied"]["outbox"] == len(waiting) - 1
    assert report["copied"]["receipts"] == len(sent)
    assert report["unreadable"]["outbox"] == 1 and done.returncode == 1
    again = _run("sync", "salvage", str(damaged), "--into", str(data))  # twice: no change
    assert json.loads(again.stdout)["copied"]["outbox"] == 0

    # Sync: everything readable arrives, once.
    store = Store(data / "ieum.db")
    client = PlatformClient(platform.url)
    now = time.time()
    for _ in range(5):
        report_ = sync_pass(store, client, now)
        assert report_.ok, report_.failure
        if not store.outbox():
            break
        now += 60
    assert store.outbox() == []
    storage = PlatformStorage(platform.data)
    received = [s.submission_id for s in storage.submissions()]
    storage.close()
    expected = set(sent) | set(waiting) - {waiting[7]}
    assert len(received) == len(set(received)) and set(received) == expected
    health = queue_health(store)
    assert health.sent == len(expected)
    # The one row that could not be read stays reported, by its reference number.
    assert health.lost_entries > 0 and health.possibly_lost == [queued[7].reference]
    store.close()
    client.close()


def test_a_reenrollment_token_is_only_for_a_known_device(platform: LocalPlatform) -> None:
    done = _run("reference_platform", "reenroll-token", "--data", str(platform.data), "dev-NOPE")
    assert done.returncode == 1 and "no enrolled" in done.stderr
