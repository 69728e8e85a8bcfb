"""The conformance kit: any deployment of the receiving side against the device protocol.

python -m reference_platform conform URL --token TOKEN [--ca-bundle PEM]

A city that writes or runs its own receiver proves it keeps the contract the kiosks rely
on: it enrolls one test device with a one-time token (as staff would for a kiosk), then
uses the kiosk's own client code (sync/) for the contract, signing, replay, dedupe and
exactly-once checks, one line per check, exit 0 when all pass. The test device sends a
few obviously fake applications ("conformance-check" service); revoke it afterwards.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import ssl
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from sync.auth import SIGNATURE, sign_request
from sync.client import PlatformClient, SyncFailure
from sync.enrollment import current_platform_key, enroll, refresh_platform_keys
from sync.protocol import API, ItemResult, UploadItem
from sync.runner import pull_status, sync_pass
from sync.sealing import Binding, canonical_json, seal_application
from sync.store import Store
from sync.submission import submit_applications
from sync.trust import time_is_signed

BATCH = 25
SERVICE = {"id": "conformance-check", "version": "1"}


class CheckFailed(Exception):
    """One check did not hold; the message says what was seen (never a response body)."""


def _payload(n: int) -> dict[str, object]:
    return {"service": dict(SERVICE), "answers": {"conformance_probe": n, "note": "fake data"}}


class Kit:
    """One test device and its store; each check_* method raises CheckFailed or returns a
    short figure for the report line."""

    def __init__(self, url: str, token: str, work: Path, ca_bundle: Path | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.store = Store(work / "device" / "ieum.db")
        self.client = PlatformClient(self.url, ca_bundle=ca_bundle)
        verify: ssl.SSLContext | bool = True
        if ca_bundle is not None:
            verify = ssl.create_default_context(cafile=str(ca_bundle))
        self.http = httpx.Client(base_url=self.url, timeout=30, verify=verify)
        self.sent: list[UploadItem] = []
        self.receipts: dict[str, str] = {}

    def close(self) -> None:
        self.client.close()
        self.http.close()
        self.store.close()

    # -- raw signed requests, for what the client would never send ------------------
    def _signed(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        now: float | None = None,
        device_id: str = "",
    ) -> tuple[dict[str, str], httpx.Response]:
        identity = self.client.identity
        if identity is None:
            raise CheckFailed("not enrolled")
        target = self._target(path)
        headers = sign_request(
            identity.key,
            device_id or identity.device_id,
            method,
            target,
            body,
            time.time() if now is None else now,
        )
        if body:
            headers["content-type"] = "application/json"
        return headers, self.http.request(method, API + path, content=body, headers=headers)

    def _target(self, path: str) -> str:
        """What is signed: the path as sent, with any prefix the deployment's address has."""
        return self.http.build_request("GET", API + path).url.raw_path.decode("ascii")

    @staticmethod
    def _error(response: httpx.Response) -> dict[str, Any]:
        try:
            data = response.json()
        except ValueError:
            raise CheckFailed(f"{response.status_code} without a JSON body") from None
        if not isinstance(data, dict) or not isinstance(data.get("error"), str):
            raise CheckFailed(f"{response.status_code} without an error code")
        return data

    def _refused(self, response: httpx.Response, status: int, code: str) -> dict[str, Any]:
        data = self._error(response) if response.status_code >= 400 else {}
        if response.status_code != status or data.get("error") != code:
            raise CheckFailed(
                f"expected {status} {code}, got {response.status_code} "
                f"{data.get('error', '')}".strip()
            )
        return data

    # -- the checks --------------------------------------------------------------------
    def check_health(self) -> str:
        skew = self.client.health() - time.time()
        return f"platform clock {skew:+.1f} s from ours"

    def check_enroll(self) -> str:
        device_id = enroll(self.store, self.client, self.token)
        refresh_platform_keys(self.store, self.client, time.time())
        key = current_platform_key(self.store)
        if key is None:
            raise CheckFailed("no sealing key in the signed key list")
        return f"device {device_id}, sealing key {key.key_id} ({key.kem})"

    def check_unsigned(self) -> str:
        data = self._refused(self.http.get(API + "/status"), 401, "unsigned")
        if not isinstance(data.get("server_time"), int | float):
            raise CheckFailed("a 401 without server_time")
        return "401 unsigned, with server_time"

    def check_malformed(self) -> str:
        _, response = self._signed("POST", "/submissions", b'{"items": []}')
        self._refused(response, 400, "malformed")
        return "an empty batch: 400 malformed"

    def check_bad_signature(self) -> str:
        identity = self.client.identity
        assert identity is not None
        headers = sign_request(
            identity.key, identity.device_id, "GET", self._target("/status"), b"", time.time()
        )
        raw = bytearray(base64.b64decode(headers[SIGNATURE]))
        raw[0] ^= 1
        headers[SIGNATURE] = base64.b64encode(bytes(raw)).decode()
        self._refused(self.http.get(API + "/status", headers=headers), 401, "bad_signature")
        return "a flipped bit: 401 bad_signature"

    def check_unknown_device(self) -> str:
        _, response = self._signed("GET", "/status", device_id="conformance-unknown-device")
        self._refused(response, 401, "unknown_device")
        return "401 unknown_device"

    def check_stale(self) -> str:
        identity = self.client.identity
        assert identity is not None
        headers, response = self._signed("GET", "/status", now=time.time() - 3600)
        data = self._refused(response, 401, "stale")
        server_time, signature = data.get("server_time"), data.get("time_signature")
        if not isinstance(server_time, int | float) or not isinstance(signature, str):
            raise CheckFailed("stale without server_time and time_signature")
        if not time_is_signed(identity.root_key, server_time, headers["ieum-nonce"], signature):
            raise CheckFailed("time_signature does not verify under the pinned root key")
        return "an hour old: 401 stale, the time signed by the root key"

    def check_replay(self) -> str:
        headers, first = self._signed("GET", "/status")
        if first.status_code != 200:
            raise CheckFailed(f"the original request got {first.status_code}")
        again = self.http.get(API + "/status", headers=headers)
        self._refused(again, 401, "replayed")
        return "the same signed request twice: 200, then 401 replayed"

    def check_exactly_once(self) -> str:
        key = current_platform_key(self.store)
        payloads = [_payload(n) for n in range(BATCH)]
        submitted = submit_applications(self.store, payloads, key, time.time())
        self.sent = [
            UploadItem(
                i.submission_id, i.service_id, i.service_version, i.device_id, i.key_id, i.sealed
            )
            for i in self.store.outbox()
        ]
        started = time.monotonic()
        report = sync_pass(self.store, self.client, time.time())
        took = time.monotonic() - started
        if report.failure or report.accepted != BATCH:
            raise CheckFailed(f"{report.accepted}/{BATCH} accepted; {report.failure}")
        for done in submitted:
            receipt = self.store.receipt(done.reference)
            if receipt is None or not receipt.platform_receipt:
                raise CheckFailed("an accepted item without a receipt number")
            self.receipts[done.submission_id] = receipt.platform_receipt
        if len(set(self.receipts.values())) != BATCH:
            raise CheckFailed("two items got the same receipt number")
        return f"{BATCH} applications, {BATCH} distinct receipts, one sync pass in {took:.2f} s"

    def check_dedupe(self) -> str:
        if not self.sent:
            raise CheckFailed("nothing was sent (exactly-once failed)")
        results = self.client.upload(self.sent)
        self._all(
            results, "duplicate", lambda r: r.receipt_number == self.receipts.get(r.submission_id)
        )
        return f"{len(results)} resent: duplicate, each with its original receipt number"

    def check_different_payload(self) -> str:
        item = self.sent[0] if self.sent else None
        key = current_platform_key(self.store)
        if item is None or key is None:
            raise CheckFailed("nothing was sent (exactly-once failed)")
        binding = Binding(item.submission_id, item.service_id, item.service_version, item.device_id)
        other = seal_application(canonical_json(_payload(-1)), key, binding)
        [result] = self.client.upload([dataclasses.replace(item, sealed=other)])
        if result.result != "rejected" or result.reason != "different_payload":
            raise CheckFailed(f"got {result.result} {result.reason}".strip())
        return "the same id with other sealed bytes: rejected different_payload"

    def check_lost_answer(self) -> str:
        """The platform stored a batch but its answer never reached the device."""
        key = current_platform_key(self.store)
        [done] = submit_applications(self.store, [_payload(BATCH)], key, time.time())
        [item] = [i for i in self.store.outbox() if i.submission_id == done.submission_id]
        wire = UploadItem(
            item.submission_id,
            item.service_id,
            item.service_version,
            item.device_id,
            item.key_id,
            item.sealed,
        )
        [first] = self.client.upload([wire])  # ...and the device never heard this answer
        if first.result != "accepted":
            raise CheckFailed(f"first sending: {first.result} {first.reason}".strip())
        report = sync_pass(self.store, self.client, time.time())
        receipt = self.store.receipt(done.reference)
        if report.failure or report.duplicate != 1 or receipt is None:
            raise CheckFailed(f"resent: {report.duplicate} duplicate; {report.failure}")
        if receipt.platform_receipt != first.receipt_number:
            raise CheckFailed("the resend got another receipt number")
        return "sent again after a lost answer: duplicate, the first receipt number"

    def check_status(self) -> str:
        pulled = pull_status(self.store, self.client)
        return f"status page read, {pulled} change(s)"

    @staticmethod
    def _all(results: list[ItemResult], wanted: str, good: Callable[[ItemResult], bool]) -> None:
        bad = [r for r in results if r.result != wanted or not good(r)]
        if bad:
            raise CheckFailed(
                f"{len(bad)} of {len(results)} not {wanted} as expected "
                f"(first: {bad[0].result} {bad[0].reason})".strip()
            )


CHECKS = [
    ("contract: health", "check_health"),
    ("contract: enrollment and signed key list", "check_enroll"),
    ("contract: unsigned request refused", "check_unsigned"),
    ("contract: malformed batch refused", "check_malformed"),
    ("signing: bad signature refused", "check_bad_signature"),
    ("signing: unknown device refused", "check_unknown_device"),
    ("signing: stale timestamp refused, signed time", "check_stale"),
    ("replay: a nonce used twice refused", "check_replay"),
    ("exactly-once: a batch through the kiosk's sync", "check_exactly_once"),
    ("dedupe: a resend answers duplicate", "check_dedupe"),
    ("dedupe: another payload under a used id refused", "check_different_payload"),
    ("exactly-once: an answer lost, the item resent", "check_lost_answer"),
    ("contract: status changes", "check_status"),
]


def run(
    url: str, token: str, ca_bundle: Path | None = None, out: Callable[[str], None] = print
) -> int:
    """Every check against `url`, one line each; 0 if all passed, else 1."""
    failed = passed = 0
    with tempfile.TemporaryDirectory(prefix="ieum-conform-") as work:
        kit = Kit(url, token, Path(work), ca_bundle)
        try:
            for name, method in CHECKS:
                try:
                    detail = getattr(kit, method)()
                    out(f"ok    {name}: {detail}")
                    passed += 1
                except (CheckFailed, SyncFailure, httpx.HTTPError, json.JSONDecodeError) as exc:
                    failed += 1
                    out(f"FAIL  {name}: {exc}")
                    if method == "check_enroll":
                        out("      (nothing more can be checked without an enrolled device)")
                        break
        finally:
            kit.close()
    out(
        f"{passed} of {len(CHECKS)} checks passed: "
        + ("FAIL" if failed or passed < len(CHECKS) else "ok")
    )
    return 0 if passed == len(CHECKS) else 1
