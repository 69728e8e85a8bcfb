"""Exactly once, whatever the network does: the sync against the real reference platform
through a fault-injecting proxy (see faults.py), with the device's clock skewed now
and then. The device's time is a test clock, so backoff is checked without sleeping.

Afterwards the platform must hold every application exactly once, opening to what
was sealed; the device must agree (no outbox left, a receipt with the platform's
number for each); and no request may have been sent while the device was told to wait.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from forms.package import SigningKey, install_package
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient, SyncFailure
from sync.enrollment import current_platform_key, enroll, is_enrolled
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application
from tests.conftest import DEMO_CATALOG_KEY, ROOT
from tests.e2e.faults import FaultProxy, RestartablePlatform, Schedule

DEMO_PACKAGE = ROOT / "resources" / "catalog" / "demo.ieumcat"
SKEWS = [0.0, 0.0, 90.0, -90.0, 900.0, -900.0, 4 * 3600.0, -4 * 3600.0]


def _payload(n: int) -> dict[str, object]:
    return {
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "answers": {"household_size": n % 9 + 1, "name_for_loan": f"Test Resident {n}"},
    }


def _installer(folder: Path) -> Callable[[bytes], str]:
    key = SigningKey.from_text(DEMO_CATALOG_KEY.read_text())
    return lambda package: install_package(package, key, folder).version


def _battery(tmp_path: Path, faults: int, seed: int, database: str | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    platform = RestartablePlatform(tmp_path / "platform", DEMO_CATALOG_KEY, database)
    subprocess.run(
        [sys.executable, "-m", "reference_platform", "publish-catalog",
         "--data", str(platform.data),
         str(DEMO_PACKAGE)],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    schedule = Schedule(rng, rate=0.5)
    proxy = FaultProxy(platform, schedule)
    store = Store(tmp_path / "device" / "ieum.db")
    skew = [0.0]
    client = PlatformClient(proxy.url, timeout=0.4, clock=lambda: time.time() + skew[0])
    token = platform.current.new_token("battery")
    install = _installer(tmp_path / "device" / "catalog")
    payloads: dict[str, dict[str, object]] = {}
    clock = time.time()
    skews = waits_checked = 0
    try:
        for _round in range(200_000):
            faults_done = sum(schedule.injected.values()) + skews
            if faults_done >= faults:
                schedule.enabled = False
                skew[0] = 0.0
                if not store.outbox() and is_enrolled(store):
                    break
            elif rng.random() < 0.04:
                skew[0] = rng.choice(SKEWS)
                skews += abs(skew[0]) > 300
            if not is_enrolled(store):
                try:
                    enroll(store, client, token, clock)
                except SyncFailure:
                    clock += rng.uniform(1, 30)
                    continue
            if schedule.enabled and rng.random() < 0.35:
                for _ in range(rng.randint(1, 4)):
                    n = len(payloads)
                    done = submit_application(
                        store, _payload(n), current_platform_key(store), clock
                    )
                    payloads[done.submission_id] = _payload(n)
            requests_before = schedule.requests
            report = sync_pass(store, client, clock, install, rng)
            if report.waiting_until:
                # Told to wait: not one request may go out before the time has come.
                assert schedule.requests == requests_before
                assert report.waiting_until > clock
                clock = report.waiting_until + rng.uniform(0, 2)
                waits_checked += 1
            elif report.failure:
                until = float(store.setting("sync_backoff_until") or 0)
                assert until > clock
                if report.retry_after:
                    assert until >= clock + report.retry_after  # Retry-After honoured
                    for item in store.outbox():
                        assert item.next_attempt <= clock or item.attempts > 0
            else:
                clock += rng.uniform(5, 60)
        else:
            raise AssertionError("the device never caught up")

        # The platform holds every application exactly once, opening to what was sealed.
        storage = PlatformStorage(platform.data)
        received = storage.submissions()
        assert sorted(s.submission_id for s in received) == sorted(payloads)
        for submission in received:
            opened = json.loads(storage.open(submission))
            assert opened["answers"] == payloads[submission.submission_id]["answers"]
        # ... and the device agrees: nothing waiting, a receipt with the platform's number.
        assert store.outbox() == []
        numbers = {s.submission_id: s.receipt_number for s in received}
        rows = store.conn.execute("SELECT submission_id, platform_receipt FROM receipts")
        assert dict(rows.fetchall()) == numbers
        # The catalog came down too, intact, despite the faults on the way.
        installed = tmp_path / "device" / "catalog" / "catalog.ieumcat"
        assert installed.read_bytes() == DEMO_PACKAGE.read_bytes()
        assert store.integrity() == "ok"
        storage.close()
        return {
            "faults": sum(schedule.injected.values()) + skews,
            "applications": len(payloads),
            "restarts": platform.restarts,
            "waits_checked": waits_checked,
            "clock_skew": skews,
            **schedule.injected,
        }
    finally:
        client.close()
        store.close()
        proxy.close()
        platform.stop()


def test_exactly_once_through_300_faults(tmp_path: Path, database: str | None) -> None:
    figures = _battery(tmp_path, faults=300, seed=11, database=database)
    assert figures["faults"] >= 300
    assert figures["applications"] >= 50
    assert figures["waits_checked"] >= 20
    # Every kind of fault really happened, the platform restarts included.
    assert {"drop_after", "throttled_429", "truncated", "garbage", "oversized"} <= set(figures)
    assert figures["restarts"] >= 1


@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_exactly_once_through_1500_faults(tmp_path: Path, database: str | None) -> None:
    figures = _battery(tmp_path, faults=1500, seed=12, database=database)
    assert figures["faults"] >= 1500 and figures["restarts"] >= 5
