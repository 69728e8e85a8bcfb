"""The device's HTTP client for the platform protocol (httpx).

Every failure becomes a `SyncFailure` with a kind the sync loop can decide on; no
response body is ever echoed into a message, so nothing personal reaches the logs.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from sync.protocol import API, ItemResult, ProtocolError, UploadItem, parse_batch_results
from sync.sealing import PlatformKey

MAX_RESPONSE_BYTES = 1024 * 1024


class SyncFailure(Exception):
    """A request did not succeed. `kind` is network, throttled, server, refused or protocol."""

    def __init__(self, kind: str, detail: str, retry_after: float | None = None) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 3600.0)


class PlatformClient:
    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        # TLS verification is httpx's default and is never turned off here.
        self._http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        try:
            response = self._http.request(method, API + path, json=body)
        except httpx.TimeoutException as exc:
            raise SyncFailure("network", f"timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise SyncFailure("network", type(exc).__name__) from None
        if response.status_code == 429:
            raise SyncFailure("throttled", "429", _retry_after(response))
        if response.status_code >= 500:
            raise SyncFailure("server", str(response.status_code), _retry_after(response))
        if response.status_code >= 400:
            raise SyncFailure("refused", str(response.status_code))
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise SyncFailure("protocol", "response too large")
        if not response.headers.get("content-type", "").startswith("application/json"):
            raise SyncFailure("protocol", "response is not JSON")
        try:
            return json.loads(response.content)
        except (ValueError, RecursionError):
            raise SyncFailure("protocol", "malformed JSON") from None

    def keys(self) -> list[PlatformKey]:
        """The platform's current sealing keys, newest first."""
        data = self._request("GET", "/keys")
        try:
            raw_keys = data["encryption_keys"]
            keys = [PlatformKey.from_wire(k) for k in raw_keys]
        except (KeyError, TypeError, ValueError):
            raise SyncFailure("protocol", "bad key list") from None
        if not keys:
            raise SyncFailure("protocol", "no keys offered")
        return keys

    def upload(self, items: list[UploadItem]) -> list[ItemResult]:
        body = {"items": [item.to_wire() for item in items]}
        data = self._request("POST", "/submissions", body)
        try:
            return parse_batch_results(data, {item.submission_id for item in items})
        except ProtocolError as exc:
            raise SyncFailure("protocol", str(exc)) from None
