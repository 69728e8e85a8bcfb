"""The root of trust pinned at enrollment, tried as an attacker would (issue 16).

A kiosk enrolled at the real platform meets a rogue one: at the same address (a
TLS-inspecting proxy, a hijacked name), at another address (an administrator's or
config file's change), over plain http, or offering a weaker suite. In every case the
kiosk must keep sealing to the keys it trusts and hand the rogue nothing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from forms.package import PackageError, SigningKey, build_package, install_package, new_signing_key
from reference_platform.local import LocalPlatform, start_local_platform
from reference_platform.storage import PlatformStorage
from sync.client import PlatformClient, SyncFailure
from sync.device_settings import BadSetting, DeviceSettings, load_settings, save_settings
from sync.enrollment import (
    EnrollmentError,
    current_platform_key,
    device_identity,
    enroll_device,
    pinned_catalog_keys,
    refresh_platform_keys,
)
from sync.runner import sync_pass
from sync.sealing import KEM_HYBRID, KEM_X25519
from sync.store import Store
from sync.submission import submit_application
from tests.conftest import DEMO_CATALOG_KEY, ROOT

CATALOG = ROOT / "resources" / "catalog"

_PAYLOAD: dict[str, object] = {
    "service": {"id": "digital-device-access", "version": "2026.1"},
    "answers": {"household_size": 1, "name_for_loan": "Test Resident"},
}


def _rogue(tmp_path: Path, store: Store, real: LocalPlatform, port: int = 0) -> LocalPlatform:
    """A platform of its own keys that has copied the real one's device register (public
    keys are not secret), so it answers the kiosk's signed requests."""
    folder = tmp_path / "rogue"
    PlatformStorage(folder).close()
    source = PlatformStorage(real.data)  # whichever database the real one uses
    with source.db.read() as session:
        rows = session.execute("SELECT device_id, public_key, label, enrolled FROM devices")
        rows = rows.fetchall()
    source.close()
    with sqlite3.connect(folder / "platform.db") as dst:
        dst.executemany("INSERT INTO devices VALUES (?, ?, ?, ?, NULL)", rows)
    return start_local_platform(folder, port=port, catalog_key=DEMO_CATALOG_KEY)


def _queue_one(store: Store) -> None:
    key = current_platform_key(store)
    assert key is not None
    submit_application(store, dict(_PAYLOAD), key, time.time())


def test_a_rogue_key_list_at_the_platforms_address_is_refused(
    tmp_path: Path, store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    held = current_platform_key(store)
    _queue_one(store)
    port = urlsplit(platform.url).port
    assert port is not None
    platform.stop()  # the rogue takes over the address, as a TLS-inspecting proxy would
    rogue = _rogue(tmp_path, store, platform, port)
    try:
        assert rogue.url == platform.url
        with pytest.raises(SyncFailure, match="key list refused"):
            refresh_platform_keys(store, client)
        assert current_platform_key(store) == held
        report = sync_pass(store, client, time.time() + 7200)  # keys due again
        assert report.failure_kind == "protocol" and report.accepted == 0
        assert len(store.outbox()) == 1  # nothing was handed over, nothing deleted
        storage = PlatformStorage(rogue.data)
        assert storage.submissions() == []
        storage.close()
    finally:
        rogue.stop()


def test_a_suite_downgrade_is_refused_even_when_signed(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    held = current_platform_key(store)
    assert held is not None and held.kem == KEM_HYBRID
    port = urlsplit(platform.url).port
    platform.stop()
    storage = PlatformStorage(platform.data)
    storage.keys.add(KEM_X25519)  # the newest key is now X25519 only
    storage.close()
    again = start_local_platform(platform.data, port=port or 0, catalog_key=DEMO_CATALOG_KEY)
    try:
        with pytest.raises(SyncFailure, match="downgrades"):
            refresh_platform_keys(store, client)
        assert current_platform_key(store) == held
    finally:
        again.stop()


def test_plain_http_beyond_loopback_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EnrollmentError) as refused:
        enroll_device(tmp_path / "device", "http://platform.example.org", "ABCD-EFGH-JKLM-NPQR")
    assert refused.value.reason == "url"
    client = PlatformClient("http://192.0.2.1:8765", timeout=0.5)
    with pytest.raises(SyncFailure, match="insecure_url"):
        client.health()  # refused before a byte goes out: not a network error
    client.close()
    with pytest.raises(BadSetting):
        DeviceSettings(platform_url="http://platform.example.org").check()
    DeviceSettings(platform_url="http://127.0.0.1:8765").check()  # the demo's is fine
    DeviceSettings(platform_url="https://platform.example.org").check()


def test_a_url_change_needs_a_new_enrollment(
    tmp_path: Path, store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    rogue = _rogue(tmp_path, store, platform)
    try:
        with pytest.raises(BadSetting) as bad:
            save_settings(store, DeviceSettings(platform_url=rogue.url), "adm-1")
        assert bad.value.field == "platform_url"
        assert load_settings(store).platform_url == ""
        save_settings(store, DeviceSettings(platform_url=platform.url + "/"), "adm-1")
        # The config file changed behind the settings' back: signed requests stay home.
        _queue_one(store)
        elsewhere = PlatformClient(rogue.url, identity=device_identity(store))
        report = sync_pass(store, elsewhere, time.time())
        elsewhere.close()
        assert report.failure == "auth: platform_changed"
        assert len(store.outbox()) == 1
        storage = PlatformStorage(rogue.data)
        assert storage.submissions() == []
        storage.close()
    finally:
        rogue.stop()


def test_catalog_signing_keys_rotate_under_the_root_signature(
    tmp_path: Path, store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    old = DEMO_CATALOG_KEY.read_text().strip()
    assert pinned_catalog_keys(store.path) == [old]
    private, new = new_signing_key()
    port = urlsplit(platform.url).port
    platform.stop()
    storage = PlatformStorage(platform.data)
    storage.set_catalog_signing_key(new)
    storage.close()
    again = start_local_platform(platform.data, port=port or 0)
    try:
        refresh_platform_keys(store, client)
    finally:
        again.stop()
    assert pinned_catalog_keys(store.path) == [new, old]
    keys = [SigningKey.from_text(k) for k in pinned_catalog_keys(store.path)]
    signed_by_new = build_package(CATALOG / "source", private)
    assert install_package(signed_by_new, keys, tmp_path / "catalog").version
    with pytest.raises(PackageError):
        install_package(build_package(CATALOG / "source", new_signing_key()[0]), keys, tmp_path)


def test_enrollment_can_insist_on_the_root_keys_fingerprint(
    tmp_path: Path, platform: LocalPlatform
) -> None:
    listing = subprocess.run(
        [sys.executable, "-m", "reference_platform", "root-key", "--data", str(platform.data)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    fingerprint = listing.stdout.split()[-1]
    with pytest.raises(EnrollmentError, match="not the expected one"):
        enroll_device(tmp_path / "a", platform.url, platform.new_token(), expected_root="0" * 16)
    assert enroll_device(
        tmp_path / "b", platform.url, platform.new_token(), expected_root=fingerprint
    ).startswith("dev-")
