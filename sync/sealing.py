"""Sealing applications to the platform with HPKE (RFC 9180).

Once sealed, an application can be opened only with the platform's private key: not
even the kiosk that sealed it can read it back. The submission id, service id and
version and the device id are bound into the seal as HPKE `info`, so a sealed payload
moved to another outbox row, or claimed for another service, fails to open.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

KEM_X25519 = "X25519-HKDF-SHA256/AES-256-GCM"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class SealError(Exception):
    """A sealed payload could not be opened: tampered, moved, or for another key."""


@dataclass(frozen=True)
class Binding:
    """What a sealed payload belongs to; changing any field makes it fail to open."""

    submission_id: str
    service_id: str
    service_version: str
    device_id: str

    def info(self) -> bytes:
        fields = [
            "ieum-seal/1",
            self.submission_id,
            self.service_id,
            self.service_version,
            self.device_id,
        ]
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class PlatformKey:
    """A public key the platform publishes for sealing, and its id."""

    kem: str
    public_bytes: bytes

    @property
    def key_id(self) -> str:
        return key_id_for(self.public_bytes)

    def to_wire(self) -> dict[str, str]:
        return {
            "key_id": self.key_id,
            "kem": self.kem,
            "public_key": base64.b64encode(self.public_bytes).decode(),
        }

    @classmethod
    def from_wire(cls, data: dict[str, str]) -> PlatformKey:
        if data.get("kem") != KEM_X25519:
            raise ValueError(f"unsupported key type {data.get('kem')!r}")
        public = base64.b64decode(data["public_key"], validate=True)
        if len(public) != 32:
            raise ValueError("an X25519 public key is 32 bytes")
        key = cls(KEM_X25519, public)
        if data.get("key_id") not in (None, key.key_id):
            raise ValueError("key_id does not match the key")
        return key


def key_id_for(public_bytes: bytes) -> str:
    return hashlib.sha256(public_bytes).hexdigest()[:16]


def canonical_json(payload: object) -> bytes:
    """One byte sequence per payload: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal_application(plaintext: bytes, key: PlatformKey, binding: Binding) -> bytes:
    """Encrypt `plaintext` to the platform key, bound to `binding`."""
    public = X25519PublicKey.from_public_bytes(key.public_bytes)
    return _SUITE.encrypt(plaintext, public, info=binding.info())


def open_application(sealed: bytes, private_key: X25519PrivateKey, binding: Binding) -> bytes:
    """The platform's side of `seal_application`; SealError if anything does not match."""
    try:
        return _SUITE.decrypt(sealed, private_key, info=binding.info())
    except (InvalidTag, ValueError) as exc:
        raise SealError("sealed payload does not open with this key and binding") from exc


def new_platform_private_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def public_key_of(private_key: X25519PrivateKey) -> PlatformKey:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return PlatformKey(KEM_X25519, raw)
