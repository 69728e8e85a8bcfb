"""The kiosk never sends on a connection the platform may be closing: it stops reusing an
idle connection well before the platform's keep-alive runs out (sync.client)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reference_platform.http import KEEP_ALIVE_S
from sync.client import KEEPALIVE_EXPIRY_S, PlatformClient


class _Counting(ThreadingHTTPServer):
    daemon_threads = True
    connections = 0


class _Ok(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def setup(self) -> None:
        super().setup()
        assert isinstance(self.server, _Counting)
        self.server.connections += 1

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Counting]:
    httpd = _Counting(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_the_kiosk_lets_go_of_idle_connections_before_the_platform_does() -> None:
    assert KEEPALIVE_EXPIRY_S <= KEEP_ALIVE_S / 2


def test_an_idle_connection_is_not_reused_after_the_expiry(server: _Counting) -> None:
    client = PlatformClient(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        http = client._http  # the configured pool is what is under test
        assert http.get("/").status_code == 200
        assert http.get("/").status_code == 200
        assert server.connections == 1  # reused while fresh
        time.sleep(KEEPALIVE_EXPIRY_S + 0.3)
        assert http.get("/").status_code == 200
        assert server.connections == 2  # httpx's default (5 s) would have reused it
    finally:
        client.close()
