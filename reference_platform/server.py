"""The reference platform's HTTP API (Starlette), as written in sync/openapi.yaml.

Every route but health, the document itself and enrollment needs a signed request
(sync/auth.py). Errors are JSON {"error": code, "detail": text}; authentication errors
also carry the platform's clock so a device with a wrong clock can correct itself.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reference_platform.backend import Storage
from reference_platform.devices import Device
from reference_platform.limits import DeviceLimits, retry_after
from sync.auth import (
    DEVICE,
    NONCE,
    SIGNED_HEADERS,
    AuthError,
    check_enrollment_proof,
    read_signature,
)
from sync.protocol import (
    API,
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    ProtocolError,
    UploadItem,
    UsageGroup,
)
from sync.trust import sign_time

OPENAPI = Path(__file__).resolve().parents[1] / "sync" / "openapi.yaml"
CATALOG_TYPE = "application/vnd.ieum.catalog+zip"
MAX_STATUS_PAGE = 500
_MAX_SMALL_BODY = 64 * 1024
_MAX_USAGE_BODY = 4 * 1024 * 1024
HEALTH_TIMEOUT = 5.0
"""Seconds the database has to answer /health's probe."""
BODY_TIMEOUT = 10.0
"""Seconds each piece of a request body may take to arrive (then 408)."""
log = logging.getLogger("reference_platform")
_FIGURE_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
MAX_FIGURES = 16
_AUDIT_HEAD = re.compile(r"([0-9]{1,18}):(m1:[0-9a-f]{64})")


def _problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail, **extra}, status_code=status)


class Refused(Exception):
    """A request body that is not read to its end; `response` says why."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        response.headers["connection"] = "close"  # the rest of the body is not wanted
        self.response = response


async def _body(request: Request, limit: int, timeout: float) -> bytes:
    """The request body, read as it streams in and never past `limit` (declared or not:
    a chunked body is counted too), each piece within `timeout` seconds. Refused
    otherwise, before anything is buffered beyond the limit or authenticated."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(_problem(413, "too_large", "request exceeds the size limit"))
    chunks: list[bytes] = []
    size = 0
    pieces = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(pieces.__anext__(), timeout)
        except StopAsyncIteration:
            break
        except TimeoutError:
            raise Refused(_problem(408, "timeout", "the request body did not arrive")) from None
        except ClientDisconnect:
            log.info("client left during its request body: %s %s", request.method, request.url.path)
            raise Refused(_problem(400, "disconnected", "the client went away")) from None
        size += len(chunk)
        if size > limit:
            raise Refused(_problem(413, "too_large", "request exceeds the size limit"))
        chunks.append(chunk)
    return b"".join(chunks)


def _target(request: Request) -> str:
    path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    return (path + (b"?" + query if query else b"")).decode("latin-1")


Handler = Callable[[Request, Device, bytes], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def _throttled(seconds: float, detail: str) -> JSONResponse:
    response = _problem(429, "throttled", detail)
    response.headers["retry-after"] = retry_after(seconds)
    return response


def _heartbeat_figures(data: object) -> dict[str, int | float]:
    """Named non-negative numbers only (see Heartbeat in the document): nothing else
    can be stored, so nothing personal can."""
    if not isinstance(data, dict) or len(data) > MAX_FIGURES:
        raise ProtocolError(f"$: expected an object of at most {MAX_FIGURES} figures")
    for name, value in data.items():
        if not _FIGURE_NAME.fullmatch(name):
            raise ProtocolError("$: figure names are lower-case words")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProtocolError(f"$.{name}: expected a number")
        if not 0 <= value <= 1e12:  # NaN fails this too
            raise ProtocolError(f"$.{name}: out of range")
    return dict(data)


def create_app(
    storage: Storage,
    clock: Callable[[], float] = time.time,
    body_timeout: float = BODY_TIMEOUT,
    limits: DeviceLimits | None = None,
) -> Starlette:
    limits = limits or DeviceLimits()
    off = run_in_threadpool  # every database call: never block the event loop on SQL

    def signed(
        handler: Handler, limit: int = _MAX_SMALL_BODY
    ) -> Callable[..., Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                body = await _body(request, limit, body_timeout)
            except Refused as refused:
                return refused.response
            now = clock()
            try:
                if not all(request.headers.get(h) for h in SIGNED_HEADERS):
                    raise AuthError("unsigned")
                device_id = request.headers[DEVICE]
                device = await off(storage.devices.find, device_id)
                if device is None:
                    raise AuthError("unknown_device")
                signature = read_signature(
                    request.headers, request.method, _target(request), body, device.public_key, now
                )
                if device.revoked:
                    return _problem(403, "revoked", "this device was revoked", server_time=now)
                await off(
                    storage.devices.remember_nonce,
                    device_id,
                    signature.timestamp,
                    signature.nonce,
                    now,
                )
                await off(storage.devices.seen, device_id, now)
                wait = limits.wait_for(device_id, now)
                if wait:
                    return _throttled(wait, "too many requests from this device")
            except AuthError as exc:
                extra = {}
                if exc.code == "stale":  # signed, so a device may trust it beyond the skew
                    nonce = request.headers.get(NONCE, "")[:64]
                    extra["time_signature"] = sign_time(storage.signed.root, now, nonce)
                return _problem(401, exc.code, "request not accepted", server_time=now, **extra)
            return await handler(request, device, body)

        return endpoint

    async def health(request: Request) -> Response:
        """ok only if the database answers too: a load balancer takes a replica whose
        database is gone out of rotation."""
        try:
            await asyncio.wait_for(off(storage.check), HEALTH_TIMEOUT)
        except Exception as exc:  # any failure to reach the database
            log.warning("health: the database does not answer (%s)", type(exc).__name__)
            return JSONResponse({"status": "unavailable", "time": clock()}, status_code=503)
        return JSONResponse({"status": "ok", "time": clock()})

    async def document(request: Request) -> Response:
        return Response(OPENAPI.read_bytes(), media_type="application/yaml")

    async def enroll(request: Request) -> Response:
        try:
            body = await _body(request, _MAX_SMALL_BODY, body_timeout)
        except Refused as refused:
            return refused.response
        try:
            data = json.loads(body)
            token, key_text, proof = (data[k] for k in ("token", "public_key", "proof"))
            if not all(isinstance(v, str) for v in (token, key_text, proof)):
                raise ValueError("fields must be strings")
        except (ValueError, KeyError, TypeError, RecursionError):
            return _problem(400, "malformed", "expected token, public_key and proof")
        try:
            check_enrollment_proof(key_text, token, proof)
            device_id = await off(storage.devices.enroll, token, key_text, clock())
        except AuthError as exc:
            return _problem(401, exc.code, "enrollment not accepted", server_time=clock())
        signed_keys = await off(storage.signed_keys, clock())
        return JSONResponse(
            {"device_id": device_id, "root_key": storage.signed.public, **signed_keys},
            status_code=201,
        )

    async def keys(request: Request, device: Device, body: bytes) -> Response:
        head: tuple[int, str] | None = None
        if "audit_head" in request.query_params:
            found = _AUDIT_HEAD.fullmatch(request.query_params["audit_head"])
            if found is None:
                return _problem(400, "malformed", "audit_head: <seq>:<mac> of the audit log")
            head = (int(found[1]), found[2])
        alarm = await off(storage.devices.record_audit_head, device.device_id, head, clock())
        if alarm:
            log.warning("device %s: %s", device.device_id, alarm)
        signed_keys = await off(storage.signed_keys, clock())
        return JSONResponse({"root_key": storage.signed.public, **signed_keys})

    async def submissions(request: Request, device: Device, body: bytes) -> Response:
        try:
            data = json.loads(body)
            raw_items = data.get("items") if isinstance(data, dict) else None
            if not isinstance(raw_items, list) or not raw_items:
                raise ProtocolError("$.items: expected a non-empty list")
            if len(raw_items) > MAX_BATCH_ITEMS:
                raise ProtocolError(f"$.items: at most {MAX_BATCH_ITEMS} items")
            items = [UploadItem.from_wire(raw, f"$.items[{i}]") for i, raw in enumerate(raw_items)]
        except (ValueError, RecursionError) as exc:
            return _problem(400, "malformed", type(exc).__name__)
        except ProtocolError as exc:
            return _problem(400, "malformed", str(exc))
        recent = await off(storage.accepted_since, device.device_id, clock() - 86400)
        if recent + len(items) > limits.daily_submissions:
            return _throttled(3600, "this device's daily quota of submissions is used up")
        results = await off(storage.receive, items, clock(), device.device_id)
        return JSONResponse({"results": [r.to_wire() for r in results]})

    async def status(request: Request, device: Device, body: bytes) -> Response:
        since_text = request.query_params.get("since", "0")
        limit_text = request.query_params.get("limit", "100")
        if not (since_text.isascii() and since_text.isdigit() and 1 <= len(since_text) <= 18):
            return _problem(400, "malformed", "since: expected a cursor from this platform")
        limit = int(limit_text) if limit_text.isascii() and limit_text.isdigit() else 0
        if not 1 <= limit <= MAX_STATUS_PAGE or len(limit_text) > 4:
            return _problem(400, "malformed", f"limit: expected 1 to {MAX_STATUS_PAGE}")
        changes, cursor, more = await off(
            storage.status_changes, device.device_id, int(since_text), limit
        )
        return JSONResponse(
            {"changes": [c.to_wire() for c in changes], "cursor": str(cursor), "more": more}
        )

    async def catalog(request: Request, device: Device, body: bytes) -> Response:
        published = await off(storage.published_catalog)
        if published is None:
            return _problem(404, "no_catalog", "no catalog has been published")
        version, digest, package = published
        etag = f'"{digest}"'
        headers = {"etag": etag, "ieum-catalog-version": version}
        wanted = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
        if etag in wanted or "*" in wanted:
            return Response(status_code=304, headers=headers)
        return Response(package, media_type=CATALOG_TYPE, headers=headers)

    async def statistics(request: Request, device: Device, body: bytes) -> Response:
        try:
            data = json.loads(body)
            raw = data.get("groups") if isinstance(data, dict) else None
            if not isinstance(raw, list) or len(raw) > 10_000:
                raise ProtocolError("$.groups: expected a list")
            groups = [UsageGroup.from_wire(g, f"$.groups[{i}]") for i, g in enumerate(raw)]
        except (ValueError, RecursionError) as exc:
            return _problem(400, "malformed", type(exc).__name__)
        except ProtocolError as exc:
            return _problem(400, "malformed", str(exc))
        await off(storage.record_usage, device.device_id, groups)
        return JSONResponse({"recorded": len(groups)})

    async def heartbeat(request: Request, device: Device, body: bytes) -> Response:
        try:
            figures = _heartbeat_figures(json.loads(body))
        except (ValueError, RecursionError) as exc:
            return _problem(400, "malformed", type(exc).__name__)
        except ProtocolError as exc:
            return _problem(400, "malformed", str(exc))
        await off(storage.devices.record_heartbeat, device.device_id, figures, clock())
        return JSONResponse({"recorded": len(figures)})

    return Starlette(
        routes=[
            Route(f"{API}/health", health),
            Route(f"{API}/openapi.yaml", document),
            Route(f"{API}/enrollments", enroll, methods=["POST"]),
            Route(f"{API}/keys", signed(keys)),
            Route(f"{API}/submissions", signed(submissions, 2 * MAX_BATCH_BYTES), methods=["POST"]),
            Route(f"{API}/status", signed(status)),
            Route(f"{API}/catalog", signed(catalog)),
            Route(f"{API}/statistics", signed(statistics, _MAX_USAGE_BODY), methods=["POST"]),
            Route(f"{API}/heartbeat", signed(heartbeat), methods=["POST"]),
        ]
    )
