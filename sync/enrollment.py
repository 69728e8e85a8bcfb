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
from pathlib import Path

from sync.auth import device_signing_key
from sync.client import DeviceIdentity, PlatformClient
from sync.device import device_secret
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
