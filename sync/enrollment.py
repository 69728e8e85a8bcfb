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

from sync import audit
from sync.auth import MAX_SKEW, device_signing_key
from sync.client import DeviceIdentity, PlatformClient, SyncFailure
from sync.device import device_secret
from sync.paths import DataFolder
from sync.sealing import PlatformKey
from sync.store import Store
from sync.trust import (
    KeyList,
    TrustError,
    check_platform_url,
    check_successor,
    root_fingerprint,
    verify_key_list,
)

_KEYS = "platform_keys"
_KEYS_REFRESHED = "platform_keys_refreshed"
_ENROLLED = "enrolled"
ROOT_KEY = "platform_root_key"
PLATFORM_URL = "enrolled_platform_url"
_KEY_LIST_VERSION = "key_list_version"
_SUITE = "sealing_suite"
CATALOG_KEY = "catalog_signing_key"
CATALOG_KEYS = "catalog_signing_keys"
KEY_REFRESH_SECONDS = 3600.0


def is_enrolled(store: Store) -> bool:
    return bool(store.setting(_ENROLLED))


def enrolled_platform_url(store: Store) -> str:
    """The address the device enrolled at ("" before enrollment): the only one it talks to."""
    return store.setting(PLATFORM_URL) or ""


def device_identity(store: Store) -> DeviceIdentity | None:
    """The identity requests are signed with, once enrolled."""
    if not is_enrolled(store):
        return None
    key = device_signing_key(device_secret(store.path.parent))
    root = store.setting(ROOT_KEY) or ""
    return DeviceIdentity(store.device_id(), key, enrolled_platform_url(store), root)


def _key_rows(key_list: KeyList, now: float) -> dict[str, str]:
    return {
        _KEYS: json.dumps([k.to_wire() for k in key_list.encryption_keys]),
        _KEYS_REFRESHED: str(now),
        _KEY_LIST_VERSION: str(key_list.version),
        _SUITE: key_list.suite,
        CATALOG_KEY: key_list.catalog_signing_keys[0] if key_list.catalog_signing_keys else "",
        CATALOG_KEYS: json.dumps(key_list.catalog_signing_keys),
    }


def _save(store: Store, rows: dict[str, str], why: str) -> None:
    with store.transaction(why) as conn:
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            list(rows.items()),
        )


def enroll(
    store: Store,
    client: PlatformClient,
    token: str,
    now: float | None = None,
    expected_root: str = "",
) -> str:
    """Spend a one-time token; the device's id. SyncFailure if the platform refuses, or
    if its key list is not signed by the root key it names (or by `expected_root`, a
    fingerprint staff read from the platform, when given)."""
    now = time.time() if now is None else now
    key = device_signing_key(device_secret(store.path.parent))
    enrollment = client.enroll(token, key)
    try:
        if expected_root and root_fingerprint(enrollment.root_key) != expected_root.lower():
            raise TrustError("the platform's root key is not the expected one")
        key_list = verify_key_list(enrollment.signed_keys, enrollment.root_key)
    except TrustError as exc:
        raise SyncFailure("protocol", str(exc)) from None
    rows = {
        "device_id": enrollment.device_id,
        ROOT_KEY: enrollment.root_key,
        PLATFORM_URL: client.base_url.strip(),
        **_key_rows(key_list, now),
        _ENROLLED: str(now),
    }
    _save(store, rows, "record the enrollment")
    client.identity = DeviceIdentity(
        enrollment.device_id, key, client.base_url.strip(), enrollment.root_key
    )
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
    """Take the platform's current sealing keys (rotation): new seals use the newest.

    Only from a list signed by the pinned root key, no older than the one held and not
    downgrading the suite; otherwise SyncFailure("protocol") and the keys held stay.
    A device enrolled before root keys existed pins the first one it sees (and the
    address it sees it at), once.
    """
    now = time.time() if now is None else now
    wire = client.keys(audit.head(store.conn))
    rows: dict[str, str] = {}
    root = store.setting(ROOT_KEY) or ""
    if not root:
        offered = wire.get("root_key")
        root = rows[ROOT_KEY] = offered if isinstance(offered, str) else ""
    if not enrolled_platform_url(store):
        rows[PLATFORM_URL] = client.base_url.strip()
    try:
        key_list = verify_key_list(wire, root)
        held_version = int(store.setting(_KEY_LIST_VERSION) or 0)
        check_successor(key_list, held_version, store.setting(_SUITE) or "")
    except TrustError as exc:
        raise SyncFailure("protocol", f"key list refused: {exc}") from None
    _save(store, {**rows, **_key_rows(key_list, now)}, "take the platform's keys")
    return key_list.encryption_keys[0]


def keys_are_due(store: Store, now: float) -> bool:
    refreshed = store.setting(_KEYS_REFRESHED)
    return refreshed is None or now - float(refreshed) >= KEY_REFRESH_SECONDS


def pinned_catalog_keys(store_path: Path) -> list[str]:
    """The catalog signing keys from the last trusted key list, newest first, read
    without opening the store for writing (the kiosk needs them before its store
    thread starts); [] if none."""
    if not store_path.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)
        try:
            rows = dict(
                conn.execute(
                    "SELECT key, value FROM settings WHERE key IN (?, ?)",
                    (CATALOG_KEYS, CATALOG_KEY),
                ).fetchall()
            )
        finally:
            conn.close()
    except sqlite3.Error:
        return []  # the store's own start-up check deals with a damaged store
    try:
        keys = json.loads(rows.get(CATALOG_KEYS) or "[]")
    except ValueError:
        keys = []
    if not keys and rows.get(CATALOG_KEY):
        keys = [rows[CATALOG_KEY]]  # enrolled before key lists carried several
    return [str(k) for k in keys if isinstance(k, str) and k]


def pinned_catalog_key(store_path: Path) -> str:
    """The newest pinned catalog signing key; "" if none."""
    keys = pinned_catalog_keys(store_path)
    return keys[0] if keys else ""


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
    expected_root: str = "",
    store: Store | None = None,
) -> str:
    """Enroll the device whose data lives in data_dir, checking first what an installer
    gets wrong (the address, the network, the clock), so each failure has one clear
    message. The device's id, or EnrollmentError. `expected_root`: the fingerprint of
    the platform's root key (`reference_platform root-key`), to pin no other. `store`:
    the device's store when the caller holds it open already (the kiosk's store owner),
    else it is opened here."""
    try:
        check_platform_url(url)
    except TrustError as exc:
        raise EnrollmentError("url", f"{url!r} {exc}") from None
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
            return enroll(store, client, token, now=clock(), expected_root=expected_root)
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
