"""Enrollment: how a device becomes known to the platform, and what it keeps from that.

Staff create a one-time token on the platform and give it to the kiosk. The device
derives its signing key from its device secret, proves it holds it, and receives its
id, the platform's sealing keys and the catalog signing key to pin. All of it lives
in the store's settings; the key itself is never stored (it is derived again).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sync.auth import MAX_SKEW, device_signing_key
from sync.client import DeviceIdentity, PlatformClient, SyncFailure
from sync.device import device_secret
from sync.paths import DataFolder
from sync.sealing import PlatformKey
from sync.store import Store

_KEYS = "platform_keys"
_KEYS_REFRESHED = "platform_keys_refreshed"
_ENROLLED = "enrolled"
CATALOG_KEY = "catalog_signing_key"
KEY_REFRESH_SECONDS = 3600.0


def is_enrolled(store: Store) -> bool:
    return bool(store.setting(_ENROLLED))


def device_identity(store: Store) -> DeviceIdentity | None:
    """The identity requests are signed with, once enrolled."""
    if not is_enrolled(store):
        return None
    key = device_signing_key(device_secret(store.path.parent))
    return DeviceIdentity(store.device_id(), key)


def enroll(store: Store, client: PlatformClient, token: str, now: float | None = None) -> str:
    """Spend a one-time token; the device's id. SyncFailure if the platform refuses."""
    key = device_signing_key(device_secret(store.path.parent))
    enrollment = client.enroll(token, key)
    keys = [PlatformKey.from_wire(k) for k in enrollment.encryption_keys]
    with store.transaction("record the enrollment") as conn:
        rows = {
            "device_id": enrollment.device_id,
            _KEYS: json.dumps([k.to_wire() for k in keys]),
            _KEYS_REFRESHED: str(now or time.time()),
            CATALOG_KEY: enrollment.catalog_signing_key,
            _ENROLLED: str(now or time.time()),
        }
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            list(rows.items()),
        )
    client.identity = DeviceIdentity(enrollment.device_id, key)
    return enrollment.device_id


def current_platform_key(store: Store) -> PlatformKey | None:
    """The newest sealing key, or None if the device has none yet."""
    raw = store.setting(_KEYS)
    if not raw:
        return None
    keys = [PlatformKey.from_wire(k) for k in json.loads(raw)]
    return keys[0] if keys else None


def refresh_platform_keys(
    store: Store, client: PlatformClient, now: float | None = None
) -> PlatformKey:
    """Take the platform's current sealing keys (rotation): new seals use the newest."""
    keys = client.keys()
    store.set_setting(_KEYS, json.dumps([k.to_wire() for k in keys]))
    store.set_setting(_KEYS_REFRESHED, str(now or time.time()))
    return keys[0]


def keys_are_due(store: Store, now: float) -> bool:
    refreshed = store.setting(_KEYS_REFRESHED)
    return refreshed is None or now - float(refreshed) >= KEY_REFRESH_SECONDS


def pinned_catalog_key(store_path: Path) -> str:
    """The catalog signing key pinned at enrollment, read without opening the store for
    writing (the kiosk needs it before its store thread starts); "" if none."""
    if not store_path.exists():
        return ""
    try:
        conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT value FROM settings WHERE key = ?", (CATALOG_KEY,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return ""  # the store's own start-up check deals with a damaged store
    return str(row[0]) if row else ""


class EnrollmentError(Exception):
    """Enrollment did not happen; the message says why and what to do, for the person
    installing the kiosk (never a secret, never a response body)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        """One of: url, unreachable, not_platform, clock, token, already, platform."""


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 60:.0f} minutes"


def enroll_device(
    data_dir: Path,
    url: str,
    token: str,
    ca_bundle: Path | None = None,
    clock: Callable[[], float] = time.time,
    timeout: float = 10.0,
    store: Store | None = None,
) -> str:
    """Enroll the device whose data lives in data_dir, checking first what an installer
    gets wrong (the address, the network, the clock), so each failure has one clear
    message. The device's id, or EnrollmentError. `store`: the device's store when the
    caller holds it open already (the kiosk's store owner), else it is opened here."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnrollmentError(
            "url", f"{url!r} is not a platform address: expected https://host[:port]"
        )
    if not token.strip():
        raise EnrollmentError("token", "no enrollment token given: ask the platform's staff")
    own_store = store is None
    if store is None:
        store = Store(DataFolder(data_dir).store)
    client = PlatformClient(url.strip(), timeout=timeout, ca_bundle=ca_bundle, clock=clock)
    try:
        if is_enrolled(store):
            raise EnrollmentError(
                "already",
                f"this kiosk is already enrolled as {store.device_id()} "
                f"(data in {data_dir}); nothing was changed",
            )
        try:
            platform_time = client.health()
        except SyncFailure as failure:
            raise _unreachable(url, failure) from None
        skew = clock() - platform_time
        if abs(skew) > MAX_SKEW:
            direction = "ahead of" if skew > 0 else "behind"
            raise EnrollmentError(
                "clock",
                f"this machine's clock is {_duration(skew)} {direction} the platform's; "
                f"set the date and time (for example `timedatectl set-ntp true`) and try "
                f"again: signed requests are refused beyond {MAX_SKEW // 60} minutes",
            )
        try:
            return enroll(store, client, token, now=clock())
        except SyncFailure as failure:
            if failure.detail == "bad_token":
                raise EnrollmentError(
                    "token",
                    "the platform refused the token: it was already used, has expired "
                    "(tokens last 7 days) or was mistyped; ask the platform's staff for "
                    "a new one",
                ) from None
            if failure.detail == "already_enrolled":
                raise EnrollmentError(
                    "already",
                    "the platform already knows this device's key (enrolled before, "
                    "perhaps revoked): ask the platform's staff",
                ) from None
            if failure.kind == "network":
                raise _unreachable(url, failure) from None
            raise EnrollmentError(
                "platform", f"the platform did not enroll this kiosk ({failure})"
            ) from None
    finally:
        client.close()
        if own_store:
            store.close()


def _unreachable(url: str, failure: SyncFailure) -> EnrollmentError:
    if failure.kind == "network":
        hint = "check the address and the network"
        if url.strip().startswith("https"):
            hint += (
                "; for TLS, the platform's certificate must be trusted (--ca-bundle) "
                "and this machine's date must be right"
            )
        return EnrollmentError("unreachable", f"cannot reach {url} ({failure.detail}): {hint}")
    return EnrollmentError(
        "not_platform",
        f"{url} answered, but not as an Ieum platform ({failure}): check the address",
    )
