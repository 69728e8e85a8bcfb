"""Sealing applications to the platform with HPKE (RFC 9180).

Once sealed, an application can be opened only with the platform's private key: not
even the kiosk that sealed it can read it back. The submission id, service id and
version and the device id are bound into the seal as HPKE `info`, so a sealed payload
moved to another outbox row, or claimed for another service, fails to open.

Two suites: X25519, and the ML-KEM-768 + X25519 hybrid (post-quantum) when the platform
publishes such a key. Both use HKDF-SHA256 and AES-256-GCM. The platform may publish
several keys at once (rotation); the device seals to the first, the newest.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric import mlkem
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

KEM_X25519 = "X25519-HKDF-SHA256/AES-256-GCM"
KEM_HYBRID = "MLKEM768-X25519-HKDF-SHA256/AES-256-GCM"
_SUITES = {
    KEM_X25519: hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM),
    KEM_HYBRID: hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM),
}
_MLKEM768_PUBLIC = 1184
_X25519_PUBLIC = 32
_PUBLIC_SIZES = {KEM_X25519: _X25519_PUBLIC, KEM_HYBRID: _MLKEM768_PUBLIC + _X25519_PUBLIC}


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


def key_id_for(public_bytes: bytes) -> str:
    return hashlib.sha256(public_bytes).hexdigest()[:16]


@dataclass(frozen=True)
class PlatformKey:
    """A public key the platform publishes for sealing: its suite and its raw bytes.

    Hybrid keys are the ML-KEM-768 public key followed by the X25519 public key.
    """

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
    def from_wire(cls, data: Any) -> PlatformKey:
        """A key from the platform's key list; ValueError says what is wrong with it."""
        if not isinstance(data, dict):
            raise ValueError("a key is an object")
        kem = data.get("kem")
        if kem not in _PUBLIC_SIZES:
            raise ValueError(f"unsupported key type {kem!r}")
        try:
            public = base64.b64decode(str(data.get("public_key", "")), validate=True)
        except binascii.Error:
            raise ValueError("public_key is not base64") from None
        if len(public) != _PUBLIC_SIZES[kem]:
            raise ValueError(f"a {kem} public key is {_PUBLIC_SIZES[kem]} bytes")
        key = cls(kem, public)
        if data.get("key_id") not in (None, key.key_id):
            raise ValueError("key_id does not match the key")
        key.hpke_public()  # refuse bytes that are not a valid key now, not at seal time
        return key

    def hpke_public(self) -> Any:
        if self.kem == KEM_X25519:
            return X25519PublicKey.from_public_bytes(self.public_bytes)
        kem_part = mlkem.MLKEM768PublicKey.from_public_bytes(self.public_bytes[:_MLKEM768_PUBLIC])
        x_part = X25519PublicKey.from_public_bytes(self.public_bytes[_MLKEM768_PUBLIC:])
        return hpke.MLKEM768X25519PublicKey(kem_part, x_part)


@dataclass(frozen=True)
class PlatformPrivateKey:
    """The platform's side: opens what was sealed to the matching PlatformKey."""

    kem: str
    x25519: X25519PrivateKey
    mlkem: mlkem.MLKEM768PrivateKey | None = None

    @classmethod
    def generate(cls, kem: str = KEM_X25519) -> PlatformPrivateKey:
        if kem == KEM_HYBRID:
            return cls(kem, X25519PrivateKey.generate(), mlkem.MLKEM768PrivateKey.generate())
        return cls(KEM_X25519, X25519PrivateKey.generate())

    def public(self) -> PlatformKey:
        raw_x = self.x25519.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        if self.mlkem is None:
            return PlatformKey(KEM_X25519, raw_x)
        return PlatformKey(KEM_HYBRID, self.mlkem.public_key().public_bytes_raw() + raw_x)

    def to_bytes(self) -> bytes:
        """Raw secret bytes for the platform's key file: X25519 (32) then the ML-KEM seed."""
        raw = self.x25519.private_bytes_raw()
        return raw + (self.mlkem.private_bytes_raw() if self.mlkem else b"")

    @classmethod
    def from_bytes(cls, kem: str, raw: bytes) -> PlatformPrivateKey:
        x = X25519PrivateKey.from_private_bytes(raw[:32])
        if kem == KEM_HYBRID:
            return cls(kem, x, mlkem.MLKEM768PrivateKey.from_seed_bytes(raw[32:]))
        return cls(KEM_X25519, x)

    def hpke_private(self) -> Any:
        if self.mlkem is None:
            return self.x25519
        return hpke.MLKEM768X25519PrivateKey(self.mlkem, self.x25519)


def canonical_json(payload: object) -> bytes:
    """One byte sequence per payload: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal_application(plaintext: bytes, key: PlatformKey, binding: Binding) -> bytes:
    """Encrypt `plaintext` to the platform key, bound to `binding`."""
    return _SUITES[key.kem].encrypt(plaintext, key.hpke_public(), info=binding.info())


def open_application(sealed: bytes, private_key: PlatformPrivateKey, binding: Binding) -> bytes:
    """The platform's side of `seal_application`; SealError if anything does not match."""
    try:
        return _SUITES[private_key.kem].decrypt(
            sealed, private_key.hpke_private(), info=binding.info()
        )
    except (InvalidTag, ValueError) as exc:
        raise SealError("sealed payload does not open with this key and binding") from exc
