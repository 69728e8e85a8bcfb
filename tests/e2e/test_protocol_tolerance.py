"""A platform newer than the kiosk: statuses and fields the kiosk has never heard of.

The city will add statuses (an appeal, a transfer) and fields long before every kiosk
is updated; one unknown value must not stop the sync pass of a whole fleet. The real
reference platform answers behind a small proxy that renames a status and adds fields,
as a newer platform would (signatures cover only the request, so the proxy may).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from kiosk.i18n import Words
from kiosk.screens.status_result import status_words
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient
from sync.enrollment import current_platform_key, enroll
from sync.store import Store
from sync.submission import submit_application

NEW_STATUS = "transferred_to_district"
Rewrite = Callable[[str, Any], Any]


class NewerPlatform:
    """Relays to the real platform and rewrites its JSON answers with `rewrite(path, data)`."""

    def __init__(self, upstream: str, rewrite: Rewrite) -> None:
        self.upstream, self.rewrite = upstream, rewrite
        self.http = httpx.Client(timeout=30)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.http.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._relay()

            def do_POST(self) -> None:
                self._relay()

            def _relay(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                answer = proxy.http.request(
                    self.command, proxy.upstream + self.path, headers=headers, content=body
                )
                content = answer.content
                kind = answer.headers.get("content-type", "")
                if kind.startswith("application/json"):
                    path = self.path.split("?")[0]
                    content = json.dumps(proxy.rewrite(path, json.loads(content))).encode()
                self.send_response(answer.status_code)
                for name in ("content-type", "etag", "ieum-catalog-version", "retry-after"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("content-length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        return Handler


def newer(path: str, data: Any) -> Any:
    """What a later platform might send: a new status, new fields everywhere."""
    if isinstance(data, dict):
        data["platform_generation"] = 2
    if path == "/v1/status":
        for change in data["changes"]:
            change["status"] = NEW_STATUS
            change["office"] = {"code": "fake-district-00"}
    if path == "/v1/submissions":
        for result in data["results"]:
            result["queue_position"] = 17
    return data


@pytest.fixture
def newer_platform(platform: LocalPlatform) -> Iterator[NewerPlatform]:
    proxy = NewerPlatform(platform.url, newer)
    yield proxy
    proxy.close()


def test_an_unknown_status_is_kept_and_the_pass_goes_on(
    store: Store, platform: LocalPlatform, newer_platform: NewerPlatform
) -> None:
    from sync.runner import sync_pass

    client = PlatformClient(newer_platform.url)
    enroll(store, client, platform.new_token("tolerance kiosk"))
    payload = {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {}}
    done = submit_application(store, payload, current_platform_key(store), time.time())
    first = sync_pass(store, client, time.time())
    assert first.failure == "" and first.accepted == 1
    receipt = store.receipt(done.reference)
    assert receipt is not None
    storage = PlatformStorage(platform.data)
    try:
        storage.set_status(receipt.platform_receipt, "in_review", time.time())
    finally:
        storage.close()
    report = sync_pass(store, client, time.time())
    assert report.failure == "" and report.statuses == 1
    updated = store.receipt(done.reference)
    assert updated is not None and updated.status == NEW_STATUS  # kept as sent
    assert sync_pass(store, client, time.time()).statuses == 0  # the cursor moved past it
    client.close()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_unknown_status_reads_as_in_progress(language: str) -> None:
    words = Words(language)
    assert status_words(words, NEW_STATUS) == status_words(words, "in_review")
