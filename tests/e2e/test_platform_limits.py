"""The reference platform under attack by unauthenticated clients (issue 16).

A greedy body, slow headers, a body that never comes, a client that leaves: each is
tried against the real server process over loopback, and the platform must stay small
and keep answering `/health`.
"""

from __future__ import annotations

import resource
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from reference_platform.local import LocalPlatform, start_local_platform
from sync.client import PlatformClient, SyncFailure
from sync.enrollment import current_platform_key, enroll
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application

READ_TIMEOUT = 2.0


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _address(platform: LocalPlatform) -> tuple[str, int]:
    parts = urlsplit(platform.url)
    assert parts.hostname and parts.port
    return parts.hostname, parts.port


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[LocalPlatform]:
    """Started as a Debian service would be, with a soft limit of 1,024 open files."""
    running = start_local_platform(
        tmp_path / "platform",
        extra_args=("--read-timeout", str(READ_TIMEOUT)),
        soft_file_limit=1024,
    )
    yield running
    running.stop()


def test_a_400_mib_chunked_body_keeps_the_platform_small(platform: LocalPlatform) -> None:
    sent = [0]

    def chunks() -> Iterator[bytes]:
        block = b"x" * (1 << 20)
        for _ in range(400):
            sent[0] += len(block)
            yield block

    try:  # no Content-Length: httpx sends it chunked
        answer = httpx.post(platform.url + "/v1/enrollments", content=chunks(), timeout=60)
        assert answer.status_code == 413
    except httpx.HTTPError:
        pass  # the platform may hang up before the client has finished sending
    peak = _peak_rss_mb(platform.process.pid)
    print(f"platform peak RSS {peak:.1f} MB after {sent[0] >> 20} MiB offered")
    assert peak < 100
    assert httpx.get(platform.url + "/v1/health", timeout=5).status_code == 200


def test_1100_slow_connections_do_not_stop_health(guarded: LocalPlatform) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    slow: list[socket.socket] = []
    try:
        for _ in range(1100):
            s = socket.create_connection(_address(guarded), timeout=5)
            s.sendall(b"POST /v1/enrollments HTTP/1.1\r\nHost: ieum\r\n")  # and no more
            slow.append(s)
        time.sleep(0.3)
        started = time.monotonic()
        answer = httpx.get(guarded.url + "/v1/health", timeout=5)
        took = time.monotonic() - started
        print(f"/health answered in {took * 1000:.0f} ms beside 1,100 slow connections")
        assert answer.status_code == 200 and took < 1.0
        # And the slow ones are let go once their headers are overdue.
        slow[0].settimeout(READ_TIMEOUT + 5)
        assert slow[0].recv(100) == b""
    finally:
        for s in slow:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_body_shorter_than_declared_gets_an_answer(guarded: LocalPlatform) -> None:
    with socket.create_connection(_address(guarded), timeout=READ_TIMEOUT + 5) as s:
        s.sendall(
            b"POST /v1/enrollments HTTP/1.1\r\nHost: ieum\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        answer = s.recv(200)
    assert answer.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < READ_TIMEOUT + 1


def test_a_client_leaving_midway_is_one_line_in_the_log(guarded: LocalPlatform) -> None:
    with socket.create_connection(_address(guarded), timeout=5) as s:
        s.sendall(
            b"POST /v1/enrollments HTTP/1.1\r\nHost: ieum\r\nContent-Type: application/json\r\n"
            b'Content-Length: 1000\r\n\r\n{"token": '
        )
        time.sleep(0.2)
    time.sleep(0.5)
    assert httpx.get(guarded.url + "/v1/health", timeout=5).status_code == 200
    log = (guarded.data / "platform.log").read_text()
    assert "client left during its request body: POST /v1/enrollments" in log
    assert "Traceback" not in log and "ClientDisconnect" not in log


def test_one_device_is_held_to_its_rate_and_daily_quota(
    tmp_path: Path, database: str | None
) -> None:
    small = start_local_platform(
        tmp_path / "platform",
        extra_args=("--device-rate", "1", "--device-burst", "5", "--daily-submissions", "2"),
        database=database,
    )
    store = Store(tmp_path / "device" / "ieum.db")
    client = PlatformClient(small.url)
    try:
        enroll(store, client, small.new_token("busy kiosk"))
        answers = []
        for _ in range(8):
            try:
                client.keys()
                answers.append("ok")
            except SyncFailure as failure:
                answers.append(failure.kind)
                assert failure.retry_after is not None and failure.retry_after >= 1
        assert answers[:5] == ["ok"] * 5 and "throttled" in answers[5:]
        time.sleep(3)  # the bucket fills again
        key = current_platform_key(store)
        for n in range(3):
            submit_application(store, {"service": {"id": "s", "version": "1"}, "answers": {"n": n}},
                               key, time.time())  # fmt: skip
        report = sync_pass(store, client, time.time())
        assert report.failure_kind == "throttled"  # three at once would pass the quota of two
        assert len(store.outbox()) == 3  # nothing is lost: they wait for tomorrow
    finally:
        client.close()
        store.close()
        small.stop()
