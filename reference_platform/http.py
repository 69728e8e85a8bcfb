"""How the reference platform's HTTP server holds up against slow or greedy clients.

uvicorn's own settings cover most of it (a connection limit, a short keep-alive, a cap
on the size of request headers); what it lacks is a deadline for a request's headers:
a client that opens a connection and sends one header line a minute keeps a descriptor
and a slot forever (1,100 of them once stopped `/health` answering). `GuardedH11`
closes a connection that has no request in progress `header_timeout` seconds after it
opened or after its last answer. Request bodies have their own deadline in server.py.

In production, put a reverse proxy (nginx, HAProxy) in front as well, with the same
kind of limits: `client_header_timeout`, `client_body_timeout`, `client_max_body_size`
(8m), `limit_conn` per address.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import resource
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("reference_platform")

HEADER_TIMEOUT = 10.0
"""Seconds a connection may take to send a request's headers (or sit idle between requests)."""
MAX_CONNECTIONS = 4000
"""Above this many open connections uvicorn answers 503 instead of serving."""
MAX_HEADER_BYTES = 16 * 1024


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    header_timeout = HEADER_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _too_slow(self) -> None:
        self._deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is being served: its body has its own deadline
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)


def guarded_protocol(header_timeout: float) -> type[GuardedH11]:
    return type("GuardedH11", (GuardedH11,), {"header_timeout": header_timeout})


def raise_file_limit(wanted: int = 2 * MAX_CONNECTIONS + 256) -> int:
    """Lift this process's soft limit on open files towards the hard one (Debian's
    services start at 1,024, fewer than the connections we allow); the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft


KEEP_ALIVE_S = 5
"""An idle connection is closed after this; kiosks stop reusing theirs sooner
(sync.client.KEEPALIVE_EXPIRY_S), so they never send on one being closed."""


def server_settings(header_timeout: float) -> dict[str, Any]:
    """The uvicorn.Config settings that bound what one client can hold."""
    return {
        "http": guarded_protocol(header_timeout),
        "limit_concurrency": MAX_CONNECTIONS,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "backlog": 2048,
    }


def settle_heap() -> int:
    """Once started, before serving: move what start-up made (modules, the app, the
    storage and its pool, keys) out of the garbage collector's reach (`gc.freeze`), so
    that a full collection walks only what requests make. Unfrozen, a full collection
    while serving took 27 ms, stalling every request in flight (the event loop and the
    thread pool share the interpreter); frozen, 8 ms. Objects frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
