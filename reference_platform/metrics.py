"""Prometheus-format metrics at /metrics: requests, latencies, batch sizes, errors.

A small text exporter (the exposition format 0.0.4) rather than a dependency: a few
counters and histograms, kept per process. Each replica serves its own figures and
Prometheus sums them. Labels are the route's template (never a raw path or query), the
method, the status and the protocol's error code: nothing about a device or a person.
/metrics is for the city's monitoring network; the reverse proxy should not publish it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.routing import Match

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = "/metrics"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 5, 10, 20, 50, 100)
_CODE = re.compile(r"[a-z_]{1,40}")
_SUBMISSIONS = "/v1/submissions"


class Histogram:
    """Cumulative buckets, sum and count, per label set."""

    def __init__(self, buckets: tuple[float, ...]) -> None:
        self.buckets = buckets
        self.counts: dict[tuple[tuple[str, str], ...], list[int]] = {}
        self.sums: dict[tuple[tuple[str, str], ...], float] = defaultdict(float)

    def observe(self, labels: tuple[tuple[str, str], ...], value: float) -> None:
        counts = self.counts.setdefault(labels, [0] * (len(self.buckets) + 1))
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                counts[i] += 1
        counts[-1] += 1
        self.sums[labels] += value

    def lines(self, name: str) -> list[str]:
        out = []
        for labels, counts in sorted(self.counts.items()):
            for bound, n in zip((*self.buckets, "+Inf"), counts, strict=True):
                out.append(f"{name}_bucket{_labels((*labels, ('le', _number(bound))))} {n}")
            out.append(f"{name}_sum{_labels(labels)} {_number(self.sums[labels])}")
            out.append(f"{name}_count{_labels(labels)} {counts[-1]}")
        return out


def _number(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _labels(pairs: tuple[tuple[str, str], ...]) -> str:
    if not pairs:
        return ""
    inner = ",".join(f'{k}="{v}"' for k, v in pairs)
    return "{" + inner + "}"


class Metrics:
    """The figures of one platform process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = time.time()
        self.requests: dict[tuple[tuple[str, str], ...], int] = defaultdict(int)
        self.errors: dict[tuple[tuple[str, str], ...], int] = defaultdict(int)
        self.results: dict[tuple[tuple[str, str], ...], int] = defaultdict(int)
        self.latency = Histogram(LATENCY_BUCKETS)
        self.batches = Histogram(BATCH_BUCKETS)
        self.in_flight = 0

    def render(self) -> str:
        with self.lock:
            families = [
                ("ieum_requests_total", "counter", "HTTP requests answered", self.requests),
                ("ieum_errors_total", "counter", "answers 4xx/5xx by error code", self.errors),
                ("ieum_submission_results_total", "counter", "items by result", self.results),
            ]
            out: list[str] = []
            for name, kind, text, values in families:
                out += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
                out += [f"{name}{_labels(k)} {v}" for k, v in sorted(values.items())]
            name = "ieum_request_duration_seconds"
            out += [f"# HELP {name} time to answer, by route", f"# TYPE {name} histogram"]
            out += self.latency.lines(name)
            name = "ieum_batch_items"
            out += [f"# HELP {name} items per upload batch", f"# TYPE {name} histogram"]
            out += self.batches.lines(name)
            out += [
                "# HELP ieum_requests_in_flight requests being answered now",
                "# TYPE ieum_requests_in_flight gauge",
                f"ieum_requests_in_flight {self.in_flight}",
                "# HELP ieum_process_start_time_seconds when this process started",
                "# TYPE ieum_process_start_time_seconds gauge",
                f"ieum_process_start_time_seconds {_number(self.started)}",
            ]
        return "\n".join(out) + "\n"


def _route(app: Any, scope: Scope) -> str:
    for route in getattr(app, "routes", ()):
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(route.path)
    return "other"


def instrument(app: ASGIApp, metrics: Metrics | None = None) -> ASGIApp:
    """`app` with /metrics answered and every HTTP request counted and timed."""
    figures = metrics or Metrics()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        if scope["path"] == PATH and scope["method"] == "GET":
            body = figures.render().encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/plain; version=0.0.4; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        route = _route(app, scope)
        status = 500
        kind = ""
        keep_body = False
        chunks: list[bytes] = []

        async def watch(message: Message) -> None:
            nonlocal status, kind, keep_body
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = dict(message.get("headers", []))
                kind = headers.get(b"content-type", b"").decode("latin-1")
                keep_body = kind.startswith("application/json") and (
                    status >= 400 or route == _SUBMISSIONS
                )
            elif message["type"] == "http.response.body" and keep_body:
                chunks.append(message.get("body", b""))
            await send(message)

        started = time.perf_counter()
        with figures.lock:
            figures.in_flight += 1
        try:
            await app(scope, receive, watch)
        finally:
            took = time.perf_counter() - started
            _record(figures, route, scope["method"], status, took, b"".join(chunks))

    return wrapped


def _record(
    figures: Metrics, route: str, method: str, status: int, took: float, body: bytes
) -> None:
    data: Any = None
    if body:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            data = None
    with figures.lock:
        figures.in_flight -= 1
        figures.requests[(("route", route), ("method", method), ("status", str(status)))] += 1
        figures.latency.observe((("route", route),), took)
        if status >= 400:
            code = data.get("error") if isinstance(data, dict) else None
            code = code if isinstance(code, str) and _CODE.fullmatch(code) else str(status)
            figures.errors[(("route", route), ("status", str(status)), ("code", code))] += 1
        elif route == _SUBMISSIONS and isinstance(data, dict):
            results = data.get("results")
            if isinstance(results, list):
                figures.batches.observe((), len(results))
                for item in results:
                    result = item.get("result") if isinstance(item, dict) else None
                    if result in ("accepted", "duplicate", "rejected"):
                        figures.results[(("result", result),)] += 1
