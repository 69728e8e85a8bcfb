"""Several reference platform processes on one PostgreSQL database behind a small
round-robin proxy, as a city would run them behind its load balancer.

Replicas share the database and nothing else but their key files, which each one gets
a copy of (as an operator would install them): the first replica's folder is copied.
The proxy sends each request to the next replica in turn; a replica that does not
answer is taken out of rotation (a load balancer's passive health check) and the
request fails, as it would through nginx for a POST, which it does not retry.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from reference_platform.local import NO_DEVICE_LIMITS, LocalPlatform, start_local_platform

KEY_FILES = ("keys", "root-signing-key", "catalog-signing-key.pub")


def start_replicas(
    folder: Path, database: str, count: int, catalog_key: Path
) -> list[LocalPlatform]:
    first = start_local_platform(
        folder / "replica-1", catalog_key=catalog_key, database=database,
        extra_args=NO_DEVICE_LIMITS,
    )  # fmt: skip
    replicas = [first]
    for n in range(2, count + 1):
        data = folder / f"replica-{n}"
        data.mkdir(parents=True)
        for name in KEY_FILES:
            source = first.data / name
            if source.is_dir():
                shutil.copytree(source, data / name)
            elif source.exists():
                shutil.copy2(source, data / name)
        replicas.append(
            start_local_platform(
                data, catalog_key=catalog_key, database=database, extra_args=NO_DEVICE_LIMITS
            )
        )
    return replicas


class RoundRobin:
    """The proxy. `before_forward(index, method, path)` lets a test act on a request
    (kill its replica...) just before it goes upstream; `after_forward` just after the
    replica answered, before the answer goes back."""

    def __init__(self, replicas: list[LocalPlatform]) -> None:
        self.replicas = replicas
        self.down: set[int] = set()
        self.sent: list[int] = []
        self.before_forward: Callable[[int, str, str], None] = lambda i, m, p: None
        self.after_forward: Callable[[int, str, str], bool] = lambda i, m, p: True
        self._next = 0
        self._lock = threading.Lock()
        self.upstream = httpx.Client(timeout=30)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def pick(self) -> int:
        with self._lock:
            for _ in range(len(self.replicas)):
                index = self._next % len(self.replicas)
                self._next += 1
                if index not in self.down:
                    return index
        raise RuntimeError("no replica left")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.upstream.close()

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
                index = proxy.pick()
                proxy.sent.append(index)
                proxy.before_forward(index, self.command, self.path)
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                try:
                    response = proxy.upstream.request(
                        self.command,
                        proxy.replicas[index].url + self.path,
                        headers=headers,
                        content=body,
                    )
                except httpx.HTTPError:
                    proxy.down.add(index)  # out of rotation; this request fails
                    self.close_connection = True
                    return
                if not proxy.after_forward(index, self.command, self.path):
                    self.close_connection = True  # the answer is lost on the way back
                    return
                self.send_response(response.status_code)
                for name, value in response.headers.items():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(name, value)
                self.send_header("content-length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

        return Handler
