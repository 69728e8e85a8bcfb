"""Steps of the navigator's journeys, as real taps, shared by the navigator, drafts and
privacy tests. Every value typed is obviously fake."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.screens.language import LanguageScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.staff.screens import ResumeScreen, StaffMenuScreen
from kiosk.staff.sign_in import SignInScreen
from sync.navigators import Navigator, create_navigator
from sync.store import Store
from tests.gui.taps import answer_pad, primary, tap, through_front_door

PIN = "582039"
NAVIGATOR = "Navigator Test Kim"
FAKE_NAME = "TEST RESIDENT ZZZ"
FAKE_PHONE = "01000000000"
SERVICE = "digital-device-access"


def add_navigator(kiosk: Kiosk, name: str = NAVIGATOR, pin: str = PIN) -> Navigator:
    store = Store(kiosk.config.data.store)
    try:
        return create_navigator(store, name, pin, time.time())
    finally:
        store.close()


def question(kiosk: Kiosk, question_id: str) -> QuestionScreen:
    screen = kiosk.journey.screen
    assert isinstance(screen, QuestionScreen), type(screen)
    assert screen.question.id == question_id, screen.question.id
    return screen


def sign_in(qtbot: QtBot, kiosk: Kiosk, pin: str = PIN) -> None:
    # The staff list is read on the store's worker: the screen comes a moment later.
    qtbot.waitUntil(lambda: isinstance(kiosk.journey.screen, SignInScreen), timeout=10_000)
    screen = kiosk.journey.screen
    assert isinstance(screen, SignInScreen), type(screen)
    for digit in pin:
        tap(qtbot, screen.pad.keys[digit])
    tap(qtbot, screen.sign_in_button)
    qtbot.waitUntil(lambda: kiosk.journey.screen is not screen, timeout=10_000)


def sign_in_from_welcome(qtbot: QtBot, kiosk: Kiosk) -> None:
    tap(qtbot, kiosk.journey.screen.staff_button)
    sign_in(qtbot, kiosk)
    assert isinstance(kiosk.journey.screen, StaffMenuScreen)


def consent(qtbot: QtBot, kiosk: Kiosk) -> None:
    screen = kiosk.journey.screen
    assert isinstance(screen, NoticeScreen), type(screen)
    tap(qtbot, primary(kiosk))  # "Yes, please help me"


def begin_assisted(qtbot: QtBot, kiosk: Kiosk, language: str = "en") -> None:
    """From the staff menu: the resident picks a language and text size, then agrees."""
    menu = kiosk.journey.screen
    assert isinstance(menu, StaffMenuScreen)
    tap(qtbot, menu.buttons["assist"])
    assert isinstance(kiosk.journey.screen, LanguageScreen)
    tap(qtbot, kiosk.journey.screen.buttons[language])
    assert isinstance(kiosk.journey.screen, TextSizeScreen)
    tap(qtbot, primary(kiosk))
    consent(qtbot, kiosk)
    through_front_door(qtbot, kiosk)
    services = kiosk.journey.screen
    assert isinstance(services, ServicesScreen)
    tap(qtbot, services.buttons[SERVICE])
    tap(qtbot, primary(kiosk))


def answer_first_half(qtbot: QtBot, kiosk: Kiosk) -> None:
    screen = question(kiosk, "household_size")
    answer_pad(qtbot, screen, "3")
    tap(qtbot, screen.next_button)
    screen = question(kiosk, "receives_livelihood_support")
    tap(qtbot, screen.choice_buttons[False])
    tap(qtbot, screen.next_button)
    screen = question(kiosk, "device")
    tap(qtbot, screen.choice_buttons["tablet"])
    tap(qtbot, screen.next_button)
    screen = question(kiosk, "name_for_loan")
    assert screen.entry is not None
    qtbot.keyClicks(screen.entry, FAKE_NAME)
    tap(qtbot, screen.next_button)


def answer_second_half(qtbot: QtBot, kiosk: Kiosk) -> None:
    screen = question(kiosk, "contact_phone")
    answer_pad(qtbot, screen, FAKE_PHONE)
    tap(qtbot, screen.next_button)
    screen = question(kiosk, "records_lookup")
    tap(qtbot, screen.choice_buttons[True])
    tap(qtbot, screen.next_button)
    screen = question(kiosk, "agree_terms")
    tap(qtbot, screen.choice_buttons[True])
    tap(qtbot, screen.next_button)
    assert isinstance(kiosk.journey.screen, ReviewScreen)


def strip_button(kiosk: Kiosk, key: str) -> QPushButton:
    return kiosk.window.staff_strip.buttons[key]


def enter_code(qtbot: QtBot, kiosk: Kiosk, code: str) -> None:
    screen = kiosk.journey.screen
    assert isinstance(screen, ResumeScreen), type(screen)
    tap(qtbot, screen.pad.keys["clear"])
    for char in code.replace("-", ""):
        tap(qtbot, screen.pad.keys[char])
    tap(qtbot, screen.open_button)
    qtbot.waitUntil(lambda: kiosk.journey.screen is not screen or screen.open_button.isEnabled(),
                    timeout=10_000)  # fmt: skip
