"""Offline staff sign-in: hashed PINs, growing lockout, nothing of the PIN kept."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from sync import audit
from sync.device import device_secret
from sync.navigators import (
    SignInRefused,
    WeakPin,
    create_navigator,
    list_navigators,
    lock_seconds,
    pin_matches,
    pin_pepper,
    sign_in,
)
from sync.store import Store

PIN = "482913"
NOW = 1_790_000_000.0


def test_the_right_pin_signs_in_and_the_pin_is_nowhere_on_disk(store: Store) -> None:
    made = create_navigator(store, "Test Navigator", PIN, NOW)
    assert list_navigators(store) == [made]
    assert sign_in(store, made.navigator_id, PIN, NOW + 1) == made
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in store.path.parent.iterdir():
        if path.is_file():
            assert PIN.encode() not in path.read_bytes(), path
    events = [e["event"] for e in audit.recent(store.conn)]
    assert events[:2] == ["navigator_signed_in", "navigator_created"]


def test_wrong_pins_lock_for_a_growing_while(store: Store) -> None:
    made = create_navigator(store, "Test Navigator", PIN, NOW)
    now = NOW
    for _ in range(2):
        with pytest.raises(SignInRefused) as caught:
            sign_in(store, made.navigator_id, "000001", now)
        assert caught.value.reason == "wrong_pin"
    with pytest.raises(SignInRefused) as caught:
        sign_in(store, made.navigator_id, "000001", now)
    assert (caught.value.reason, caught.value.wait_seconds) == ("locked", 30.0)
    # While locked even the right PIN is refused, and not checked.
    with pytest.raises(SignInRefused) as caught:
        sign_in(store, made.navigator_id, PIN, now + 10)
    assert caught.value.reason == "locked" and caught.value.wait_seconds == pytest.approx(20)
    with pytest.raises(SignInRefused) as caught:
        sign_in(store, made.navigator_id, "000001", now + 31)
    assert caught.value.wait_seconds == 60.0  # the next lock is longer
    assert sign_in(store, made.navigator_id, PIN, now + 31 + 61) == made
    with pytest.raises(SignInRefused) as caught:  # and a success starts the count again
        sign_in(store, made.navigator_id, "000001", now + 200)
    assert caught.value.reason == "wrong_pin"


def test_lock_times_grow_and_are_capped() -> None:
    assert [lock_seconds(n) for n in range(6)] == [0, 0, 0, 30, 60, 120]
    assert lock_seconds(40) == 3600


@pytest.mark.parametrize("weak", ["12345", "111111", "123456", "654321", "too short"])
def test_weak_pins_are_refused(store: Store, weak: str) -> None:
    with pytest.raises(WeakPin):
        create_navigator(store, "Test Navigator", weak, NOW)


def test_unknown_accounts_and_garbage_are_refused_calmly(store: Store) -> None:
    with pytest.raises(SignInRefused) as caught:
        sign_in(store, "nav-nobody", PIN, NOW)
    assert caught.value.reason == "unknown"
    made = create_navigator(store, "Test Navigator", "a long passphrase", NOW)
    for garbage in ["", "\x00" * 50, "가" * 1000]:
        with pytest.raises(SignInRefused):
            sign_in(store, made.navigator_id, garbage, NOW + 3600 * 5)


def _stored_hash(store: Store, navigator_id: str) -> str:
    row = store.conn.execute(
        "SELECT pin_hash FROM navigators WHERE navigator_id = ?", (navigator_id,)
    ).fetchone()
    return str(row[0])


def test_offline_pin_cracking_needs_the_device_secret(store: Store) -> None:
    made = create_navigator(store, "Test Navigator", PIN, NOW)
    stolen = _stored_hash(store, made.navigator_id)  # what a copied database gives away
    assert PIN not in stolen
    # The attacker has the PIN right, the hash and its parameters, but not the secret:
    with pytest.raises(InvalidKey):
        Argon2id.verify_phc_encoded(PIN.encode(), stolen)
    assert not pin_matches(PIN, stolen, pin_pepper(b"\0" * 32))
    secret = device_secret(store.path.parent)
    assert pin_matches(PIN, stolen, pin_pepper(secret))


def test_a_hash_from_before_the_pepper_signs_in_once_and_is_peppered(store: Store) -> None:
    made = create_navigator(store, "Test Navigator", PIN, NOW)
    salt = b"0123456789abcdef"
    digest = Argon2id(salt=salt, length=32, iterations=3, lanes=1, memory_cost=65536).derive(
        PIN.encode()
    )
    legacy = "argon2id$m=65536,t=3$" + "$".join(
        base64.b64encode(v).decode() for v in (salt, digest)
    )
    with store.transaction("an account from an older version") as conn:
        conn.execute(
            "UPDATE navigators SET pin_hash = ? WHERE navigator_id = ?",
            (legacy, made.navigator_id),
        )
    assert sign_in(store, made.navigator_id, PIN, NOW + 1) == made
    rehashed = _stored_hash(store, made.navigator_id)
    assert rehashed.startswith("$argon2id$v=19$m=65536,t=3,p=1$")
    assert sign_in(store, made.navigator_id, PIN, NOW + 2) == made
