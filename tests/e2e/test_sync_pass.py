"""A whole sync pass against the real platform: backoff, status news, usage figures."""

from __future__ import annotations

import dataclasses
import random
import socket
import time

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient, SyncFailure
from sync.enrollment import current_platform_key, device_identity
from sync.runner import BACKOFF_CAP, is_retryable, next_delay, pull_status, sync_pass
from sync.store import Store
from sync.submission import submit_application

WEEK = 7 * 24 * 3600.0


def _payload(n: int, service: str = "digital-device-access") -> dict[str, object]:
    return {"service": {"id": service, "version": "2026.1"}, "answers": {"n": n}}


def test_backoff_grows_with_full_jitter_and_respects_retry_after() -> None:
    rng = random.Random(1)
    for attempts in range(12):
        ceiling = min(BACKOFF_CAP, 2.0 * 2**attempts)
        delays = [next_delay(attempts, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # jitter spreads over the whole range
    assert next_delay(0, rng, retry_after=120) >= 120
    assert is_retryable(SyncFailure("throttled", "429")) and not is_retryable(
        SyncFailure("auth", "revoked")
    )


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_network_outage_waits_but_the_network_returning_ends_the_wait(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    identity = device_identity(store)
    assert identity is not None
    closed = _closed_port()  # the platform's own address, while its network is down:
    offline = PlatformClient(closed, identity=dataclasses.replace(identity, platform_url=closed))
    now = time.time()
    first = sync_pass(store, offline, now)
    assert first.failure_kind == "network"
    second = sync_pass(store, offline, now + 0.001)
    assert second.waiting_until > now and second.failure == ""  # nothing was tried
    third = sync_pass(store, offline, now + 0.002, network_returned=True)
    assert third.failure_kind == "network"  # it did try at once
    offline.close()
    # The platform's own "wait" is not cut short by the network returning.
    store.set_setting("sync_last_failure_kind", "throttled")
    store.set_setting("sync_backoff_until", str(now + 600))
    assert sync_pass(store, client, now + 1, network_returned=True).waiting_until == now + 600
    assert sync_pass(store, client, now + 601).failure == ""


def test_decisions_reach_the_receipt(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    done = submit_application(store, _payload(1), current_platform_key(store), time.time())
    assert sync_pass(store, client, time.time()).accepted == 1
    receipt = store.receipt(done.reference)
    assert receipt is not None and receipt.status == "received"
    storage = PlatformStorage(platform.data)
    storage.set_status(receipt.platform_receipt, "needs_information", time.time())
    storage.set_status(receipt.platform_receipt, "approved", time.time())
    report = sync_pass(store, client, time.time())
    assert report.statuses == 2
    updated = store.receipt(done.reference)
    assert updated is not None and updated.status == "approved"
    assert sync_pass(store, client, time.time()).statuses == 0  # the cursor moved on
    storage.close()


def test_news_about_an_unacknowledged_item_is_asked_for_again(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    from sync.protocol import UploadItem

    done = submit_application(store, _payload(2), current_platform_key(store), time.time())
    [item] = store.outbox()
    wire = UploadItem(item.submission_id, item.service_id, item.service_version,
                      item.device_id, item.key_id, item.sealed)  # fmt: skip
    [answer] = client.upload([wire])  # the platform has it; our acknowledgement was lost
    storage = PlatformStorage(platform.data)
    storage.set_status(answer.receipt_number, "in_review", time.time())
    assert pull_status(store, client) == 0
    assert store.setting("status_cursor") in (None, "0")  # kept: the news comes again
    report = sync_pass(store, client, time.time())
    assert report.duplicate == 1
    receipt = store.receipt(done.reference)
    assert receipt is not None and receipt.status == "in_review"
    storage.close()


def test_usage_leaves_the_device_only_in_groups_of_five_or_more(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    last_week = time.time() - WEEK
    key = current_platform_key(store)
    for n in range(6):
        submit_application(store, _payload(n), key, last_week)
    for n in range(3):
        submit_application(store, _payload(n, "library-card"), key, last_week)
    assert sync_pass(store, client, time.time()).accepted == 9
    storage = PlatformStorage(platform.data)
    [(service, week, count)] = storage.usage()
    assert (service, count) == ("digital-device-access", 6)  # library-card (3) never sent
    assert week.count("-W") == 1
    sync_pass(store, client, time.time() + 60)
    assert storage.usage() == [(service, week, 6)]  # not counted twice
    storage.close()
