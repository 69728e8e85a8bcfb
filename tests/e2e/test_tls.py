"""TLS to the platform: verification is always on; a custom CA bundle can be named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reference_platform.local import LocalPlatform, start_local_platform
from sync.client import PlatformClient, SyncFailure
from tools.vm.tls import self_signed


@pytest.fixture
def tls_platform(tmp_path: Path) -> Iterator[tuple[LocalPlatform, Path]]:
    cert, key = self_signed(tmp_path, ("127.0.0.1",))
    running = start_local_platform(tmp_path / "platform", tls=(cert, key))
    yield running, cert
    running.stop()


def test_an_unknown_certificate_is_refused(tls_platform: tuple[LocalPlatform, Path]) -> None:
    platform, _ = tls_platform
    assert platform.url.startswith("https://")
    client = PlatformClient(platform.url)
    with pytest.raises(SyncFailure) as caught:
        client.health()
    assert caught.value.kind == "network"
    client.close()


def test_the_named_ca_bundle_is_trusted(tls_platform: tuple[LocalPlatform, Path]) -> None:
    platform, cert = tls_platform
    client = PlatformClient(platform.url, ca_bundle=cert)
    assert client.health() > 0
    client.close()
