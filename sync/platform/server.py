"""The reference platform's HTTP API (Starlette), as described in the protocol module."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from sync.platform.storage import PlatformStorage
from sync.protocol import API, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, ProtocolError, UploadItem


def _problem(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


def create_app(storage: PlatformStorage, clock: Callable[[], float] = time.time) -> Starlette:
    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def keys(request: Request) -> JSONResponse:
        return JSONResponse({"encryption_keys": [k.to_wire() for k in storage.keys.published()]})

    async def submissions(request: Request) -> JSONResponse:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > 2 * MAX_BATCH_BYTES:
            return _problem(413, "too_large", "batch exceeds the size limit")
        body = await request.body()
        if len(body) > 2 * MAX_BATCH_BYTES:
            return _problem(413, "too_large", "batch exceeds the size limit")
        try:
            data = json.loads(body)
            raw_items = data["items"] if isinstance(data, dict) else None
            if not isinstance(raw_items, list) or not raw_items:
                raise ProtocolError("$.items: expected a non-empty list")
            if len(raw_items) > MAX_BATCH_ITEMS:
                raise ProtocolError(f"$.items: at most {MAX_BATCH_ITEMS} items")
            items = [UploadItem.from_wire(raw, f"$.items[{i}]") for i, raw in enumerate(raw_items)]
        except (ValueError, KeyError, RecursionError) as exc:
            return _problem(400, "malformed", type(exc).__name__)
        except ProtocolError as exc:
            return _problem(400, "malformed", str(exc))
        results = storage.receive(items, clock())
        return JSONResponse({"results": [r.to_wire() for r in results]})

    return Starlette(
        routes=[
            Route(f"{API}/health", health),
            Route(f"{API}/keys", keys),
            Route(f"{API}/submissions", submissions, methods=["POST"]),
        ]
    )
