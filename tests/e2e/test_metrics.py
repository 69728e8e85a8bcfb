"""Prometheus figures at /metrics of the real platform process, after real traffic."""

from __future__ import annotations

import re
import time

import httpx

from reference_platform.local import LocalPlatform
from sync.client import PlatformClient
from sync.enrollment import current_platform_key
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_applications

SAMPLE = re.compile(r'^([a-z_]+)(\{(?:[a-z_]+="[^"\\\n]*",?)*\})? (-?[0-9.e+-]+|\+Inf)$')


def _samples(text: str) -> dict[str, float]:
    """Every sample line by its name and labels; fails on any line not in the format."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        found = SAMPLE.match(line)
        assert found, f"not in the exposition format: {line!r}"
        samples[found[1] + (found[2] or "")] = float(found[3])
    return samples


def test_requests_batches_latencies_and_errors_are_counted(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    payloads = [
        {"service": {"id": "metrics-test", "version": "1"}, "answers": {"n": n}} for n in range(3)
    ]
    submit_applications(store, payloads, current_platform_key(store), time.time())
    assert sync_pass(store, client, time.time()).accepted == 3
    assert httpx.get(platform.url + "/v1/status").status_code == 401  # unsigned
    text = httpx.get(platform.url + "/metrics").text
    samples = _samples(text)
    route = 'route="/v1/submissions"'
    assert samples[f'ieum_requests_total{{{route},method="POST",status="200"}}'] == 1
    assert samples["ieum_batch_items_count"] == 1 and samples["ieum_batch_items_sum"] == 3
    assert samples['ieum_batch_items_bucket{le="2"}'] == 0
    assert samples['ieum_batch_items_bucket{le="5"}'] == 1
    assert samples['ieum_submission_results_total{result="accepted"}'] == 3
    unsigned = 'ieum_errors_total{route="/v1/status",status="401",code="unsigned"}'
    assert samples[unsigned] == 1
    assert samples[f"ieum_request_duration_seconds_count{{{route}}}"] == 1
    assert samples[f'ieum_request_duration_seconds_bucket{{{route},le="+Inf"}}'] == 1
    assert 0 < samples[f"ieum_request_duration_seconds_sum{{{route}}}"] < 10
    assert "# TYPE ieum_request_duration_seconds histogram" in text
    # Labels are route templates and codes: no device id, receipt or query ever.
    device_id = store.device_id()
    assert device_id not in text and "since=" not in text
