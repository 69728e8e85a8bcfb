"""The reference platform against the protocol document, by schemathesis.

Requests are generated from sync/openapi.yaml (valid ones and, for the checks that
need them, invalid ones) and sent over loopback to a running reference platform,
signed by an enrolled device; every answer must match the document.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from reference_platform.local import LocalPlatform, start_local_platform
from sync.auth import sign_request
from sync.client import DeviceIdentity, PlatformClient
from sync.enrollment import device_identity, enroll
from sync.store import Store
from tests.conftest import DEMO_CATALOG_KEY, ROOT
from tests.e2e.conftest import BACKENDS

schema = schemathesis.openapi.from_path(ROOT / "sync" / "openapi.yaml")
SIGN_ME = "sign-me"


@schema.auth()
class MarkForSigning:
    """Tells schemathesis the case carries credentials (so its auth probes take them
    away or spoil them) without guessing how the body will be serialised."""

    def get(self, case: schemathesis.Case, context: object) -> str:
        return SIGN_ME

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers = {**(case.headers or {}), "Ieum-Signature": data}


class DeviceSignature(requests.auth.AuthBase):
    """Signs marked requests exactly as they go on the wire; leaves probes alone."""

    def __init__(self, identity: DeviceIdentity) -> None:
        self.identity = identity

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if request.headers.get("Ieum-Signature") != SIGN_ME:
            return request
        del request.headers["Ieum-Signature"]
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        url = urlsplit(request.url or "")
        target = url.path + (f"?{url.query}" if url.query else "")
        assert request.method is not None
        request.headers.update(
            sign_request(
                self.identity.key,
                self.identity.device_id,
                request.method,
                target,
                body,
                time.time(),
            )
        )
        return request


@pytest.fixture(scope="module", params=BACKENDS)
def running(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[LocalPlatform, requests.Session]]:
    folder: Path = tmp_path_factory.mktemp("contract")
    database = None
    if request.param == "postgresql":
        database = request.getfixturevalue("postgres_cluster").new_database()
    platform = start_local_platform(
        folder / "platform", catalog_key=DEMO_CATALOG_KEY, database=database
    )
    published = subprocess.run(
        [sys.executable, "-m", "reference_platform", "publish-catalog",
         "--data", str(platform.data),
         str(ROOT / "resources" / "catalog" / "demo.ieumcat")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "published" in published.stdout  # so the catalog's 200 and 304 are checked too
    store = Store(folder / "device" / "ieum.db")
    client = PlatformClient(platform.url)
    enroll(store, client, platform.new_token("contract test"))
    identity = device_identity(store)
    assert identity is not None
    session = requests.Session()
    session.auth = DeviceSignature(identity)
    yield platform, session
    session.close()
    client.close()
    store.close()
    platform.stop()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_platform_keeps_to_the_document(
    case: schemathesis.Case, running: tuple[LocalPlatform, requests.Session]
) -> None:
    platform, session = running
    case.call_and_validate(base_url=platform.url, session=session)
