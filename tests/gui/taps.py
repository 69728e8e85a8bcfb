"""Taps as a resident makes them: real mouse clicks on visible, enabled widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.date_input import DateInput
from kiosk.screens.question import QuestionScreen
from tools.screenshot import fake_answer


def tap(qtbot: QtBot, widget: QPushButton) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def primary(kiosk: Kiosk) -> QPushButton:
    """The screen's main action (there is exactly one)."""
    screen = kiosk.journey.screen
    assert screen is not None
    [button] = [b for b in screen.findChildren(QPushButton) if b.objectName() == "primary"]
    return button


def through_front_door(qtbot: QtBot, kiosk: Kiosk) -> None:
    """From the front door to the list of services: "I know which service"."""
    from kiosk.screens.front_door import FrontDoorScreen

    screen = kiosk.journey.screen
    assert isinstance(screen, FrontDoorScreen), type(screen)
    tap(qtbot, screen.list_button)


def finish(qtbot: QtBot, kiosk: Kiosk) -> None:
    """Tap Finish on the receipt: the quiet button (Print is the primary one)."""
    from kiosk.screens.receipt import ReceiptScreen

    screen = kiosk.journey.screen
    assert isinstance(screen, ReceiptScreen), type(screen)
    tap(qtbot, screen.finish_button)


def answer_pad(qtbot: QtBot, screen: QuestionScreen, digits: str) -> None:
    assert screen.pad is not None
    tap(qtbot, screen.pad.keys["clear"])
    for key in digits:
        tap(qtbot, screen.pad.keys[key])


def type_date(qtbot: QtBot, field: DateInput, iso: str) -> None:
    """An ISO date typed as a resident would: Clear, then each field tapped and typed."""
    year, month, day = iso.split("-")
    tap(qtbot, field.pad.keys["clear"])
    for part, digits in zip(("year", "month", "day"), (year, month, day), strict=True):
        tap(qtbot, field.fields[part])
        for key in digits:
            tap(qtbot, field.pad.keys[key])


def answer_by_tapping(qtbot: QtBot, screen: QuestionScreen, value: Any) -> None:
    """Give `value` the way a resident would: buttons, the number pad or typing; then Next."""
    kind = screen.question.type
    if kind in ("single_choice", "yes_no", "consent", "records_consent"):
        tap(qtbot, screen.choice_buttons[value])
    elif kind == "multiple_choice":
        for choice in value:
            tap(qtbot, screen.choice_buttons[choice])
    elif isinstance(screen.input, DateInput):
        type_date(qtbot, screen.input, str(value))
    elif screen.pad is not None:
        answer_pad(qtbot, screen, str(value).replace("-", ""))
    elif kind == "short_text":
        assert screen.entry is not None
        qtbot.keyClicks(screen.entry, value)
    tap(qtbot, screen.next_button)


def to_review_by_taps(qtbot: QtBot, kiosk: Kiosk, service: str, language: str = "en") -> None:
    """A resident's visit from the welcome screen to the review of their answers: the
    language, the text size as it is, one service, each question answered by taps."""
    from kiosk.screens.review import ReviewScreen
    from tools.screenshot import fake_answer

    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons[language])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons[service])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))
    while isinstance(journey.screen, QuestionScreen):
        answer_by_tapping(qtbot, journey.screen, fake_answer(journey.screen.question))
    assert isinstance(journey.screen, ReviewScreen)


def question_page(
    kiosk: Kiosk, service: str, question_id: str, answer: object = None
) -> QuestionScreen:
    """The service's question page, reached with fake answers to the ones before it
    (and `answer` given to it first, if any), shown and laid out."""
    journey = kiosk.journey
    journey.start_applications([service])
    session = journey.session
    assert session is not None
    while session.current is not None and session.current.id != question_id:
        session.answer(fake_answer(session.current))
        session.next()
    if answer is not None:
        session.answer(answer)
    journey.show_current()
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):  # layouts that depend on other layouts settle in a few passes
        app.processEvents()
    screen = journey.screen
    assert isinstance(screen, QuestionScreen) and screen.question.id == question_id
    return screen
