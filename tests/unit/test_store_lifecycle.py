"""The store over its life: upgrades from every older version, damage, full and read-only
disks, the audit chain, the device secret, the store's command line."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync import audit
from sync.device import DeviceSecretError, device_secret
from sync.migrations import SCHEMA_VERSION
from sync.sealing import PlatformPrivateKey
from sync.store import Store, StoreFull, StoreReadOnly
from sync.submission import submit_application
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "stores"
KEY = PlatformPrivateKey.generate().public()
PAYLOAD = {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {"n": 1}}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_store_saved_at_every_older_version_upgrades(tmp_path: Path, version: int) -> None:
    fixture = FIXTURES / f"v{version}.sqlite"
    assert fixture.exists(), f"run: python -m tests.fixtures.stores.make_fixture {version}"
    path = tmp_path / "ieum.db"
    shutil.copy(fixture, path)
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [i.reference for i in store.outbox()] == ["TEST-FAKE-01"]
    assert store.receipt("TEST-FAKE-02") is not None
    assert store.device_id() == "fake-device"
    submit_application(store, PAYLOAD, KEY, time.time())
    assert audit.verify(store.conn).ok and store.integrity() == "ok"
    store.close()


def test_every_older_version_has_a_saved_store() -> None:
    saved = {p.name for p in FIXTURES.glob("v*.sqlite")}
    assert saved == {f"v{n}.sqlite" for n in range(1, SCHEMA_VERSION)}


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:5000]),
        lambda p: p.write_bytes(p.read_bytes()[:4096] + os.urandom(8192)),
    ],
)
def test_a_damaged_store_is_moved_aside_and_a_fresh_one_started(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ieum.db"
    store = Store(path)
    for n in range(30):
        submit_application(store, dict(PAYLOAD, answers={"n": n}), KEY, time.time())
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    damage(path)
    before = path.read_bytes()
    recovered = Store(path)
    assert recovered.recovered.startswith("ieum.db.damaged-")
    kept = tmp_path / recovered.recovered
    assert kept.read_bytes() == before  # kept for staff, untouched
    assert recovered.outbox() == [] and recovered.integrity() == "ok"
    # Newest first: moved aside, and the 30 queued applications reported as missing.
    events = [e["event"] for e in audit.recent(recovered.conn)]
    assert events == ["store_recovered", "store_entries_lost"]
    assert recovered.setting("lost_entries") == "30"
    submit_application(recovered, PAYLOAD, KEY, time.time())
    recovered.close()
    damage(path)  # damaged again, within the same second: the first one must survive
    again = Store(path)
    assert again.recovered != recovered.recovered
    assert again.damaged_stores() == sorted([recovered.recovered, again.recovered])
    assert kept.read_bytes() == before
    again.close()


def test_a_full_disk_saves_nothing_then_works_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "ieum.db")
    conn = store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    saved = 0
    big = dict(PAYLOAD, answers={"text": "x" * 3000})
    with pytest.raises(StoreFull, match="disk is full"):
        for _ in range(1000):
            submit_application(store, big, KEY, time.time())
            saved += 1
    assert len(store.outbox()) == saved  # the failed one left nothing behind
    assert store.integrity() == "ok" and audit.verify(conn).ok
    conn.execute("PRAGMA max_page_count = 1000000")
    submit_application(store, big, KEY, time.time())
    assert len(store.outbox()) == saved + 1
    store.close()


def test_a_read_only_store_says_so_and_changes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "ieum.db")
    submit_application(store, PAYLOAD, KEY, time.time())
    store.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(StoreReadOnly):
        submit_application(store, PAYLOAD, KEY, time.time())
    store.conn.execute("PRAGMA query_only = OFF")
    assert len(store.outbox()) == 1
    store.close()


def test_the_audit_chain_finds_the_first_changed_entry(tmp_path: Path) -> None:
    store = Store(tmp_path / "ieum.db")
    for n in range(5):
        submit_application(store, dict(PAYLOAD, answers={"n": n}), KEY, time.time())
    conn = store.conn
    assert audit.verify(conn).ok and audit.verify(conn).entries == 5
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET event = 'nothing' WHERE seq = 3")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit WHERE seq = 3")
    # Someone edits the file behind SQLite's back (here: by dropping the guard first).
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET details = '{}' WHERE seq = 3")
    result = audit.verify(conn)
    assert (result.ok, result.first_broken) == (False, 3)
    assert "entry 3 was changed" in result.problem
    cli = subprocess.run(
        [sys.executable, "-m", "sync", "audit", "--data", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert cli.returncode == 1 and json.loads(cli.stdout)["first_broken"] == 3
    store.close()


def test_a_removed_audit_entry_is_found(tmp_path: Path) -> None:
    store = Store(tmp_path / "ieum.db")
    for n in range(4):
        submit_application(store, dict(PAYLOAD, answers={"n": n}), KEY, time.time())
    conn = store.conn
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq = 2")
    result = audit.verify(conn)
    assert result.first_broken == 3 and "entry 2 is missing" in result.problem
    store.close()


def test_status_and_check_from_the_command_line(tmp_path: Path) -> None:
    store = Store(tmp_path / "ieum.db")
    submit_application(store, PAYLOAD, KEY, time.time() - 60)
    store.close()

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sync", command, "--data", str(tmp_path)],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip

    status = json.loads(run("status").stdout)
    assert status["waiting"] == 1 and status["oldest_waiting_seconds"] >= 59
    assert status["database_bytes"] > 0 and status["damaged_stores_kept"] == []
    check = run("check")
    assert check.returncode == 0 and check.stdout.strip() == "ok"


def test_the_device_secret_is_private_and_stable(tmp_path: Path) -> None:
    secret = device_secret(tmp_path)
    path = tmp_path / "device-secret"
    assert len(secret) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert device_secret(tmp_path) == secret
    credentials = tmp_path / "creds"
    credentials.mkdir()
    (credentials / "ieum-device-secret").write_bytes(b"s" * 32)
    assert device_secret(tmp_path, {"CREDENTIALS_DIRECTORY": str(credentials)}) == b"s" * 32
    path.chmod(0o644)
    with pytest.raises(DeviceSecretError, match="chmod 600"):
        device_secret(tmp_path)
