"""Two platform processes on one real PostgreSQL behind a round-robin proxy (replicas.py)
serve one kiosk: what one replica saw, the other knows, because it is all in the
database; and one replica killed with SIGKILL mid-batch loses and duplicates nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.auth import sign_request
from sync.client import PlatformClient
from sync.enrollment import current_platform_key, device_identity, enroll
from sync.protocol import ItemResult, UploadItem
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application
from tests.conftest import DEMO_CATALOG_KEY
from tests.e2e.replicas import RoundRobin, start_replicas
from tests.postgres import Cluster

pytestmark = pytest.mark.postgresql


@pytest.fixture
def replicas(tmp_path: Path, postgres_cluster: Cluster) -> Iterator[list[LocalPlatform]]:
    running = start_replicas(tmp_path, postgres_cluster.new_database(), 2, DEMO_CATALOG_KEY)
    yield running
    for replica in running:
        replica.stop()


@pytest.fixture
def backend() -> str:
    return "postgresql"  # this file is about replicas on PostgreSQL only


def test_a_request_replayed_to_the_other_replica_is_refused(
    tmp_path: Path, replicas: list[LocalPlatform]
) -> None:
    store = Store(tmp_path / "device" / "ieum.db")
    client = PlatformClient(replicas[0].url)
    enroll(store, client, replicas[0].new_token("replica test"))
    me = device_identity(store)
    assert me is not None
    for first, second in ((0, 1), (1, 0)):
        signed = sign_request(me.key, me.device_id, "GET", "/v1/keys", b"", time.time())
        ok = httpx.get(replicas[first].url + "/v1/keys", headers=signed, timeout=5)
        assert ok.status_code == 200
        again = httpx.get(replicas[second].url + "/v1/keys", headers=signed, timeout=5)
        assert (again.status_code, again.json()["error"]) == (401, "replayed")
    # Both replicas answer health only because the database does.
    for replica in replicas:
        assert httpx.get(replica.url + "/v1/health", timeout=5).json()["status"] == "ok"
    client.close()
    store.close()


def _payload(n: int) -> dict[str, object]:
    return {
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "answers": {"household_size": n % 9 + 1, "name_for_loan": f"Test Resident {n}"},
    }


@pytest.mark.parametrize("when", ["while_storing", "after_commit"])
def test_a_replica_killed_mid_batch_loses_and_duplicates_nothing(
    tmp_path: Path, replicas: list[LocalPlatform], when: str
) -> None:
    proxy = RoundRobin(replicas)
    store = Store(tmp_path / "device" / "ieum.db")
    client = PlatformClient(proxy.url, timeout=10)
    enroll(store, client, replicas[0].new_token("replica test"))
    clock = time.time()
    ids = []
    for n in range(250):  # three batches of at most 100
        done = submit_application(store, _payload(n), current_platform_key(store), clock)
        ids.append(done.submission_id)
    victim = replicas[0]
    killed = threading.Event()

    def kill() -> None:
        os.kill(victim.process.pid, signal.SIGKILL)
        victim.process.wait()
        killed.set()

    def before(index: int, method: str, path: str) -> None:
        if when == "while_storing" and index == 0 and method == "POST" and not killed.is_set():
            threading.Timer(0.02, kill).start()  # the batch is being opened and stored

    def after(index: int, method: str, path: str) -> bool:
        if when == "after_commit" and index == 0 and method == "POST" and not killed.is_set():
            kill()  # stored and answered; the answer never reaches the kiosk
            return False
        return True

    proxy.before_forward = before
    proxy.after_forward = after
    rng = random.Random(5)
    try:
        for _ in range(20):
            report = sync_pass(store, client, clock, None, rng)
            if not store.outbox():
                break
            backoff = float(store.setting("sync_backoff_until") or 0)
            due = [item.next_attempt for item in store.outbox()]
            clock = max([clock + 60, report.waiting_until, backoff, *due]) + 1
        assert killed.is_set() and victim.process.returncode == -signal.SIGKILL
        assert store.outbox() == []
        storage = PlatformStorage(replicas[1].data)
        received = storage.submissions()
        assert sorted(s.submission_id for s in received) == sorted(ids)  # each exactly once
        numbers = {s.submission_id: s.receipt_number for s in received}
        rows = store.conn.execute("SELECT submission_id, platform_receipt FROM receipts")
        assert dict(rows.fetchall()) == numbers  # the kiosk's receipts are the platform's
        for submission in received[:5]:
            assert json.loads(storage.open(submission))["answers"]["household_size"] >= 1
        storage.close()
        assert 1 in proxy.sent and proxy.down == {0}
    finally:
        client.close()
        store.close()
        proxy.close()


def _upload_together(clients: list[PlatformClient], wire: list[UploadItem]) -> list[Any]:
    start = threading.Barrier(len(clients))

    def send(client: PlatformClient) -> list[ItemResult]:
        start.wait()
        return client.upload(wire)

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(send, clients))


def test_one_batch_sent_to_both_replicas_at_once_is_stored_once(
    tmp_path: Path, replicas: list[LocalPlatform]
) -> None:
    """A kiosk's resend racing its first try on the other replica (a load balancer that
    retried): one replica accepts each item, the other answers duplicate, same receipt."""
    store = Store(tmp_path / "device" / "ieum.db")
    enrolling = PlatformClient(replicas[0].url)
    enroll(store, enrolling, replicas[0].new_token("race"))
    enrolling.close()
    me = device_identity(store)
    assert me is not None
    clients = [
        PlatformClient(r.url, identity=dataclasses.replace(me, platform_url=r.url))
        for r in replicas
    ]
    for round_ in range(3):
        clock = time.time()
        done = [
            submit_application(store, _payload(n), current_platform_key(store), clock)
            for n in range(40)
        ]
        queued = {i.submission_id: i for i in store.outbox()}
        wire = [
            UploadItem(i.submission_id, i.service_id, i.service_version, i.device_id,
                       i.key_id, i.sealed)
            for i in (queued[d.submission_id] for d in done)
        ]  # fmt: skip
        answers = _upload_together(clients, wire)
        for first, second in zip(*answers, strict=True):
            assert sorted([first.result, second.result]) == ["accepted", "duplicate"], round_
            assert first.receipt_number == second.receipt_number
        store.conn.execute("DELETE FROM outbox")
    storage = PlatformStorage(replicas[0].data)
    assert len(storage.submissions()) == 120
    storage.close()
    for c in clients:
        c.close()
    store.close()
