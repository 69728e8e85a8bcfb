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
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx

from reference_platform.local import NO_DEVICE_LIMITS, LocalPlatform, start_local_platform
from tests.e2e.proxy import LoopbackProxy, forwarded_headers

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


class RoundRobin(LoopbackProxy):
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
        super().__init__()

    def pick(self) -> int:
        with self._lock:
            for _ in range(len(self.replicas)):
                index = self._next % len(self.replicas)
                self._next += 1
                if index not in self.down:
                    return index
        raise RuntimeError("no replica left")

    def relay(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        index = self.pick()
        self.sent.append(index)
        self.before_forward(index, request.command, request.path)
        try:
            response = self.http.request(
                request.command,
                self.replicas[index].url + request.path,
                headers=forwarded_headers(request),
                content=body,
            )
        except httpx.HTTPError:
            self.down.add(index)  # out of rotation; this request fails
            request.close_connection = True
            return
        if not self.after_forward(index, request.command, request.path):
            request.close_connection = True  # the answer is lost on the way back
            return
        request.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                request.send_header(name, value)
        request.send_header("content-length", str(len(response.content)))
        request.end_headers()
        request.wfile.write(response.content)
