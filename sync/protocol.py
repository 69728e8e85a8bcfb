"""Wire models of the platform protocol (/v1), shared by the client and the reference server.

Parsing is strict: anything a server or device sends that does not match is a
ProtocolError with a short, log-safe description, never a KeyError deep in the sync.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

API = "/v1"
MAX_BATCH_ITEMS = 100
MAX_BATCH_BYTES = 4 * 1024 * 1024
RESULTS = ("accepted", "duplicate", "rejected")


class ProtocolError(Exception):
    """A message did not follow the protocol."""


def _field(data: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(data, dict):
        raise ProtocolError(f"{where}: expected an object")
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ProtocolError(f"{where}.{key}: expected {kind.__name__}")
    return value


@dataclass(frozen=True)
class UploadItem:
    submission_id: str
    service_id: str
    service_version: str
    device_id: str
    key_id: str
    sealed: bytes

    def to_wire(self) -> dict[str, str]:
        return {
            "submission_id": self.submission_id,
            "service_id": self.service_id,
            "service_version": self.service_version,
            "device_id": self.device_id,
            "key_id": self.key_id,
            "sealed": base64.b64encode(self.sealed).decode(),
        }

    @classmethod
    def from_wire(cls, data: Any, where: str) -> UploadItem:
        text = {
            k: _field(data, k, str, where)
            for k in ("submission_id", "service_id", "service_version", "device_id", "key_id")
        }
        try:
            sealed = base64.b64decode(_field(data, "sealed", str, where), validate=True)
        except binascii.Error as exc:
            raise ProtocolError(f"{where}.sealed: not base64") from exc
        return cls(sealed=sealed, **text)


@dataclass(frozen=True)
class ItemResult:
    submission_id: str
    result: str
    receipt_number: str = ""
    reason: str = ""

    def to_wire(self) -> dict[str, str]:
        wire = {"submission_id": self.submission_id, "result": self.result}
        if self.receipt_number:
            wire["receipt_number"] = self.receipt_number
        if self.reason:
            wire["reason"] = self.reason
        return wire

    @classmethod
    def from_wire(cls, data: Any, where: str) -> ItemResult:
        result = _field(data, "result", str, where)
        if result not in RESULTS:
            raise ProtocolError(f"{where}.result: unknown result")
        receipt = data.get("receipt_number", "")
        reason = data.get("reason", "")
        if not isinstance(receipt, str) or not isinstance(reason, str):
            raise ProtocolError(f"{where}: receipt_number and reason must be strings")
        if result != "rejected" and not receipt:
            raise ProtocolError(f"{where}.receipt_number: required when {result}")
        return cls(_field(data, "submission_id", str, where), result, receipt[:64], reason[:200])


def parse_batch_results(data: Any, sent: set[str]) -> list[ItemResult]:
    """Results of an upload; every item must be about something we sent."""
    items = _field(data, "results", list, "$")
    results = [ItemResult.from_wire(item, f"$.results[{i}]") for i, item in enumerate(items)]
    for result in results:
        if result.submission_id not in sent:
            raise ProtocolError("$.results: a result for an item that was not sent")
    return results
