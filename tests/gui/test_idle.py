"""The idle watch, with short times: warning, more time (many times), then expiry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.idle import MIN_WARNING_SECONDS, IdleWatch

pytestmark = pytest.mark.gui


def test_warning_then_expiry_when_nobody_acts(qtbot: QtBot) -> None:
    watch = IdleWatch(idle_seconds=0.3, warning_seconds=0)
    assert watch.warning_seconds == MIN_WARNING_SECONDS  # never shorter than 20 s
    watch.warning_seconds = 0.5  # shortened here only, to keep the test quick
    watch.arm()
    with qtbot.waitSignal(watch.warning, timeout=3000) as first:
        pass
    assert first.args == [1]  # seconds left, never shown as 0
    with qtbot.waitSignal(watch.expired, timeout=3000):
        pass
    assert not watch.armed


def test_a_tap_during_the_warning_gives_more_time_again_and_again(qtbot: QtBot) -> None:
    button = QPushButton("more time")
    qtbot.addWidget(button)
    button.show()
    watch = IdleWatch(idle_seconds=0.2)
    watch.warning_seconds = 0.4
    expired: list[bool] = []
    watch.expired.connect(lambda: expired.append(True))
    watch.arm()
    for _ in range(10):
        qtbot.waitSignal(watch.warning, timeout=3000).wait()
        with qtbot.waitSignal(watch.resumed, timeout=1000):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # any tap counts
    assert expired == [] and watch.armed


def test_a_disarmed_watch_never_fires(qtbot: QtBot) -> None:
    watch = IdleWatch(idle_seconds=0.1)
    watch.warning_seconds = 0.1
    watch.arm()
    watch.disarm()
    with qtbot.assertNotEmitted(watch.expired, wait=600):
        pass
