"""A forged "your clock is wrong" cannot move the device's clock far (issue 16).

The 401 that carries the platform's time is unauthenticated: anyone on the path can
send one. The real platform signs the time with its root key, so a kiosk whose clock is
hours off still corrects itself (test_security); a forger cannot sign it. A real HTTP
server on loopback plays the forger here, claiming the time is a
day ahead.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.auth import MAX_SKEW
from sync.client import DeviceIdentity, PlatformClient, SyncFailure


class _Forger(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(
            {
                "error": "stale",
                "detail": "x",
                "server_time": time.time() + 86400,
                "time_signature": base64.b64encode(b"s" * 64).decode(),  # not the root's
            }
        ).encode()
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def forger() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Forger)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_forged_stale_answer_moves_the_clock_at_most_the_skew(forger: str) -> None:
    identity = DeviceIdentity("dev-test", Ed25519PrivateKey.generate())
    root = base64.b64encode(Ed25519PrivateKey.generate().public_key().public_bytes_raw())
    identity = dataclasses.replace(identity, root_key=root.decode())
    client = PlatformClient(forger, identity=identity)
    with pytest.raises(SyncFailure):
        client.keys()
    assert 0 < client.clock_offset <= MAX_SKEW
    client.close()
