"""The kiosk's heartbeat through a real sync pass: queue figures reach the platform every
15 minutes, numbers only; a platform without the route does not fail the pass."""

from __future__ import annotations

import time
from collections.abc import Callable

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient
from sync.enrollment import current_platform_key
from sync.heartbeat import HEARTBEAT_SECONDS, SENT, queue_figures
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_applications
from tests.e2e.test_backoff_clock import Rule, Spoil, proxied  # noqa: F401 - a fixture


def _queue(store: Store, n: int, now: float) -> None:
    payloads: list[dict[str, object]] = [
        {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {"n": i}}
        for i in range(n)
    ]
    submit_applications(store, payloads, current_platform_key(store), now)


def _figures(platform: LocalPlatform) -> dict[str, int | float]:
    storage = PlatformStorage(platform.data)
    try:
        [(_, figures)] = storage.devices.last_seen().values()
        return figures
    finally:
        storage.close()


def test_the_queue_figures_reach_the_platform_every_15_minutes(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    now = time.time()
    _queue(store, 2, now - 30)
    assert queue_figures(store, now) == {"queued": 2, "quarantined": 0, "oldest_queued_s": 30.0}
    assert sync_pass(store, client, now).ok
    assert _figures(platform) == {"queued": 0, "quarantined": 0, "oldest_queued_s": 0.0}
    assert float(store.setting(SENT) or 0) == now

    _queue(store, 1, now)
    assert sync_pass(store, client, now + 60).ok  # not due: nothing sent
    assert float(store.setting(SENT) or 0) == now
    assert sync_pass(store, client, now + HEARTBEAT_SECONDS + 1).ok
    assert float(store.setting(SENT) or 0) == now + HEARTBEAT_SECONDS + 1


def test_a_platform_without_heartbeats_does_not_fail_the_pass(
    store: Store,
    proxied: Callable[[Rule], PlatformClient],  # noqa: F811 - the fixture imported above
) -> None:
    def no_heartbeat(method: str, path: str, uploads: int) -> Spoil | None:
        return Spoil(0, 404, {}) if path.endswith("/heartbeat") else None

    via = proxied(no_heartbeat)
    now = time.time()
    _queue(store, 2, now)
    report = sync_pass(store, via, now)
    assert report.ok and report.accepted == 2
    assert float(store.setting(SENT) or 0) == now  # asked again in 15 minutes, not at once


def test_a_failed_heartbeat_fails_the_pass_like_any_request(
    store: Store,
    proxied: Callable[[Rule], PlatformClient],  # noqa: F811 - the fixture imported above
) -> None:
    def busy(method: str, path: str, uploads: int) -> Spoil | None:
        return Spoil(0, 503, {"retry-after": "30"}) if path.endswith("/heartbeat") else None

    via = proxied(busy)
    now = time.time()
    report = sync_pass(store, via, now)
    assert not report.ok and report.retry_after == 30
    assert store.setting(SENT) is None
