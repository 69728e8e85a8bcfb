"""The device's sync against the real reference platform, over loopback HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient
from sync.enrollment import current_platform_key, refresh_platform_keys
from sync.runner import run_once
from sync.store import QUARANTINED, Store
from sync.submission import submit_application
from tests.conftest import ROOT


def _payload(n: int) -> dict[str, object]:
    return {
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "answers": {"household_size": n, "name_for_loan": f"Test Resident {n}"},
    }


def test_applications_arrive_once_and_decrypt_on_the_platform(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    key = current_platform_key(store)
    refs = [submit_application(store, _payload(n), key, time.time()).reference for n in range(3)]
    report = run_once(store, client, time.time())
    assert (report.accepted, report.failure) == (3, "")
    assert store.outbox() == []
    assert [store.receipt(r) is not None for r in refs] == [True, True, True]

    storage = PlatformStorage(platform.data)
    received = storage.submissions()
    assert len(received) == 3
    opened = sorted(json.loads(storage.open(s))["answers"]["household_size"] for s in received)
    assert opened == [0, 1, 2]
    storage.close()

    shown = subprocess.run(
        [sys.executable, "-m", "reference_platform", "show", "--data", str(platform.data), "--all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.count("Test Resident") == 3


def test_resending_is_safe_duplicates_get_the_original_receipt(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    submit_application(store, _payload(1), current_platform_key(store), time.time())
    [item] = store.outbox()
    # Pretend the acknowledgement was lost: send the same item twice.
    from sync.protocol import UploadItem

    wire = UploadItem(
        item.submission_id,
        item.service_id,
        item.service_version,
        item.device_id,
        item.key_id,
        item.sealed,
    )
    first = client.upload([wire])[0]
    second = client.upload([wire])[0]
    assert (first.result, second.result) == ("accepted", "duplicate")
    assert first.receipt_number == second.receipt_number


def test_a_tampered_item_is_quarantined_not_deleted(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    submit_application(store, _payload(1), current_platform_key(store), time.time())
    store.conn.execute("UPDATE outbox SET service_version = 'forged'")
    report = run_once(store, client, time.time())
    assert report.rejected == 1
    [kept] = store.outbox(QUARANTINED)
    assert kept.last_error == "does_not_open"


def test_a_payload_moved_to_another_row_is_refused_and_kept(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    """Swapping two sealed payloads between rows: neither opens under the other's binding."""
    for n in (1, 2):
        submit_application(store, _payload(n), current_platform_key(store), time.time())
    first, second = store.outbox()
    conn = store.conn
    conn.execute(
        "UPDATE outbox SET sealed = ? WHERE submission_id = ?", (second.sealed, first.submission_id)
    )
    conn.execute(
        "UPDATE outbox SET sealed = ? WHERE submission_id = ?", (first.sealed, second.submission_id)
    )
    report = run_once(store, client, time.time())
    assert (report.accepted, report.rejected) == (0, 2)
    kept = store.outbox(QUARANTINED)
    assert [k.last_error for k in kept] == ["does_not_open", "does_not_open"]
    storage = PlatformStorage(platform.data)
    assert storage.submissions() == []  # nothing was used
    storage.close()


def test_platform_down_means_wait_and_keep(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    submit_application(store, _payload(1), current_platform_key(store), time.time())
    platform.stop()
    now = time.time()
    report = run_once(store, client, now)
    assert report.failure.startswith("network")
    [item] = store.outbox()
    assert item.attempts == 1 and item.next_attempt >= now


def test_the_device_seals_to_the_newest_key_the_hybrid_one(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    from sync.sealing import KEM_HYBRID

    key = refresh_platform_keys(store, client)
    assert key.kem == KEM_HYBRID
    submit_application(store, _payload(7), current_platform_key(store), time.time())
    [item] = store.outbox()
    assert item.key_id == key.key_id
    assert run_once(store, client, time.time()).accepted == 1
