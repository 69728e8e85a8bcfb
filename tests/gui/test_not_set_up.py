"""An installed kiosk whose administrator has not set a platform: it says so to staff, in
its language, takes no applications, and never starts a demo platform of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.i18n import Words
from kiosk.screens.notice import NoticeScreen
from kiosk.speech.settings import SpeechSettings
from kiosk.staff.sign_in import SignInScreen
from tests.gui.taps import tap

pytestmark = pytest.mark.gui


@pytest.fixture
def unset(qtbot: QtBot, tmp_path: Path) -> Iterator[Kiosk]:
    config = KioskConfig(
        data_dir=tmp_path / "device",
        platform_url="",  # IEUM_PLATFORM commented out in /etc/ieum/ieum.conf
        defaults=Defaults(language="th"),
        speech=SpeechSettings(preload=()),
    )
    running = Kiosk(config)
    running.start()
    yield running
    running.close()


def test_it_says_it_is_not_set_up_and_takes_no_applications(qtbot: QtBot, unset: Kiosk) -> None:
    screen = unset.journey.screen
    assert isinstance(screen, NoticeScreen)
    titles = [
        label.text() for label in screen.findChildren(QLabel) if label.objectName() == "title"
    ]
    assert titles == [Words("th")._("This kiosk is not set up yet")]
    assert titles != ["This kiosk is not set up yet"]  # in the kiosk's language
    primary = [b for b in screen.findChildren(QPushButton) if b.objectName() == "primary"]
    assert primary == []  # no way into an application
    assert not unset.backend.timer.isActive()  # nothing is sent anywhere
    asked = unset.owner.pending  # answers arrive only through the event loop
    unset.backend.sync_now()
    assert unset.owner.pending == asked  # no sync pass was even started
    assert not (unset.config.data.demo_platform).exists()  # no demo platform was started
    # Staff can still sign in (to see the queue, or to set the kiosk up at a desk).
    assert screen.staff_button is not None
    tap(qtbot, screen.staff_button)
    qtbot.waitUntil(lambda: isinstance(unset.journey.screen, SignInScreen), timeout=10_000)


def test_the_store_is_checked_in_full_after_the_first_screen(qtbot: QtBot, unset: Kiosk) -> None:
    """Issue 17: the whole integrity check runs in the background after start-up."""
    qtbot.waitUntil(lambda: unset.store_check is not None, timeout=10_000)
    assert unset.store_check is not None and unset.store_check.ok
