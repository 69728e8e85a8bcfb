"""Speech in an assisted visit: the consent question is read to the resident in their
language, with the navigator's name; the paused-application screen is read, but never
its resume code (a key, and others may be listening)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.services import ServicesScreen
from kiosk.staff.screens import StaffMenuScreen
from tests.gui.navigator_steps import NAVIGATOR, add_navigator, sign_in_from_welcome
from tests.gui.taps import answer_pad, primary, tap, through_front_door
from tests.gui.test_drafts_kiosk import pause
from tests.gui.test_speech_journey import Heard, toggles
from tools.null_sink import NullSink

pytestmark = pytest.mark.gui


def test_consent_is_read_and_the_resume_code_is_not(
    qtbot: QtBot, sound: NullSink, kiosk: Kiosk
) -> None:
    assert kiosk.speech is not None and kiosk.speech.available("en").ok
    heard = Heard(kiosk.speech)
    add_navigator(kiosk)
    journey = kiosk.journey
    sign_in_from_welcome(qtbot, kiosk)
    assert isinstance(journey.screen, StaffMenuScreen)
    tap(qtbot, journey.screen.buttons["assist"])
    tap(qtbot, journey.screen.buttons["en"])
    tap(qtbot, toggles(journey)[0])  # the resident asks for the screens to be read
    tap(qtbot, primary(kiosk))
    assert isinstance(journey.screen, NoticeScreen)
    question = f"May {NAVIGATOR} help you?"
    qtbot.waitUntil(lambda: question in heard.said("en"), timeout=15_000)
    assert "Yes, please help me" in heard.said("en")
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    assert isinstance(journey.screen, ServicesScreen)
    tap(qtbot, journey.screen.buttons["digital-device-access"])
    tap(qtbot, primary(kiosk))
    answer_pad(qtbot, journey.screen, "2")
    tap(qtbot, journey.screen.next_button)
    code = pause(qtbot, kiosk)
    qtbot.waitUntil(lambda: "Your application is paused" in heard.said("en"), timeout=15_000)
    said = heard.said().replace(" ", "").upper()
    assert code.replace("-", "") not in said and code not in heard.said()
