"""A resident's call for staff, from a kiosk to the navigator's desk on the site's LAN.

One UDP datagram, signed with the kiosk's own device key (the Ed25519 key it signs
platform requests with, sync.auth), so a stray or forged packet cannot raise a call:

    {"ieum": "staff-call/1", "device": ID, "t": SECONDS, "nonce": N, "sig": BASE64}

The signature covers "ieum-staff-call/1", the device id, the time and the nonce, one per
line. Nothing about the resident is in it: which kiosk, and when. The desk knows each
kiosk of its site by a pairing line (`pairing_line`, printed on the kiosk by
`python -m sync staff-call-key`), refuses unknown kiosks, bad signatures, calls older
than `MAX_AGE` and nonces it has seen, and answers each good call (and each repeat of
it) with {"ieum": "staff-call-ack/1", "nonce": N}: the kiosk only tells the resident
that someone is coming once the desk has answered its own nonce.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.auth import AuthError, public_key_from_text, public_key_text

CALL = "staff-call/1"
ACK = "staff-call-ack/1"
DEFAULT_PORT = 47120
"""The site's staff-call port when a desk address gives none."""
MAX_AGE = 60
"""Seconds a call may be old (or ahead, for a kiosk clock a little fast) and still count."""
MAX_DATAGRAM = 1024
PAIRING_FILE = "staff-call-kiosks"
"""In the desk's data folder: one pairing line per kiosk of the site."""


class CallRefused(Exception):
    """A datagram that is not a good staff call; the reason is for the desk's log."""


@dataclass(frozen=True)
class PairedKiosk:
    device_id: str
    public_key: str
    label: str
    """What the desk shows ("Kiosk by the entrance"); the device id when none was given."""


@dataclass(frozen=True)
class Call:
    kiosk: PairedKiosk
    nonce: str
    sent_at: int
    repeat: bool
    """The same call again (the kiosk resends until answered): answer, do not show twice."""


def _message(device_id: str, sent_at: int, nonce: str) -> bytes:
    return f"ieum-{CALL}\n{device_id}\n{sent_at}\n{nonce}".encode()


def new_nonce() -> str:
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip("=")


def call_datagram(key: Ed25519PrivateKey, device_id: str, now: float, nonce: str) -> bytes:
    """The kiosk's call; resend the same bytes until the desk answers this nonce."""
    sent_at = int(now)
    signature = base64.b64encode(key.sign(_message(device_id, sent_at, nonce))).decode()
    body = {"ieum": CALL, "device": device_id, "t": sent_at, "nonce": nonce, "sig": signature}
    return json.dumps(body, separators=(",", ":")).encode()


def ack_datagram(nonce: str) -> bytes:
    return json.dumps({"ieum": ACK, "nonce": nonce}, separators=(",", ":")).encode()


def read_ack(data: bytes) -> str | None:
    """The nonce a desk's answer acknowledges; None for anything else."""
    try:
        body = json.loads(data[:MAX_DATAGRAM])
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict) or body.get("ieum") != ACK:
        return None
    nonce = body.get("nonce")
    return nonce if isinstance(nonce, str) else None


def pairing_line(key: Ed25519PrivateKey, device_id: str) -> str:
    """What the desk needs to trust this kiosk's calls: its id and public key."""
    return f"{device_id} {public_key_text(key.public_key())}"


def parse_pairings(lines: Iterable[str]) -> dict[str, PairedKiosk]:
    """The desk's pairing file: `DEVICE_ID PUBLIC_KEY [label…]` per line, # for comments.
    A line that cannot be used raises ValueError naming its number."""
    kiosks: dict[str, PairedKiosk] = {}
    for number, line in enumerate(lines, 1):
        fields = line.split("#", 1)[0].split(None, 2)
        if not fields:
            continue
        if len(fields) < 2:
            raise ValueError(f"line {number}: a device id and a public key are needed")
        device_id, key = fields[0], fields[1]
        try:
            public_key_from_text(key)
        except AuthError:
            raise ValueError(f"line {number}: not a public key") from None
        label = fields[2].strip() if len(fields) > 2 else device_id
        kiosks[device_id] = PairedKiosk(device_id, key, label)
    return kiosks


def desk_address(text: str) -> tuple[str, int]:
    """A desk's address from the kiosk's settings: "host" or "host:port" (IPv4, or a
    bracketed IPv6 address). ValueError when it is not one."""
    text = text.strip()
    host, port = text, DEFAULT_PORT
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError("unclosed [")
        host, rest = text[1:end], text[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError("junk after ]")
            port = _port(rest[1:])
    elif text.count(":") == 1:
        host, port_text = text.split(":")
        port = _port(port_text)
    if not host or any(c.isspace() for c in host) or len(host) > 253:
        raise ValueError("no host")
    return host, port


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError("not a port")
    return int(text)


class CallChecker:
    """The desk's half: which datagrams are good calls from this site's kiosks."""

    def __init__(self, kiosks: dict[str, PairedKiosk]) -> None:
        self.kiosks = kiosks
        self._keys: dict[str, Ed25519PublicKey] = {
            device_id: public_key_from_text(kiosk.public_key) for device_id, kiosk in kiosks.items()
        }
        self._seen: dict[tuple[str, str], int] = {}

    def check(self, data: bytes, now: float) -> Call:
        if len(data) > MAX_DATAGRAM:
            raise CallRefused("too long")
        try:
            body = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise CallRefused("not JSON") from None
        if not isinstance(body, dict) or body.get("ieum") != CALL:
            raise CallRefused("not a staff call")
        device_id, sent_at, nonce, signature = (
            body.get(k) for k in ("device", "t", "nonce", "sig")
        )
        if not isinstance(device_id, str) or device_id not in self._keys:
            raise CallRefused("a kiosk this desk is not paired with")
        if not isinstance(sent_at, int) or not isinstance(nonce, str) or not 16 <= len(nonce) <= 64:
            raise CallRefused("malformed")
        if not isinstance(signature, str):
            raise CallRefused("unsigned")
        try:
            raw = base64.b64decode(signature, validate=True)
            self._keys[device_id].verify(raw, _message(device_id, sent_at, nonce))
        except (binascii.Error, ValueError, InvalidSignature):
            raise CallRefused("bad signature") from None
        if abs(now - sent_at) > MAX_AGE:
            raise CallRefused("too old (or the kiosk's clock is off)")
        self._forget(now)
        repeat = (device_id, nonce) in self._seen
        self._seen[(device_id, nonce)] = sent_at
        return Call(self.kiosks[device_id], nonce, sent_at, repeat)

    def _forget(self, now: float) -> None:
        """Nonces older than MAX_AGE can go: their calls are refused as too old anyway."""
        for seen, sent_at in list(self._seen.items()):
            if now - sent_at > MAX_AGE:
                del self._seen[seen]
