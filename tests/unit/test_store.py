from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from sync.migrations import SCHEMA_VERSION
from sync.sealing import Binding, PlatformPrivateKey, open_application
from sync.store import QUARANTINED, WAITING, Store, StoreError
from sync.submission import NoPlatformKey, submit_application

PAYLOAD = {
    "service": {"id": "digital-device-access", "version": "2026.1"},
    "answers": {"name_for_loan": "Test Resident"},
}


def test_store_is_durable_by_configuration(store: Store) -> None:
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_submit_seals_and_queues_then_acknowledge_leaves_only_a_receipt(store: Store) -> None:
    private = PlatformPrivateKey.generate()
    submitted = submit_application(store, PAYLOAD, private.public(), time.time())
    [item] = store.outbox(WAITING)
    assert item.reference == submitted.reference
    binding = Binding(item.submission_id, item.service_id, item.service_version, item.device_id)
    assert b"Test Resident" in open_application(item.sealed, private, binding)
    store.acknowledge(item.submission_id, "SEOUL-00000001", time.time())
    assert store.outbox() == []
    receipt = store.receipt(submitted.reference)
    assert receipt is not None and receipt.platform_receipt == "SEOUL-00000001"
    raw = Path(store.path).read_bytes() + Path(str(store.path) + "-wal").read_bytes()
    assert b"Test Resident" not in raw


def test_nothing_is_queued_without_a_platform_key(store: Store) -> None:
    with pytest.raises(NoPlatformKey):
        submit_application(store, PAYLOAD, None, time.time())
    assert store.outbox() == []


def test_quarantine_keeps_the_item(store: Store) -> None:
    submit_application(store, PAYLOAD, PlatformPrivateKey.generate().public(), time.time())
    [item] = store.outbox()
    store.quarantine(item.submission_id, "does_not_open")
    [kept] = store.outbox(QUARANTINED)
    assert kept.sealed == item.sealed and kept.last_error == "does_not_open"
    assert store.due(time.time() + 10_000, 10) == []


def test_a_failed_write_changes_nothing(store: Store) -> None:
    key = PlatformPrivateKey.generate().public()
    submit_application(store, PAYLOAD, key, time.time())
    [item] = store.outbox()
    with pytest.raises(StoreError):
        store.enqueue(item)  # the same id again violates the primary key
    assert len(store.outbox()) == 1


def test_two_connections_opening_a_new_store_at_once(tmp_path: Path) -> None:
    a = Store(tmp_path / "x.db")
    b = Store(tmp_path / "x.db")
    assert a.device_id() == b.device_id()
    a.close()
    b.close()


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "future.db")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer than this program"):
        Store(tmp_path / "future.db")
