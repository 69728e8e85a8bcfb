"""The device's HTTP client for the platform protocol (httpx), as written in sync/openapi.yaml.

Every failure becomes a `SyncFailure` with a kind the sync loop can decide on; no
response body is ever echoed into a message, so nothing personal reaches the logs.
TLS verification is always on (a custom CA bundle can be named); proxies come from
the environment, as httpx reads them.
"""

from __future__ import annotations

import datetime
import email.utils
import json
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.auth import MAX_SKEW, NONCE, enrollment_proof, public_key_text, sign_request
from sync.protocol import (
    API,
    Enrollment,
    ItemResult,
    ProtocolError,
    StatusPage,
    UploadItem,
    UsageGroup,
    parse_batch_results,
    parse_status_page,
)
from sync.trust import TrustError, check_platform_url, same_platform, time_is_signed

if TYPE_CHECKING:  # httpx is imported on the first request: ~60 ms off the kiosk's start
    import httpx

MAX_RESPONSE_BYTES = 1024 * 1024
MAX_CATALOG_BYTES = 32 * 1024 * 1024
MAX_RETRY_AFTER = 3600.0


class FailureKind(StrEnum):
    """Why a sync did not go through. The values are the strings stored in the
    settings and shown in diagnostics since the first release: never rename one."""

    NETWORK = "network"
    THROTTLED = "throttled"
    SERVER = "server"
    REFUSED = "refused"
    AUTH = "auth"
    PROTOCOL = "protocol"
    DISK_FULL = "disk_full"
    """The platform answered but the kiosk's disk is too full to record the answer."""
    DAMAGED = "damaged"
    """A row of the store could not be read; it is set aside, the rest goes on."""


KINDS = tuple(FailureKind)


class SyncFailure(Exception):
    """A request did not succeed. `kind` says why; `detail` is log-safe."""

    def __init__(
        self, kind: FailureKind | str, detail: str, retry_after: float | None = None
    ) -> None:
        self.kind = FailureKind(kind)
        super().__init__(f"{self.kind}: {detail}")
        self.detail = detail
        self.retry_after = retry_after


def parse_retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date
    (RFC 9110 10.2.3), clamped to [0, MAX_RETRY_AFTER]; None if absent or unreadable."""
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # "-0000" or a zone-less form: HTTP dates are GMT
            when = when.replace(tzinfo=datetime.UTC)
        seconds = when.timestamp() - now
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    key: Ed25519PrivateKey
    platform_url: str = ""
    """The address enrolled at: signed requests go nowhere else (see `_send`)."""
    root_key: str = ""
    """The platform's root key pinned at enrollment: it signs the time in a `stale` 401."""


@dataclass(frozen=True)
class CatalogOffer:
    etag: str
    version: str
    package: bytes


KEEPALIVE_EXPIRY_S = 2.0
"""How long an idle connection is kept for reuse: well under the keep-alive of common
servers (the reference platform's uvicorn and Apache close after 5 s, nginx after 75).
httpx's default (5 s) equals uvicorn's, so a request sent just as the server closed the
connection failed with RemoteProtocolError (1 round in ~257,000 in `make fleet`)."""


class PlatformClient:
    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        identity: DeviceIdentity | None = None,
        ca_bundle: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        verify: ssl.SSLContext | bool = True
        if ca_bundle is not None:
            verify = ssl.create_default_context(cafile=str(ca_bundle))
        import httpx

        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            verify=verify,
            limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_S),
        )
        self.base_url = base_url
        self.identity = identity
        self.clock = clock
        self.clock_offset = 0.0
        """Platform time minus ours, learnt when the platform says our clock is off."""

    def close(self) -> None:
        self._http.close()

    # -- transport -----------------------------------------------------------------
    def _send(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        signed: bool = True,
        limit: int = MAX_RESPONSE_BYTES,
    ) -> httpx.Response:
        content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        self._check_address(signed)
        for attempt in (1, 2):
            request = self._http.build_request(
                method, API + path, content=content, params=params, headers=headers
            )
            if body is not None:
                request.headers["content-type"] = "application/json"
            if signed:
                if self.identity is None:
                    raise SyncFailure("auth", "not_enrolled")
                target = request.url.raw_path.decode("ascii")
                now = self.clock() + self.clock_offset
                request.headers.update(
                    sign_request(
                        self.identity.key, self.identity.device_id, method, target, content, now
                    )
                )
            response = self._receive(request, limit)
            if response.status_code in (401, 403):
                code = self._error_code(response)
                server_time = self._server_time(response)
                if code == "stale" and server_time is not None and attempt == 1:
                    self._correct_clock(response, server_time, request.headers.get(NONCE, ""))
                    continue  # sign again with the platform's time
                raise SyncFailure("auth", code or str(response.status_code))
            return self._check(response)
        raise AssertionError("unreachable")

    def _correct_clock(self, response: httpx.Response, server_time: float, nonce: str) -> None:
        """Take the platform's time from a `stale` 401. Only a time signed by the pinned
        root key for this request may move our clock further than the platform's allowed
        skew; an unsigned one (anyone on the path can forge it) moves it at most that."""
        wanted = server_time - self.clock()
        root = self.identity.root_key if self.identity else ""
        signature = ""
        try:
            value = json.loads(response.content).get("time_signature")
            signature = value if isinstance(value, str) else ""
        except (ValueError, RecursionError, AttributeError):
            pass
        if not (root and signature and time_is_signed(root, server_time, nonce, signature)):
            wanted = max(-MAX_SKEW, min(MAX_SKEW, wanted))
        self.clock_offset = wanted

    def _check_address(self, signed: bool) -> None:
        """Nothing goes over plain http:// beyond loopback, and a device's signed requests
        go only to the platform it enrolled at: another address needs a new enrollment."""
        try:
            check_platform_url(self.base_url)
        except TrustError:
            raise SyncFailure("refused", "insecure_url") from None
        enrolled = self.identity.platform_url if self.identity else ""
        if signed and enrolled and not same_platform(enrolled, self.base_url):
            raise SyncFailure("auth", "platform_changed")

    def _receive(self, request: httpx.Request, limit: int) -> httpx.Response:
        import httpx

        try:
            response = self._http.send(request, stream=True)
            try:
                chunks = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise SyncFailure("protocol", "response too large")
                    chunks.append(chunk)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise SyncFailure("network", f"timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise SyncFailure("network", type(exc).__name__) from None
        return httpx.Response(
            response.status_code, headers=response.headers, content=b"".join(chunks)
        )

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        if not response.headers.get("content-type", "").startswith("application/json"):
            raise SyncFailure("protocol", "response is not JSON")
        try:
            return json.loads(response.content)
        except (ValueError, RecursionError):
            raise SyncFailure("protocol", "malformed JSON") from None

    def _error_code(self, response: httpx.Response) -> str:
        try:
            data = json.loads(response.content)
            code = data.get("error") if isinstance(data, dict) else None
        except (ValueError, RecursionError):
            return ""
        return code[:40] if isinstance(code, str) and code.isascii() else ""

    @staticmethod
    def _server_time(response: httpx.Response) -> float | None:
        try:
            value = json.loads(response.content).get("server_time")
        except (ValueError, RecursionError, AttributeError):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        return None

    def _retry_after(self, response: httpx.Response) -> float | None:
        # An HTTP-date is the platform's time: compare it with our idea of it.
        now = self.clock() + self.clock_offset
        return parse_retry_after(response.headers.get("retry-after", ""), now)

    def _check(self, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status == 429:
            raise SyncFailure("throttled", "429", self._retry_after(response))
        if status >= 500:
            raise SyncFailure("server", str(status), self._retry_after(response))
        if status >= 400 and status != 404:
            code = self._error_code(response)
            raise SyncFailure("refused", f"{status} {code}".strip())
        return response

    # -- the protocol ----------------------------------------------------------------
    def health(self) -> float:
        """The connectivity check: the platform's clock, or SyncFailure."""
        data = self._json(self._check_found(self._send("GET", "/health", signed=False)))
        value = data.get("time") if isinstance(data, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise SyncFailure("protocol", "bad health answer")
        return float(value)

    def _check_found(self, response: httpx.Response) -> httpx.Response:
        if response.status_code == 404:
            raise SyncFailure("refused", "404")
        return response

    def enroll(self, token: str, key: Ed25519PrivateKey) -> Enrollment:
        body = {
            "token": token.strip(),
            "public_key": public_key_text(key.public_key()),
            "proof": enrollment_proof(key, token),
        }
        response = self._check_found(self._send("POST", "/enrollments", body, signed=False))
        try:
            return Enrollment.from_wire(self._json(response))
        except ProtocolError as exc:
            raise SyncFailure("protocol", str(exc)) from None

    def keys(self, audit_head: tuple[int, str] | None = None) -> dict[str, Any]:
        """The platform's signed key list as sent, not yet trusted: sync/enrollment.py
        checks it against the pinned root key before using a single key. The audit
        log's head goes along, for the platform to notice a log cut short."""
        params = {"audit_head": f"{audit_head[0]}:{audit_head[1]}"} if audit_head else None
        data = self._json(self._check_found(self._send("GET", "/keys", params=params)))
        if not isinstance(data, dict):
            raise SyncFailure("protocol", "bad key list")
        return data

    def upload(self, items: list[UploadItem]) -> list[ItemResult]:
        body = {"items": [item.to_wire() for item in items]}
        data = self._json(self._check_found(self._send("POST", "/submissions", body)))
        try:
            return parse_batch_results(data, {item.submission_id for item in items})
        except ProtocolError as exc:
            raise SyncFailure("protocol", str(exc)) from None

    def status_changes(self, since: str, limit: int = 200) -> StatusPage:
        params = {"since": since or "0", "limit": str(limit)}
        data = self._json(self._check_found(self._send("GET", "/status", params=params)))
        try:
            return parse_status_page(data)
        except ProtocolError as exc:
            raise SyncFailure("protocol", str(exc)) from None

    def catalog(self, etag: str = "") -> CatalogOffer | None:
        """The catalog package on offer, or None if it is the one we have (or none is)."""
        headers = {"if-none-match": etag} if etag else None
        response = self._send("GET", "/catalog", headers=headers, limit=MAX_CATALOG_BYTES)
        if response.status_code in (304, 404):
            return None
        new_etag = response.headers.get("etag", "")
        if response.status_code != 200 or not new_etag or len(new_etag) > 100:
            raise SyncFailure("protocol", "bad catalog answer")
        version = response.headers.get("ieum-catalog-version", "")[:40]
        return CatalogOffer(new_etag, version, response.content)

    def heartbeat(self, figures: dict[str, int | float]) -> None:
        """The device's queue figures (counts, ages in seconds: nothing personal), for
        the city's view of silent kiosks and deep queues."""
        self._json(self._check_found(self._send("POST", "/heartbeat", figures)))

    def send_statistics(self, groups: list[UsageGroup]) -> None:
        body = {"groups": [g.to_wire() for g in groups]}
        self._json(self._check_found(self._send("POST", "/statistics", body)))
