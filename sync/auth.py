"""Request signing between a device and the platform (protocol /v1).

Every request after enrollment carries four headers; the signature is Ed25519 by the
device's key over one line per field, so neither side needs to agree on how JSON was
formatted, only on the exact bytes sent:

    ieum-request/1
    <METHOD>
    <path with query>
    <timestamp, integer seconds>
    <nonce>
    <hex SHA-256 of the body>

The platform refuses unknown or revoked devices, timestamps more than `MAX_SKEW` seconds
from its clock, and a nonce it has already seen. Both halves live here so they cannot
drift apart; the verifying half is pure (the platform keeps the nonces).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DEVICE = "ieum-device"
TIMESTAMP = "ieum-timestamp"
NONCE = "ieum-nonce"
SIGNATURE = "ieum-signature"
SIGNED_HEADERS = (DEVICE, TIMESTAMP, NONCE, SIGNATURE)
MAX_SKEW = 300
"""Seconds a request's timestamp may differ from the platform's clock."""

_NONCE_BYTES = 16


class AuthError(Exception):
    """A request's signature headers are missing or wrong. `code` goes on the wire."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def device_signing_key(device_secret: bytes) -> Ed25519PrivateKey:
    """The device's request-signing key, derived from its secret: nothing more to keep."""
    seed = HKDF(SHA256(), 32, salt=None, info=b"ieum device signing key/1").derive(device_secret)
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes_raw()).decode()


def public_key_from_text(text: str) -> Ed25519PublicKey:
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise AuthError("bad_public_key") from exc


def _message(method: str, target: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join(["ieum-request/1", method.upper(), target, timestamp, nonce, digest]).encode()


def sign_request(
    key: Ed25519PrivateKey,
    device_id: str,
    method: str,
    target: str,
    body: bytes,
    now: float,
    nonce: str = "",
) -> dict[str, str]:
    """Headers for one request. `target` is the path with its query, as sent. `nonce` is
    random unless given: a fixed one is only for the published test vectors."""
    timestamp = str(int(now))
    nonce = nonce or base64.urlsafe_b64encode(os.urandom(_NONCE_BYTES)).decode().rstrip("=")
    signature = key.sign(_message(method, target, timestamp, nonce, body))
    return {
        DEVICE: device_id,
        TIMESTAMP: timestamp,
        NONCE: nonce,
        SIGNATURE: base64.b64encode(signature).decode(),
    }


@dataclass(frozen=True)
class SignedRequest:
    device_id: str
    timestamp: int
    nonce: str


def read_signature(
    headers: Mapping[str, str],
    method: str,
    target: str,
    body: bytes,
    public_key: Ed25519PublicKey,
    now: float,
) -> SignedRequest:
    """Check one request's signature and freshness; the caller checks the nonce is new."""
    fields = [headers.get(name, "") for name in SIGNED_HEADERS]
    device_id, timestamp, nonce, signature = fields
    if not all(fields):
        raise AuthError("unsigned")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise AuthError("bad_signature")
    if not 16 <= len(nonce) <= 64 or not nonce.isascii():
        raise AuthError("bad_signature")
    try:
        raw_signature = base64.b64decode(signature, validate=True)
        public_key.verify(raw_signature, _message(method, target, timestamp, nonce, body))
    except (binascii.Error, ValueError, InvalidSignature):
        raise AuthError("bad_signature") from None
    if abs(int(timestamp) - now) > MAX_SKEW:
        raise AuthError("stale")
    return SignedRequest(device_id, int(timestamp), nonce)


def token_digest(token: str) -> str:
    """How the platform keeps an enrollment token: never the token itself."""
    return hashlib.sha256(("ieum-enrollment/1\n" + token.strip()).encode()).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _enrollment_message(token: str, public_key: str) -> bytes:
    return f"ieum-enrollment/1\n{token.strip()}\n{public_key}".encode()


def enrollment_proof(key: Ed25519PrivateKey, token: str) -> str:
    """Shows the platform that whoever spends the token holds the device's private key."""
    public = public_key_text(key.public_key())
    return base64.b64encode(key.sign(_enrollment_message(token, public))).decode()


def check_enrollment_proof(public_key: str, token: str, proof: str) -> None:
    key = public_key_from_text(public_key)
    try:
        key.verify(base64.b64decode(proof, validate=True), _enrollment_message(token, public_key))
    except (binascii.Error, ValueError, InvalidSignature):
        raise AuthError("bad_proof") from None
