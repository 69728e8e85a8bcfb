"""A fault-injecting HTTP proxy in front of the real reference platform.

The device talks to the proxy; the proxy forwards each request unchanged to the
platform process (signatures cover the path and body, so it must not touch them) and
then, as a seeded schedule says, spoils the exchange: the connection dropped before or
after the platform committed, 500/503/429 with Retry-After, a hang past the client's
timeout, truncated or garbage JSON, a wrong content type, an oversized answer, or the
platform process killed with SIGKILL and started again on the same data.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx

from reference_platform.local import NO_DEVICE_LIMITS, LocalPlatform, start_local_platform
from tests.e2e.proxy import LoopbackProxy, forwarded_headers

FAULTS = {
    # name: relative weight
    "drop_before": 8,
    "drop_after": 12,
    "error_500": 6,
    "error_503": 6,
    "throttled_429": 6,
    "hang": 2,
    "truncated": 8,
    "garbage": 6,
    "wrong_type": 5,
    "oversized": 3,
    "kill_before": 1,
    "kill_after": 1,
}
HANG_SECONDS = 0.6
"""Longer than the client's timeout in the battery."""


@dataclass
class Schedule:
    """Which fault the next request gets: seeded, so a failure can be replayed."""

    rng: random.Random
    rate: float
    faults: dict[str, int] = field(default_factory=lambda: dict(FAULTS))
    injected: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    retry_after: list[float] = field(default_factory=list)
    enabled: bool = True
    retry_after_range: tuple[float, float] = (1, 120)
    """Seconds the 500/503/429 answers ask for (the drain test uses small ones)."""

    def next(self) -> str:
        self.requests += 1
        if not self.enabled or self.rng.random() >= self.rate:
            return ""
        names = list(self.faults)
        fault = self.rng.choices(names, [self.faults[n] for n in names])[0]
        self.injected[fault] += 1
        return fault


class RestartablePlatform:
    """The reference platform as a process that the proxy may kill and start again."""

    def __init__(self, data: Path, catalog_key: Path, database: str | None = None) -> None:
        self.data = data
        self.catalog_key = catalog_key
        self.lock = threading.Lock()
        self.current: LocalPlatform = start_local_platform(
            data, catalog_key=catalog_key, extra_args=NO_DEVICE_LIMITS, database=database
        )
        self.restarts = 0

    @property
    def url(self) -> str:
        return self.current.url

    def kill_and_restart(self) -> None:
        with self.lock:
            self.current.process.kill()  # SIGKILL: no chance to finish anything
            self.current.process.wait()
            self.current = start_local_platform(  # the data folder remembers the database
                self.data, catalog_key=self.catalog_key, extra_args=NO_DEVICE_LIMITS
            )
            self.restarts += 1

    def stop(self) -> None:
        self.current.stop()


class FaultProxy(LoopbackProxy):
    def __init__(self, platform: RestartablePlatform, schedule: Schedule) -> None:
        self.platform = platform
        self.schedule = schedule
        super().__init__()

    def relay(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        fault = self.schedule.next()
        if fault == "drop_before":
            request.close_connection = True
            return
        if fault == "kill_before":
            self.platform.kill_and_restart()
            request.close_connection = True
            return
        if fault == "hang":
            time.sleep(HANG_SECONDS)
            request.close_connection = True
            return
        if fault in ("error_500", "error_503", "throttled_429"):
            status = int(fault.split("_")[1])
            wait = round(self.schedule.rng.uniform(*self.schedule.retry_after_range))
            self.schedule.retry_after.append(wait)
            _answer(request, status, b'{"error":"busy","detail":"try later"}',
                    "application/json", {"retry-after": str(wait)})  # fmt: skip
            return
        try:
            response = self.http.request(
                request.command, self.platform.url + request.path,
                headers=forwarded_headers(request), content=body,
            )  # fmt: skip
        except httpx.HTTPError:
            request.close_connection = True  # the platform is restarting
            return
        if fault == "drop_after":
            request.close_connection = True  # committed upstream, answer lost
            return
        if fault == "kill_after":
            self.platform.kill_and_restart()
            request.close_connection = True
            return
        content = response.content
        kind = response.headers.get("content-type", "application/json")
        kept = ("etag", "ieum-catalog-version", "retry-after")
        extra = {k: v for k, v in response.headers.items() if k.lower() in kept}
        if fault == "truncated" and content:
            content = content[: max(1, len(content) // 2)]
        elif fault == "garbage":
            content = self.schedule.rng.choice(
                [b"\x00\xff not json", b'{"results": [', b"[]", b'{"results": 7}',
                 b'{"changes": "x", "cursor": 5}', b"null"]
            )  # fmt: skip
        elif fault == "wrong_type":
            kind = "text/html; charset=utf-8"
        elif fault == "oversized":
            content = b'{"pad": "' + b"x" * (33 * 1024 * 1024) + b'"}'
        _answer(request, response.status_code, content, kind, extra)


def _answer(
    request: BaseHTTPRequestHandler, status: int, content: bytes, kind: str, extra: dict[str, str]
) -> None:
    request.send_response(status)
    request.send_header("content-type", kind)
    request.send_header("content-length", str(len(content)))
    for name, value in extra.items():
        request.send_header(name, value)
    request.end_headers()
    try:
        request.wfile.write(content)
    except (BrokenPipeError, ConnectionResetError):
        request.close_connection = True
