"""The part every test proxy shares: an HTTP/1.1 server on a free loopback port, in
threads of its own, that hands each GET and POST with its body to the proxy's `relay`.

What a proxy does with a request (inject faults, rewrite answers, spread requests over
replicas, answer for the platform) is its own `relay`; forwarding it goes through `http`.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class LoopbackProxy:
    def __init__(self) -> None:
        self.http = httpx.Client(timeout=30)
        """Forwards requests upstream (the subclass says where)."""
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

    def relay(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        """Answer `request` (its method, path and headers; `body` already read)."""
        raise NotImplementedError

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
                proxy.relay(self, self.rfile.read(length) if length else b"")

        return Handler


def forwarded_headers(
    request: BaseHTTPRequestHandler, drop: tuple[str, ...] = ("host", "connection")
) -> dict[str, str]:
    """The request's headers as they go upstream: the device's signature headers kept,
    the hop's own (`drop`) left out."""
    return {k: v for k, v in request.headers.items() if k.lower() not in drop}
