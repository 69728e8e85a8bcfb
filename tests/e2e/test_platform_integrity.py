"""The reference platform's own bookkeeping (issue 16): atomic writes, replays across a
restart, submission ids that belong to one device, receipts and cursors that say
nothing about other devices."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from reference_platform.local import LocalPlatform, start_local_platform
from reference_platform.storage import PlatformStorage
from sync import audit
from sync.auth import sign_request
from sync.client import PlatformClient
from sync.enrollment import (
    current_platform_key,
    device_identity,
    enroll,
    refresh_platform_keys,
)
from sync.protocol import UploadItem
from sync.sealing import Binding, seal_application
from sync.store import Store
from sync.submission import submit_application
from tests.conftest import DEMO_CATALOG_KEY, ROOT


def _item(storage: PlatformStorage, device_id: str, submission_id: str, text: bytes) -> UploadItem:
    key = storage.keys.published()[0]
    binding = Binding(submission_id, "digital-device-access", "2026.1", device_id)
    sealed = seal_application(text, key, binding)
    return UploadItem(
        submission_id, "digital-device-access", "2026.1", device_id, key.key_id, sealed
    )


def test_a_write_block_failing_midway_leaves_nothing_written(tmp_path: Path) -> None:
    storage = PlatformStorage(tmp_path / "platform", hybrid=False)
    [result] = storage.receive([_item(storage, "dev-a", str(uuid.uuid4()), b"{}")], 1.0, "dev-a")
    assert result.result == "accepted"
    storage.db.conn.execute(
        "CREATE TRIGGER fail BEFORE INSERT ON status_changes"
        " BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        storage.set_status(result.receipt_number, "approved", 2.0)
    assert [s.status for s in storage.submissions()] == ["received"]

    token = storage.devices.new_token(1.0, "kiosk")
    storage.db.conn.execute(
        "CREATE TRIGGER fail_token BEFORE UPDATE ON enrollment_tokens"
        " BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
    )
    public_key = "A" * 43 + "="
    with pytest.raises(sqlite3.IntegrityError):
        storage.devices.enroll(token, public_key, 2.0)
    assert storage.devices.listing() == []  # no device without its token spent
    storage.db.conn.execute("DROP TRIGGER fail_token")
    assert storage.devices.enroll(token, public_key, 3.0).startswith("dev-")
    storage.close()


def test_a_future_stamped_request_replayed_after_a_restart_is_refused(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    identity = device_identity(store)
    assert identity is not None
    headers = sign_request(
        identity.key, identity.device_id, "GET", "/v1/keys", b"", time.time() + 250
    )
    assert httpx.get(platform.url + "/v1/keys", headers=headers).status_code == 200
    port = urlsplit(platform.url).port
    platform.stop()
    again = start_local_platform(platform.data, port=port or 0, catalog_key=DEMO_CATALOG_KEY)
    try:
        replay = httpx.get(again.url + "/v1/keys", headers=headers)
        assert replay.status_code == 401 and replay.json()["error"] == "replayed"
    finally:
        again.stop()


def test_a_submission_id_belongs_to_one_device(
    tmp_path: Path, store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    other_store = Store(tmp_path / "other" / "ieum.db")
    other = PlatformClient(platform.url)
    enroll(other_store, other, platform.new_token("other kiosk"))
    a, b = device_identity(store), device_identity(other_store)
    assert a is not None and b is not None and a.device_id != b.device_id
    storage = PlatformStorage(platform.data)
    try:
        shared = str(uuid.uuid4())
        [mine] = client.upload([_item(storage, a.device_id, shared, b'{"n": 1}')])
        assert mine.result == "accepted"
        [clash] = other.upload([_item(storage, b.device_id, shared, b"junk")])
        assert clash.result == "rejected" and clash.receipt_number == ""
        # A resend of the same bytes is a duplicate; other bytes under the id are not.
        stored = storage.submissions()[0]
        resend = UploadItem(shared, stored.service_id, stored.service_version, a.device_id,
                            stored.key_id, stored.sealed)  # fmt: skip
        [again] = client.upload([resend])
        assert again.result == "duplicate" and again.receipt_number == mine.receipt_number
        [changed] = client.upload([_item(storage, a.device_id, shared, b'{"n": 2}')])
        assert changed.result == "rejected"

        # Receipt numbers and status cursors tell a device nothing about the others.
        [second] = other.upload([_item(storage, b.device_id, str(uuid.uuid4()), b"{}")])
        numbers = [mine.receipt_number, second.receipt_number]
        assert all(n.startswith("SEOUL-") and len(n) == 16 for n in numbers)
        for status in ("needs_information", "approved"):
            storage.set_status(mine.receipt_number, status, time.time())
        storage.set_status(second.receipt_number, "approved", time.time())
        page = other.status_changes("0")
        assert [c.status for c in page.changes] == ["approved"] and page.cursor == "1"
        assert client.status_changes("0").cursor == "2"
    finally:
        storage.close()
        other.close()
        other_store.close()


def test_a_device_log_emptied_behind_its_back_is_noticed_by_the_platform(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    key = current_platform_key(store)
    submit_application(store, {"service": {"id": "x", "version": "1"}, "answers": {}}, key, 1.0)
    refresh_platform_keys(store, client)  # reports the head: entry 1
    conn = store.conn
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit")
    conn.execute("DELETE FROM settings WHERE key = ?", (audit.HEAD,))
    assert audit.verify(conn).ok  # looks like a log from before the key: only the platform knows
    refresh_platform_keys(store, client)
    listing = subprocess.run(
        [sys.executable, "-m", "reference_platform", "devices", "--data", str(platform.data)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "ALARM: audit log head missing (had 1)" in listing.stdout
