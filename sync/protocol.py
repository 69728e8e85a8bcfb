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


def _name_field(data: Any, key: str, where: str) -> str:
    """Ids and names on the wire: 1 to 64 printable ASCII characters."""
    value = _field(data, key, str, where)
    if not 1 <= len(value) <= 64 or not (value.isascii() and value.isprintable()):
        raise ProtocolError(f"{where}.{key}: expected 1 to 64 printable ASCII characters")
    return str(value)


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
            k: _name_field(data, k, where)
            for k in ("submission_id", "service_id", "service_version", "device_id", "key_id")
        }
        try:
            sealed = base64.b64decode(_field(data, "sealed", str, where), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ProtocolError(f"{where}.sealed: not base64") from exc
        if not sealed:
            raise ProtocolError(f"{where}.sealed: empty")
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


STATUSES = ("received", "in_review", "needs_information", "approved", "rejected")
"""The statuses this release knows. The list is extensible (openapi.yaml): a platform may
send others, which devices keep as sent and show as "in progress"."""
K_ANONYMITY = 5
MAX_USAGE_COUNT = 1_000_000
"""Every group in usage statistics counts at least this many applications."""


@dataclass(frozen=True)
class StatusChange:
    submission_id: str
    receipt_number: str
    status: str
    changed: float

    def to_wire(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id,
            "receipt_number": self.receipt_number,
            "status": self.status,
            "changed": self.changed,
        }

    @classmethod
    def from_wire(cls, data: Any, where: str) -> StatusChange:
        # Any well-formed name: a status added by a newer platform must never stop the
        # sync pass of every kiosk (only a malformed one is refused).
        status = _name_field(data, "status", where)
        changed = data.get("changed")
        if not isinstance(changed, int | float) or isinstance(changed, bool):
            raise ProtocolError(f"{where}.changed: expected a number")
        return cls(
            _field(data, "submission_id", str, where)[:64],
            _field(data, "receipt_number", str, where)[:64],
            status,
            float(changed),
        )


@dataclass(frozen=True)
class StatusPage:
    changes: list[StatusChange]
    cursor: str
    more: bool


def parse_status_page(data: Any) -> StatusPage:
    raw = _field(data, "changes", list, "$")
    changes = [StatusChange.from_wire(c, f"$.changes[{i}]") for i, c in enumerate(raw)]
    cursor = _field(data, "cursor", str, "$")
    if len(cursor) > 64:
        raise ProtocolError("$.cursor: too long")
    return StatusPage(changes, cursor, bool(_field(data, "more", bool, "$")))


@dataclass(frozen=True)
class Enrollment:
    """What a device receives once, for a one-time token: its id, the platform's root
    key to pin, and the first key list signed by it (checked by sync/trust.py)."""

    device_id: str
    root_key: str
    signed_keys: dict[str, Any]

    @classmethod
    def from_wire(cls, data: Any) -> Enrollment:
        device_id = _field(data, "device_id", str, "$")
        if not 1 <= len(device_id) <= 64:
            raise ProtocolError("$.device_id: bad length")
        root_key = _field(data, "root_key", str, "$")
        signed = {k: _field(data, k, str, "$") for k in ("key_list", "signature")}
        return cls(device_id, root_key, signed)


@dataclass(frozen=True)
class UsageGroup:
    service_id: str
    week: str
    """ISO week, e.g. 2026-W47: closed weeks only, never days or times."""
    count: int

    def to_wire(self) -> dict[str, Any]:
        return {"service_id": self.service_id, "week": self.week, "count": self.count}

    @classmethod
    def from_wire(cls, data: Any, where: str) -> UsageGroup:
        count = data.get("count") if isinstance(data, dict) else None
        if isinstance(count, float) and count.is_integer():
            count = int(count)  # JSON has one number type: 5.0 is 5
        if not isinstance(count, int) or isinstance(count, bool) or count > MAX_USAGE_COUNT:
            raise ProtocolError(f"{where}.count: expected a whole number up to {MAX_USAGE_COUNT}")
        if count < K_ANONYMITY:
            raise ProtocolError(f"{where}.count: groups under {K_ANONYMITY} are never sent")
        week = _field(data, "week", str, where)
        if len(week) != 8 or week[4:6] != "-W" or not (week[:4] + week[6:]).isdigit():
            raise ProtocolError(f"{where}.week: expected YYYY-Www")
        return cls(_name_field(data, "service_id", where), week, count)
