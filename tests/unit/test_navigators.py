"""Offline staff sign-in: hashed PINs, growing lockout, nothing of the PIN kept."""

from __future__ import annotations

import pytest

from sync import audit
from sync.navigators import (
    SignInRefused,
    WeakPin,
    create_navigator,
    list_navigators,
    lock_seconds,
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
