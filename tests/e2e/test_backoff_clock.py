"""Backoff on a real, moving clock: the wait starts when the failed answer arrives.

A scripted proxy over loopback sits between the device and the real reference
platform; it lets requests through or answers them itself, slowly, with 503/429 and
Retry-After in either form. The device's time is the real time (`time.time()`), so a
pass that takes a second really takes a second, and a wait measured from the pass's
start (the old bug) is visibly short.
"""

from __future__ import annotations

import dataclasses
import email.utils
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

import pytest

from reference_platform.local import LocalPlatform
from sync.client import FailureKind, PlatformClient, parse_retry_after
from sync.enrollment import current_platform_key, device_identity
from sync.runner import BACKOFF_UNTIL, CONSECUTIVE_FAILURES, sync_pass
from sync.store import Store
from sync.submission import submit_applications
from tests.e2e.proxy import LoopbackProxy, forwarded_headers


@dataclass(frozen=True)
class Spoil:
    """The proxy's own answer instead of the platform's, after `delay` seconds."""

    delay: float
    status: int
    headers: dict[str, str]


Rule = Callable[[str, str, int], Spoil | None]
"""(method, path, how many uploads so far) -> what to answer, or None to forward."""


class ScriptedProxy(LoopbackProxy):
    def __init__(self, upstream: str, rule: Rule) -> None:
        self.upstream = upstream
        self.rule = rule
        self.uploads = 0
        super().__init__()

    def relay(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        if request.path.endswith("/submissions"):
            self.uploads += 1
        spoil = self.rule(request.command, request.path, self.uploads)
        if spoil is not None:
            time.sleep(spoil.delay)
            content = b'{"error":"busy"}'
            request.send_response(spoil.status)
            kind = {"content-type": "application/json", **spoil.headers}
        else:
            answer = self.http.request(
                request.command, self.upstream + request.path,
                headers=forwarded_headers(request, drop=("host",)), content=body,
            )  # fmt: skip
            content = answer.content
            kind = {"content-type": answer.headers.get("content-type", "")}
            request.send_response(answer.status_code)
        for name, value in kind.items():
            request.send_header(name, value)
        request.send_header("content-length", str(len(content)))
        request.end_headers()
        request.wfile.write(content)


class Jitter(random.Random):
    """Full jitter pinned to one end of its range, so a test can reason about it."""

    def __init__(self, at: float) -> None:
        super().__init__(0)
        self.at = at

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.at


@pytest.fixture
def proxied(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> Iterator[Callable[[Rule], PlatformClient]]:
    opened: list[tuple[ScriptedProxy, PlatformClient]] = []

    def through(rule: Rule) -> PlatformClient:
        proxy = ScriptedProxy(platform.url, rule)
        # The device's requests go only to the address it enrolled at (the trust chain):
        # here that is the proxy's, as if it had enrolled through it.
        identity = dataclasses.replace(device_identity(store), platform_url=proxy.url)
        via = PlatformClient(proxy.url, identity=identity)
        opened.append((proxy, via))
        return via

    yield through
    for proxy, via in opened:
        via.close()
        proxy.close()


def _queue(store: Store, n: int) -> None:
    payloads: list[dict[str, object]] = [
        {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {"n": i}}
        for i in range(n)
    ]
    submit_applications(store, payloads, current_platform_key(store), time.time())


SLOW = 1.0


def test_retry_after_counts_from_the_answer_not_from_the_pass_start(
    store: Store, proxied: Callable[[Rule], PlatformClient]
) -> None:
    _queue(store, 3)
    via = proxied(lambda m, p, n: Spoil(SLOW, 503, {"retry-after": "1"}))
    started = time.time()
    report = sync_pass(store, via, started, rng=Jitter(0.0))
    answered = time.time()
    assert report.failure_kind == FailureKind.SERVER and report.retry_after == 1
    assert answered - started >= SLOW
    until = float(store.setting(BACKOFF_UNTIL) or 0)
    # A full second after the answer came, not after the pass began.
    assert until >= started + SLOW + 1
    assert until <= answered + 1 + 0.5
    for item in store.outbox():
        assert item.next_attempt >= started + SLOW + 1
    # And the next pass, right after the answer, really waits.
    assert sync_pass(store, via, time.time()).waiting_until == until


def test_retry_after_as_an_http_date_is_honoured(
    store: Store, proxied: Callable[[Rule], PlatformClient]
) -> None:
    _queue(store, 1)

    def throttle(method: str, path: str, n: int) -> Spoil:
        when = email.utils.formatdate(time.time() + 5, usegmt=True)
        return Spoil(0.0, 429, {"retry-after": when})

    via = proxied(throttle)
    started = time.time()
    report = sync_pass(store, via, started, rng=Jitter(0.0))
    assert report.failure_kind == FailureKind.THROTTLED
    assert report.retry_after is not None and 3.5 <= report.retry_after <= 5
    assert float(store.setting(BACKOFF_UNTIL) or 0) >= started + 3.5


def test_parse_retry_after_reads_both_forms() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after(" 7 ", now) == 7
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now) == 30
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:50 -0000", now) == 30
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now) == 0
    assert parse_retry_after("10000000", now) == 3600
    for bad in ("", "soon", "nan", "Fri, 99 Foo 2023"):
        assert parse_retry_after(bad, now) is None


def test_a_pass_that_delivers_batches_starts_the_failure_count_again(
    store: Store, proxied: Callable[[Rule], PlatformClient]
) -> None:
    _queue(store, 150)  # two batches
    store.set_setting(CONSECUTIVE_FAILURES, "8")  # a long outage before this pass
    # The first batch goes through, the second meets a 503 without Retry-After.
    via = proxied(lambda m, p, n: Spoil(0.0, 503, {}) if n >= 2 else None)
    started = time.time()
    report = sync_pass(store, via, started, rng=Jitter(1.0))
    answered = time.time()
    assert report.accepted == 100 and report.failure_kind == FailureKind.SERVER
    assert store.setting(CONSECUTIVE_FAILURES) == "1"
    # The wait is the first step of the schedule (2 s), not the ninth (512 s).
    assert float(store.setting(BACKOFF_UNTIL) or 0) <= answered + 2.0
    # The failed batch's own count is its own: one failed try for those 50 items.
    assert sorted({i.attempts for i in store.outbox()}) == [1]
    assert len(store.outbox()) == 50
