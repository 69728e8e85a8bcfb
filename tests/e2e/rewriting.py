"""A proxy in front of the real reference platform that rewrites its JSON answers.

It plays a platform that differs from the reference one in one way: newer (statuses and
fields the kiosk does not know) or broken (a receiver that forgets to deduplicate). The
device's requests pass unchanged: signatures cover the path and body.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

Rewrite = Callable[[str, Any], Any]
"""(path without query, the answer's JSON) -> the JSON to send instead."""


class RewritingProxy:
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
