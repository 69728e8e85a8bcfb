"""The staff call's datagrams: only a paired kiosk's fresh, signed call counts."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.device_settings import BadSetting, DeviceSettings
from sync.staffcall import (
    DEFAULT_PORT,
    MAX_AGE,
    CallChecker,
    CallRefused,
    ack_datagram,
    call_datagram,
    desk_address,
    new_nonce,
    pairing_line,
    parse_pairings,
    read_ack,
)

NOW = 1_800_000_000.0
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
DEVICE = "00000000-0000-4000-8000-000000000001"


def checker() -> CallChecker:
    return CallChecker(parse_pairings([pairing_line(KEY, DEVICE) + " Kiosk by the entrance"]))


def test_a_paired_kiosks_call_counts_once_and_its_resends_are_repeats() -> None:
    desk = checker()
    nonce = new_nonce()
    datagram = call_datagram(KEY, DEVICE, NOW, nonce)
    first = desk.check(datagram, NOW + 1)
    assert first.kiosk.label == "Kiosk by the entrance" and not first.repeat
    assert desk.check(datagram, NOW + 2).repeat
    assert read_ack(ack_datagram(nonce)) == nonce
    assert b"Kiosk" not in datagram  # the desk names the kiosk; the call carries only its id


@pytest.mark.parametrize(
    ("datagram", "why"),
    [
        (call_datagram(Ed25519PrivateKey.generate(), DEVICE, NOW, new_nonce()), "bad signature"),
        (call_datagram(KEY, "another-kiosk", NOW, new_nonce()), "not paired"),
        (call_datagram(KEY, DEVICE, NOW - MAX_AGE - 5, new_nonce()), "too old"),
        (b"\xff not json", "not JSON"),
        (json.dumps({"ieum": "staff-call/1", "device": DEVICE}).encode(), "malformed"),
        (b"x" * 2000, "too long"),
    ],
)
def test_anything_else_is_refused(datagram: bytes, why: str) -> None:
    with pytest.raises(CallRefused, match=why):
        checker().check(datagram, NOW)


def test_a_changed_field_breaks_the_signature() -> None:
    body = json.loads(call_datagram(KEY, DEVICE, NOW, new_nonce()))
    body["t"] += 1
    with pytest.raises(CallRefused, match="bad signature"):
        checker().check(json.dumps(body).encode(), NOW)


def test_desk_addresses_and_the_setting() -> None:
    assert desk_address("192.168.0.20") == ("192.168.0.20", DEFAULT_PORT)
    assert desk_address("desk.local:5000") == ("desk.local", 5000)
    assert desk_address("[fe80::1]:47121") == ("fe80::1", 47121)
    for bad in ("desk:0", "desk:http", "[fe80::1", "", "two words"):
        with pytest.raises(ValueError):
            desk_address(bad)
    DeviceSettings(staff_desk="10.0.0.5:47120").check()
    with pytest.raises(BadSetting) as refused:
        DeviceSettings(staff_desk="desk:99999").check()
    assert refused.value.field == "staff_desk"


def test_a_pairing_file_line_that_cannot_be_used_is_named() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_pairings(["# comment", f"{DEVICE} not-a-key"])
