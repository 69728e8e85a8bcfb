"""A proxy in front of the real reference platform that rewrites its JSON answers.

It plays a platform that differs from the reference one in one way: newer (statuses and
fields the kiosk does not know) or broken (a receiver that forgets to deduplicate). The
device's requests pass unchanged: signatures cover the path and body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.e2e.proxy import LoopbackProxy, forwarded_headers

Rewrite = Callable[[str, Any], Any]
"""(path without query, the answer's JSON) -> the JSON to send instead."""


class RewritingProxy(LoopbackProxy):
    """Relays to the real platform and rewrites its JSON answers with `rewrite(path, data)`."""

    def __init__(self, upstream: str, rewrite: Rewrite) -> None:
        self.upstream, self.rewrite = upstream, rewrite
        super().__init__()

    def relay(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        answer = self.http.request(
            request.command, self.upstream + request.path,
            headers=forwarded_headers(request), content=body,
        )  # fmt: skip
        content = answer.content
        kind = answer.headers.get("content-type", "")
        if kind.startswith("application/json"):
            path = request.path.split("?")[0]
            content = json.dumps(self.rewrite(path, json.loads(content))).encode()
        request.send_response(answer.status_code)
        for name in ("content-type", "etag", "ieum-catalog-version", "retry-after"):
            if name in answer.headers:
                request.send_header(name, answer.headers[name])
        request.send_header("content-length", str(len(content)))
        request.end_headers()
        request.wfile.write(content)
