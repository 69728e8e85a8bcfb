"""The storage interface the HTTP API is written against.

`PlatformStorage` (storage.py) implements it over either database (database.py):
SQLite, embedded, or PostgreSQL, shared by replicas. Another implementation (a city's
own store) only has to provide these methods; the API calls each of them off the
event loop, so they may block.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reference_platform.devices import Device
from sync.protocol import ItemResult, StatusChange, UploadItem, UsageGroup


class DeviceRegister(Protocol):
    """Devices, enrollment tokens, nonces, audit heads, last-seen and heartbeats."""

    def find(self, device_id: str) -> Device | None: ...
    def enroll(self, token: str, public_key_text: str, now: float) -> str: ...
    def remember_nonce(self, device_id: str, timestamp: int, nonce: str, now: float) -> None: ...
    def seen(self, device_id: str, now: float) -> None: ...
    def record_heartbeat(
        self, device_id: str, figures: Mapping[str, int | float], now: float
    ) -> None: ...
    def record_audit_head(
        self, device_id: str, head: tuple[int, str] | None, now: float
    ) -> str: ...


class RootSigner(Protocol):
    @property
    def root(self) -> Ed25519PrivateKey: ...
    @property
    def public(self) -> str: ...


class Storage(Protocol):
    """Submissions, status, catalog, usage and signed keys; `devices` for the rest."""

    @property
    def devices(self) -> DeviceRegister: ...
    @property
    def signed(self) -> RootSigner: ...

    def check(self) -> None: ...
    def signed_keys(self, now: float) -> dict[str, str]: ...
    def receive(self, items: list[UploadItem], now: float, device_id: str) -> list[ItemResult]: ...
    def accepted_since(self, device_id: str, since: float) -> int: ...
    def status_changes(
        self, device_id: str, since: int, limit: int
    ) -> tuple[list[StatusChange], int, bool]: ...
    def published_catalog(self) -> tuple[str, str, bytes] | None: ...
    def record_usage(self, device_id: str, groups: list[UsageGroup]) -> None: ...
