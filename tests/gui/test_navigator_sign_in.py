"""Staff sign-in on its own screen: real taps on the pad, real Argon2id hashes in SQLite."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.i18n import Words
from kiosk.operations import StoreOwner
from kiosk.staff.sign_in import SignInScreen, check_pins, wait_text
from kiosk.theme import Theme
from sync import audit
from sync.navigators import Navigator, create_navigator, list_navigators
from sync.paths import DataFolder
from sync.store import Store
from tests.gui.taps import tap

pytestmark = pytest.mark.gui

PIN = "482913"


@pytest.fixture
def staff_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "ieum.db")
    create_navigator(store, "Navigator Test One", PIN, time.time())
    create_navigator(store, "Navigator Test Two", "739164", time.time())
    yield store
    store.close()


@pytest.fixture
def owner(staff_store: Store) -> Iterator[StoreOwner]:
    """The kiosk's store owner for the same data folder: PINs are checked on its worker."""
    running = StoreOwner(DataFolder(staff_store.path.parent))
    yield running
    running.close()


def _screen(qtbot: QtBot, owner: StoreOwner, language: str = "en") -> SignInScreen:
    staff = owner.wait(lambda device: list_navigators(device.store))
    screen = SignInScreen(Theme(language=language), Words(language), staff)
    check_pins(screen, owner)
    qtbot.addWidget(screen)
    screen.resize(1600, 1000)
    screen.show()
    return screen


def _type_pin(qtbot: QtBot, screen: SignInScreen, pin: str) -> None:
    for digit in pin:
        tap(qtbot, screen.pad.keys[digit])


def _attempt(qtbot: QtBot, screen: SignInScreen, pin: str) -> None:
    _type_pin(qtbot, screen, pin)
    tap(qtbot, screen.sign_in_button)
    qtbot.waitUntil(lambda: not screen.checking, timeout=10_000)


def _pick(qtbot: QtBot, screen: SignInScreen, name: str) -> Navigator:
    [navigator] = [n for n in screen.navigators if n.name == name]
    tap(qtbot, screen.name_buttons[navigator.navigator_id])
    return navigator


def test_the_right_pin_signs_in_and_is_audited(
    qtbot: QtBot, staff_store: Store, owner: StoreOwner
) -> None:
    screen = _screen(qtbot, owner)
    navigator = _pick(qtbot, screen, "Navigator Test Two")
    _type_pin(qtbot, screen, "739164")
    assert screen.entry.text() == "739164" and screen.entry.displayText() != "739164"
    with qtbot.waitSignal(screen.signed_in, timeout=10_000) as signal:
        tap(qtbot, screen.sign_in_button)
    assert signal.args == [navigator]
    assert screen.entry.text() == ""  # the PIN is gone from the screen at once
    [entry] = audit.recent(staff_store.conn, 1)
    assert entry["event"] == "navigator_signed_in"
    assert entry["navigator"] == navigator.navigator_id
    assert PIN not in str(audit.recent(staff_store.conn, 100))


def test_a_desk_keyboard_types_the_pin_and_enter_signs_in(
    qtbot: QtBot, staff_store: Store, owner: StoreOwner
) -> None:
    screen = _screen(qtbot, owner)
    _pick(qtbot, screen, "Navigator Test One")
    qtbot.keyClicks(screen.name_buttons[screen.chosen.navigator_id], PIN[:3])
    qtbot.keyClicks(screen, PIN[3:] + "9")
    qtbot.keyClick(screen, Qt.Key.Key_Backspace)
    assert screen.entry.text() == PIN and screen.pad.text == PIN
    with qtbot.waitSignal(screen.signed_in, timeout=10_000):
        qtbot.keyClick(screen, Qt.Key.Key_Return)


def test_no_name_or_no_pin_is_explained(
    qtbot: QtBot, staff_store: Store, owner: StoreOwner
) -> None:
    screen = _screen(qtbot, owner)
    _type_pin(qtbot, screen, PIN)
    tap(qtbot, screen.sign_in_button)
    assert screen.error.isVisible() and "name" in screen.error.text()
    _pick(qtbot, screen, "Navigator Test One")
    tap(qtbot, screen.pad.keys["clear"])
    tap(qtbot, screen.sign_in_button)
    assert "PIN" in screen.error.text()


def test_wrong_pins_lock_the_account_for_a_growing_while(
    qtbot: QtBot, staff_store: Store, owner: StoreOwner
) -> None:
    screen = _screen(qtbot, owner)
    _pick(qtbot, screen, "Navigator Test One")
    now = time.time()
    screen.clock = lambda: now
    signed: list[object] = []
    screen.signed_in.connect(signed.append)
    for _ in range(2):
        _attempt(qtbot, screen, "111111")
        assert screen.error.text() == "That PIN is not right. Please try again."
    _attempt(qtbot, screen, "111111")  # the third: locked for 30 s
    assert screen.error.text().endswith("Try again in 30 seconds.")
    # During the lock even the right PIN is refused, and the wait shown goes down.
    now += 12
    _attempt(qtbot, screen, PIN)
    assert signed == [] and screen.error.text().endswith("Try again in 18 seconds.")
    now += 19  # the lock is over: one more wrong PIN locks for twice as long
    _attempt(qtbot, screen, "222222")
    assert screen.error.text().endswith("Try again in 1 minute.")
    now += 61
    _attempt(qtbot, screen, "333333")
    assert screen.error.text().endswith("Try again in 2 minutes.")
    now += 121
    with qtbot.waitSignal(screen.signed_in, timeout=10_000):
        _attempt(qtbot, screen, PIN)
    events = [e["event"] for e in reversed(audit.recent(staff_store.conn, 6))]
    assert events == ["sign_in_refused"] * 5 + ["navigator_signed_in"]


def test_waits_in_plain_words_in_every_form() -> None:
    en = Words("en")
    assert [wait_text(en, s) for s in (0.2, 1, 59.5, 60, 61, 3600)] == [
        "1 second", "1 second", "60 seconds", "1 minute", "2 minutes", "60 minutes",
    ]  # fmt: skip
    assert wait_text(Words("ko"), 90) != "2 minutes"  # translated


def test_cancel(qtbot: QtBot, staff_store: Store, owner: StoreOwner) -> None:
    screen = _screen(qtbot, owner)
    with qtbot.waitSignal(screen.cancelled, timeout=1000):
        tap(qtbot, screen.cancel_button)
