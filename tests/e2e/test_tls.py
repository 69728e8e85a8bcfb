"""TLS to the platform: verification is always on; a custom CA bundle can be named."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from reference_platform.local import LocalPlatform, start_local_platform
from sync.client import PlatformClient, SyncFailure


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: a stand-in for a private CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ieum test platform")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "platform.crt", folder / "platform.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_platform(tmp_path: Path) -> Iterator[tuple[LocalPlatform, Path]]:
    cert, key = _certificate(tmp_path)
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
