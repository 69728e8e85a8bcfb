"""Who may talk to the platform, and which catalogs a device accepts.

Requests are built by hand here (httpx against the running reference platform) so each
one can be spoiled in exactly one way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.package import (
    SigningKey,
    build_package,
    install_package,
    load_private_key,
    new_signing_key,
)
from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.auth import sign_request
from sync.client import DeviceIdentity, PlatformClient, SyncFailure
from sync.enrollment import current_platform_key, device_identity, enroll
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application
from tests.conftest import DEMO_CATALOG_KEY, ROOT
from tests.unit.test_package import _rewrite

CATALOG = ROOT / "resources" / "catalog"


def _identity(store: Store) -> DeviceIdentity:
    identity = device_identity(store)
    assert identity is not None
    return identity


def _get(
    platform: LocalPlatform, headers: dict[str, str], path: str = "/v1/keys"
) -> httpx.Response:
    return httpx.get(platform.url + path, headers=headers, timeout=5)


def _error(response: httpx.Response) -> str:
    return str(response.json()["error"])


def test_a_signed_request_is_accepted_and_every_spoiled_one_refused(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    me = _identity(store)
    good = sign_request(me.key, me.device_id, "GET", "/v1/keys", b"", time.time())
    assert _get(platform, good).status_code == 200

    replayed = _get(platform, good)
    assert (replayed.status_code, _error(replayed)) == (401, "replayed")

    unsigned = _get(platform, {})
    assert (unsigned.status_code, _error(unsigned)) == (401, "unsigned")

    stranger = Ed25519PrivateKey.generate()
    forged = sign_request(stranger, me.device_id, "GET", "/v1/keys", b"", time.time())
    assert _error(_get(platform, forged)) == "bad_signature"

    other_path = sign_request(me.key, me.device_id, "GET", "/v1/status", b"", time.time())
    assert _error(_get(platform, other_path)) == "bad_signature"  # signed for another path

    stale = sign_request(me.key, me.device_id, "GET", "/v1/keys", b"", time.time() - 900)
    refused = _get(platform, stale)
    assert (refused.status_code, _error(refused)) == (401, "stale")
    assert abs(refused.json()["server_time"] - time.time()) < 60

    unknown = sign_request(me.key, "dev-NOSUCHDEVICE", "GET", "/v1/keys", b"", time.time())
    assert _error(_get(platform, unknown)) == "unknown_device"


def test_a_changed_body_breaks_the_signature(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    me = _identity(store)
    body = json.dumps({"groups": []}).encode()
    headers = sign_request(me.key, me.device_id, "POST", "/v1/statistics", body, time.time())
    headers["content-type"] = "application/json"
    changed = httpx.post(
        platform.url + "/v1/statistics", content=body.replace(b"[]", b"[ ]"), headers=headers
    )
    assert (changed.status_code, _error(changed)) == (401, "bad_signature")


def test_a_device_with_a_wrong_clock_corrects_itself(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    client.clock = lambda: time.time() + 3 * 3600  # the kiosk's battery-less clock is off
    assert client.keys()
    assert abs(client.clock_offset + 3 * 3600) < 60


def test_a_revoked_device_is_refused_and_keeps_its_applications(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    me = _identity(store)
    submit_application(store, {"service": {"id": "s", "version": "1"}, "answers": {}},
                       current_platform_key(store), time.time())  # fmt: skip
    revoked = subprocess.run(
        [sys.executable, "-m", "reference_platform", "revoke", "--data", str(platform.data),
         me.device_id],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert revoked.returncode == 0, revoked.stderr
    with pytest.raises(SyncFailure) as caught:
        client.keys()
    assert (caught.value.kind, caught.value.detail) == ("auth", "revoked")
    report = sync_pass(store, client, time.time() + 7200)
    assert report.failure_kind == "auth"
    assert len(store.outbox()) == 1  # nothing dropped: staff can re-enroll and send it


def test_enrollment_tokens_are_single_use_and_need_the_key(
    store: Store, platform: LocalPlatform, tmp_path: Path
) -> None:
    token = platform.new_token("one kiosk")
    client = PlatformClient(platform.url)
    device_id = enroll(store, client, token)
    # The same device asking again (its answer was lost) gets the same id ...
    assert enroll(store, client, token) == device_id
    # ... another device cannot use the token again.
    other = Store(tmp_path / "other" / "ieum.db")
    with pytest.raises(SyncFailure) as caught:
        enroll(other, client, token)
    assert caught.value.detail == "bad_token"
    with pytest.raises(SyncFailure) as caught:
        enroll(other, client, "AAAA-BBBB-CCCC-DDDD")
    assert caught.value.detail == "bad_token"
    # A proof made with another key is refused before the token is spent.
    fresh = platform.new_token("two")
    key = Ed25519PrivateKey.generate()
    from sync.auth import enrollment_proof, public_key_text

    body = {
        "token": fresh,
        "public_key": public_key_text(Ed25519PrivateKey.generate().public_key()),
        "proof": enrollment_proof(key, fresh),
    }
    refused = httpx.post(platform.url + "/v1/enrollments", json=body)
    assert (refused.status_code, _error(refused)) == (401, "bad_proof")
    assert enroll(other, client, fresh).startswith("dev-")  # still unspent
    other.close()
    client.close()


def _newer_package(tmp_path: Path, version: str) -> bytes:
    source = tmp_path / "source"
    shutil.copytree(CATALOG / "source", source)
    catalog = json.loads((source / "catalog.json").read_text())
    catalog["version"] = version
    (source / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False))
    return build_package(source, load_private_key(CATALOG / "DEMO-ONLY-signing-key.pem"))


def test_catalogs_install_only_when_signed_and_whole(
    store: Store, platform: LocalPlatform, client: PlatformClient, tmp_path: Path
) -> None:
    folder = tmp_path / "device" / "catalog"
    key = SigningKey.from_text(DEMO_CATALOG_KEY.read_text())

    def install(package: bytes) -> str:
        return install_package(package, key, folder).version

    storage = PlatformStorage(platform.data)
    clock = [time.time()]

    def pull() -> str:
        clock[0] += 3600  # past the catalog check interval
        report = sync_pass(store, client, clock[0], install)
        assert report.failure == ""
        return "" if report.catalog is None else str(report.catalog)

    good = _newer_package(tmp_path, "2099.1")
    storage.publish_catalog(good, "2099.1", time.time())
    assert pull() == "installed 2099.1"
    assert pull() == ""  # 304: nothing new
    installed = (folder / "catalog.ieumcat").read_bytes()

    stranger, _ = new_signing_key()
    foreign = build_package(CATALOG / "source", stranger)
    storage.publish_catalog(foreign, "2099.2", time.time())
    assert pull().startswith("refused: ") and (folder / "catalog.ieumcat").read_bytes() == installed

    tampered = _rewrite(good, {"catalog.json": b'{"version": "2099.3"}'})
    storage.publish_catalog(tampered, "2099.3", time.time())
    refusal = pull()
    assert refusal == "refused: catalog.json: content does not match the manifest"
    assert (folder / "catalog.ieumcat").read_bytes() == installed  # the last good one stays
    storage.close()


def test_the_platform_will_not_publish_a_catalog_its_devices_would_refuse(
    platform: LocalPlatform, tmp_path: Path
) -> None:
    stranger, _ = new_signing_key()
    bad = tmp_path / "foreign.ieumcat"
    bad.write_bytes(build_package(CATALOG / "source", stranger))
    result = subprocess.run(
        [sys.executable, "-m", "reference_platform", "publish-catalog",
         "--data", str(platform.data),
         str(bad)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1 and "not published" in result.stderr
