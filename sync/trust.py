"""The platform's root of trust: a signed key list the device checks before sealing.

Without it, sealing end to end would be only as strong as TLS: whoever answers at the
platform's address (a rogue server after a settings change, a TLS-inspecting proxy)
could hand the kiosk its own key and read the next application. So the platform has a
root signing key (Ed25519); the device pins its public half at enrollment, and from
then on takes sealing keys and catalog signing keys only from a key list signed by it:

    signature = Ed25519(root, "ieum-key-list/1\\n" + key_list)

`key_list` is the exact JSON text signed (the device parses it only after checking the
signature): format, version (grows by one at every change), issued_at, the sealing
keys newest first, and the catalog signing keys newest first. The device refuses a list
that does not verify, a version older than the one it holds (rollback), and a newest
key of a weaker suite than it already sealed with (ML-KEM hybrid → X25519 downgrade).
Both halves live here so they cannot drift apart.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.sealing import KEM_HYBRID, KEM_X25519, PlatformKey

FORMAT = "ieum.key-list/1"
_CONTEXT = b"ieum-key-list/1\n"
MAX_KEY_LIST_CHARS = 64 * 1024
SUITE_STRENGTH = {KEM_X25519: 1, KEM_HYBRID: 2}
"""Higher is stronger; a device never goes down once it has sealed with a suite."""


class TrustError(Exception):
    """A key list, URL or root key the device must not trust; the message is log-safe."""


@dataclass(frozen=True)
class KeyList:
    version: int
    issued_at: int
    encryption_keys: list[PlatformKey]
    catalog_signing_keys: list[str]

    @property
    def suite(self) -> str:
        return self.encryption_keys[0].kem


def root_public_text(root: Ed25519PrivateKey) -> str:
    return base64.b64encode(root.public_key().public_bytes_raw()).decode()


def sign_key_list(
    root: Ed25519PrivateKey,
    version: int,
    issued_at: int,
    encryption_keys: list[PlatformKey],
    catalog_signing_keys: list[str],
) -> dict[str, str]:
    """The platform's side: the wire form {key_list, signature} of one key list."""
    text = json.dumps(
        {
            "format": FORMAT,
            "version": version,
            "issued_at": issued_at,
            "encryption_keys": [k.to_wire() for k in encryption_keys],
            "catalog_signing_keys": catalog_signing_keys,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    signature = root.sign(_CONTEXT + text.encode())
    return {"key_list": text, "signature": base64.b64encode(signature).decode()}


def _time_message(server_time: int, nonce: str) -> bytes:
    return f"ieum-time/1\n{server_time}\n{nonce}".encode()


def sign_time(root: Ed25519PrivateKey, server_time: float, nonce: str) -> str:
    """The platform's clock, signed for the request (by its nonce) that was refused as
    stale: a device may trust it beyond the skew, as no one else can make it."""
    return base64.b64encode(root.sign(_time_message(int(server_time), nonce))).decode()


def time_is_signed(root_key: str, server_time: float, nonce: str, signature: str) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        root_key_from_text(root_key).verify(raw, _time_message(int(server_time), nonce))
    except (binascii.Error, ValueError, InvalidSignature, TrustError):
        return False
    return True


def root_fingerprint(root_key: str) -> str:
    """16 hex digits staff can read out to check a kiosk pinned the right root key."""
    try:
        raw = base64.b64decode(root_key, validate=True)
    except binascii.Error:
        return ""
    return hashlib.sha256(raw).hexdigest()[:16]


def root_key_from_text(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise TrustError("the platform's root key is not an Ed25519 public key") from None


def verify_key_list(wire: Any, root_key: str) -> KeyList:
    """A key list whose signature verifies against the pinned root key; TrustError if not."""
    if not isinstance(wire, dict):
        raise TrustError("no signed key list")
    text, signature = wire.get("key_list"), wire.get("signature")
    if not isinstance(text, str) or not isinstance(signature, str):
        raise TrustError("no signed key list")
    if len(text) > MAX_KEY_LIST_CHARS:
        raise TrustError("key list too large")
    try:
        raw = base64.b64decode(signature, validate=True)
        root_key_from_text(root_key).verify(raw, _CONTEXT + text.encode())
    except (binascii.Error, ValueError, InvalidSignature):
        raise TrustError("key list not signed by the platform's root key") from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a key list")
        version, issued = data["version"], data["issued_at"]
        if not all(type(v) is int and 0 < v < 2**53 for v in (version, issued)):
            raise ValueError("version and issued_at are positive integers")
        keys = [PlatformKey.from_wire(k) for k in data["encryption_keys"]]
        catalog = data["catalog_signing_keys"]
        if not keys or not isinstance(catalog, list):
            raise ValueError("no sealing keys")
        if not all(isinstance(k, str) and len(k) <= 100 for k in catalog):
            raise ValueError("catalog signing keys are base64 strings")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise TrustError(f"signed key list is malformed: {exc}") from None
    return KeyList(version, issued, keys, list(catalog))


def check_successor(new: KeyList, held_version: int, held_suite: str) -> None:
    """Refuse going back: an older list than the one held, or a weaker newest suite."""
    if new.version < held_version:
        raise TrustError(f"key list version {new.version} is older than {held_version}")
    if SUITE_STRENGTH[new.suite] < SUITE_STRENGTH.get(held_suite, 0):
        raise TrustError(f"key list downgrades sealing from {held_suite} to {new.suite}")


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_platform_url(url: str) -> None:
    """https:// anywhere, http:// only on this machine (the demo, the tests)."""
    parts = urlsplit(url.strip())
    if not parts.hostname or parts.scheme not in ("http", "https"):
        raise TrustError("is not a platform address: expected https://host[:port]")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise TrustError("is plain http://, allowed only on loopback: use https://")


def same_platform(a: str, b: str) -> bool:
    """Whether two platform addresses are the same (case, default port, trailing /)."""

    def norm(url: str) -> tuple[str, str, int | None, str]:
        parts = urlsplit(url.strip())
        default = {"http": 80, "https": 443}.get(parts.scheme)
        port = parts.port if parts.port is not None else default
        return parts.scheme, (parts.hostname or "").lower(), port, parts.path.rstrip("/")

    try:
        return norm(a) == norm(b)
    except ValueError:  # a port that is not a number
        return False
