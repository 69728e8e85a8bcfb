"""The storage layer on both databases: migrations applied once and recorded, last-seen
and heartbeat figures kept, and /v1/health saying so when the database is gone."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from reference_platform.local import LocalPlatform
from reference_platform.migrations import _SQLITE_V1, MIGRATIONS, migrate, schema_version
from reference_platform.storage import PlatformStorage
from sync.auth import sign_request
from sync.client import PlatformClient, SyncFailure
from sync.enrollment import device_identity
from sync.store import Store
from tests.conftest import ROOT
from tests.postgres import Cluster


def test_migrations_are_applied_once_and_recorded(tmp_path: Path, database: str | None) -> None:
    storage = PlatformStorage(tmp_path / "platform", hybrid=False, database=database)
    latest = len(MIGRATIONS[storage.db.dialect])
    assert schema_version(storage.db) == latest
    assert migrate(storage.db) == []  # nothing left to apply
    storage.close()
    again = PlatformStorage(tmp_path / "platform", hybrid=False, database=database)
    assert schema_version(again.db) == latest
    again.close()


def test_last_seen_and_heartbeats_reach_the_devices_listing(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    storage = PlatformStorage(platform.data)
    [(device_id, *_)] = storage.devices.listing()
    assert storage.devices.last_seen() == {}  # enrolled, not heard from yet
    me = device_identity(store)
    assert me is not None
    signed = sign_request(me.key, me.device_id, "GET", "/v1/keys", b"", time.time())
    assert httpx.get(platform.url + "/v1/keys", headers=signed, timeout=5).status_code == 200
    seen = storage.devices.last_seen()
    assert abs(seen[device_id][0] - time.time()) < 60 and seen[device_id][1] == {}
    client.heartbeat({"queued": 75, "oldest_queued_s": 3600.5})
    assert storage.devices.last_seen()[device_id][1] == {"oldest_queued_s": 3600.5, "queued": 75}
    for bad in ({"Queued": 1}, {"queued": "75"}, {"queued": True}, {"queued": -1},
                {f"n{i}": 1 for i in range(17)}, {"name_for_loan": "Test Resident"}):  # fmt: skip
        with pytest.raises(SyncFailure):
            client.heartbeat(bad)  # type: ignore[arg-type]
    assert storage.devices.last_seen()[device_id][1]["queued"] == 75
    with storage.db.transaction() as tx:  # as if it had been silent for two days
        tx.execute("UPDATE device_seen SET last_seen = last_seen - 172800")
    storage.close()
    listed = subprocess.run(
        [sys.executable, "-m", "reference_platform", "devices", "--data", str(platform.data)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert device_id in listed and "SILENT" in listed and "DEEP QUEUE (75)" in listed


@pytest.mark.postgresql
def test_health_fails_when_the_database_is_gone(tmp_path: Path, postgres_cluster: Cluster) -> None:
    from reference_platform.local import start_local_platform

    url = postgres_cluster.new_database()
    running = start_local_platform(tmp_path / "platform", database=url)
    try:
        assert httpx.get(running.url + "/v1/health", timeout=10).status_code == 200
        name = url.rsplit("/", 1)[1]
        postgres_cluster.admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        answer = httpx.get(running.url + "/v1/health", timeout=20)
        assert (answer.status_code, answer.json()["status"]) == (503, "unavailable")
    finally:
        running.stop()


def test_a_database_from_before_migrations_is_upgraded_in_place(tmp_path: Path) -> None:
    """The first releases' SQLite schema (no sealed_sha256, device_seq, reenroll; no
    schema_versions): kept, completed, and its status cursors still count."""
    folder = tmp_path / "platform"
    folder.mkdir()
    with sqlite3.connect(folder / "platform.db") as old:
        old.executescript(_SQLITE_V1)
        old.execute(
            "INSERT INTO submissions (seq, submission_id, receipt_number, device_id, service_id,"
            " service_version, key_id, sealed, received) VALUES (7, 's-1', 'SEOUL-OLD', 'dev-a',"
            " 'svc', '1', 'k', x'00', 1.0)"
        )
        old.execute(
            "INSERT INTO status_changes (seq, submission_id, status, changed)"
            " VALUES (41, 's-1', 'approved', 2.0)"
        )
    storage = PlatformStorage(folder, hybrid=False)
    assert schema_version(storage.db) == len(MIGRATIONS["sqlite"])
    changes, cursor, more = storage.status_changes("dev-a", 0, 10)
    assert [(c.receipt_number, c.status) for c in changes] == [("SEOUL-OLD", "approved")]
    assert (cursor, more) == (41, False)  # the old global number, so no device misses one
    storage.set_status("SEOUL-OLD", "rejected", 3.0)
    assert storage.status_changes("dev-a", 41, 10)[1] == 42
    token = storage.devices.new_token(1.0)
    assert storage.devices.enroll(token, "A" * 43 + "=", 2.0).startswith("dev-")
    storage.close()
