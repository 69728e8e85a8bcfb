"""A disk that cannot be written at the moment of saving (full or read-only; the store
tests cover both): the resident is told plainly, nothing is half saved, and "Try again"
works once the disk is back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.operations import StoreOp
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.receipt import ReceiptScreen
from tests.gui.taps import primary, tap, to_review_by_taps

pytestmark = pytest.mark.gui


def _on_store_thread(qtbot: QtBot, kiosk: Kiosk, sql: str) -> None:
    done: list[object] = []
    StoreOp(None, lambda device: device.store.conn.execute(sql)).success(done.append).run(
        kiosk.owner
    )
    qtbot.waitUntil(lambda: bool(done), timeout=5000)


def test_unwritable_disk_then_try_again(qtbot: QtBot, kiosk: Kiosk) -> None:
    journey = kiosk.journey
    kiosk.backend.sync_now()  # fetch the platform keys, as a running kiosk has
    qtbot.waitUntil(lambda: kiosk.backend.last_report is not None, timeout=10_000)
    to_review_by_taps(qtbot, kiosk, "digital-tutor-class")

    _on_store_thread(qtbot, kiosk, "PRAGMA query_only = ON")
    tap(qtbot, primary(kiosk))
    qtbot.waitUntil(
        lambda: (
            isinstance(journey.screen, NoticeScreen)
            and journey.screen.findChild(QPushButton, "primary") is not None
        ),
        timeout=10_000,
    )
    title = journey.screen.findChild(QLabel, "title")
    assert title is not None and title.text() == "Your application could not be saved"
    assert journey.session is not None  # the answers are still here
    assert kiosk.journey.receipts.last_error.startswith("StoreReadOnly")

    _on_store_thread(qtbot, kiosk, "PRAGMA query_only = OFF")
    tap(qtbot, primary(kiosk))  # Try again
    qtbot.waitUntil(lambda: isinstance(journey.screen, ReceiptScreen), timeout=10_000)
