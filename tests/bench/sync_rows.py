"""Bench row: 1,000 queued applications synced end to end, against a naive loop.

Ours: batch build, signed HTTP, the platform's durable insert, acknowledgement and the
local wipe, as `sync_pass` does it. The baseline: the same number of sealed
applications POSTed one per request with httpx (signed, or the platform would refuse
them), against the same platform in the same run. Rates in applications per second.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx

from reference_platform.local import NO_DEVICE_LIMITS, start_local_platform
from sync.auth import sign_request
from sync.client import PlatformClient
from sync.enrollment import current_platform_key, device_identity, enroll
from sync.protocol import UploadItem
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_applications
from tests.bench.table import Row

APPLICATIONS = 1000


def _queued_store(folder: Path, url: str, token: str) -> tuple[Store, PlatformClient]:
    store = Store(folder / "ieum.db")
    client = PlatformClient(url)
    enroll(store, client, token)
    payloads: list[dict[str, object]] = [
        {
            "service": {"id": "digital-device-access", "version": "2026.1"},
            "answers": {"household_size": n % 7 + 1, "name_for_loan": f"Test Resident {n}"},
        }
        for n in range(APPLICATIONS)
    ]
    for start in range(0, APPLICATIONS, 100):
        submit_applications(
            store, payloads[start : start + 100], current_platform_key(store), time.time()
        )
    return store, client


def sync_rows(runs: int) -> list[Row]:
    ours: list[float] = []
    naive: list[float] = []
    with tempfile.TemporaryDirectory(prefix="ieum-bench-sync-") as tmp:
        platform = start_local_platform(Path(tmp) / "platform", extra_args=NO_DEVICE_LIMITS)
        try:
            for run in range(max(3, runs // 2)):
                store, client = _queued_store(
                    Path(tmp) / f"ours-{run}", platform.url, platform.new_token()
                )
                started = time.perf_counter()
                report = sync_pass(store, client, time.time())
                elapsed = time.perf_counter() - started
                assert report.accepted == APPLICATIONS and not store.outbox(), report
                ours.append(APPLICATIONS / elapsed)
                client.close()
                store.close()

                store, client = _queued_store(
                    Path(tmp) / f"naive-{run}", platform.url, platform.new_token()
                )
                identity = device_identity(store)
                assert identity is not None
                items = store.outbox()
                with httpx.Client(base_url=platform.url) as http:
                    started = time.perf_counter()
                    for i in items:
                        wire = UploadItem(i.submission_id, i.service_id, i.service_version,
                                          i.device_id, i.key_id, i.sealed)  # fmt: skip
                        body = httpx.Request("POST", "/", json={"items": [wire.to_wire()]}).content
                        headers = sign_request(identity.key, identity.device_id, "POST",
                                               "/v1/submissions", body, time.time())  # fmt: skip
                        headers["content-type"] = "application/json"
                        answer = http.post("/v1/submissions", content=body, headers=headers)
                        assert answer.json()["results"][0]["result"] == "accepted"
                    elapsed = time.perf_counter() - started
                naive.append(APPLICATIONS / elapsed)
                client.close()
                store.close()
        finally:
            platform.stop()
    return [
        Row("1000 applications synced", statistics.median(ours), statistics.median(naive),
            "one POST per application", "/s", ">= 5x"),
    ]  # fmt: skip
