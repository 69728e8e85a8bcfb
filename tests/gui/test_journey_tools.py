"""The bar's tools and the idle wipe, through real taps on the real kiosk.

Idle times are shortened here only; the product's warning is never under 20 s.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.i18n import Words
from kiosk.screens.idle_warning import IdleWarning
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.theme import HIGH_CONTRAST
from tests.gui.taps import answer_pad, primary, tap, through_front_door

pytestmark = pytest.mark.gui

FAKE_NAME = " ".join(["Qqzx", "Fakename"])
"""Joined at run time: the source and its constants never hold the typed text whole."""


def _to_name_question(qtbot: QtBot, kiosk: Kiosk, language: str = "en") -> QuestionScreen:
    journey = kiosk.journey
    tap(qtbot, primary(kiosk))
    tap(qtbot, journey.screen.buttons[language])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))
    through_front_door(qtbot, kiosk)
    tap(qtbot, journey.screen.buttons["digital-device-access"])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))
    screen = journey.screen
    assert isinstance(screen, QuestionScreen)
    answer_pad(qtbot, screen, "3")
    tap(qtbot, screen.next_button)
    screen = journey.screen
    assert isinstance(screen, QuestionScreen)
    tap(qtbot, screen.choice_buttons[False])
    tap(qtbot, screen.next_button)
    screen = journey.screen
    assert isinstance(screen, QuestionScreen)
    tap(qtbot, screen.choice_buttons["tablet"])
    tap(qtbot, screen.next_button)
    screen = journey.screen
    assert isinstance(screen, QuestionScreen) and screen.question.id == "name_for_loan"
    return screen


def _texts_on_widgets() -> str:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    parts = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
    return "\n".join(parts)


def _holds(value: object, text: str) -> bool:
    if isinstance(value, str):
        return text in value
    if isinstance(value, dict) and not gc.is_tracked(value):
        return any(_holds(v, text) for v in (*value.keys(), *value.values()))
    if isinstance(value, list | tuple | set | frozenset) and not gc.is_tracked(value):
        return any(_holds(v, text) for v in value)
    return False


def _objects_holding(text: str) -> list[str]:
    """Every live Python object holding a string with `text` in it, except this module's
    own globals: the answer's last traces after a wipe. The collector tracks only
    containers that can hold other containers (a dict of plain strings is untracked),
    so the strings a tracked object refers to, and those in the untracked containers
    it refers to, are searched too."""
    gc.collect()
    mine = globals()
    found = []
    for obj in gc.get_objects():
        if obj is mine:
            continue
        for referent in gc.get_referents(obj):  # a loop: a generator would hold `text`
            if _holds(referent, text):
                found.append(type(obj).__name__ + ": " + repr(obj)[:120])
                break
    return found


def test_idle_warning_more_time_then_a_wipe_that_leaves_nothing(qtbot: QtBot, kiosk: Kiosk) -> None:
    journey = kiosk.journey
    journey.idle.idle_seconds = 0.4
    journey.idle.warning_seconds = 0.8
    screen = _to_name_question(qtbot, kiosk)
    assert screen.entry is not None
    qtbot.keyClicks(screen.entry, FAKE_NAME)
    assert FAKE_NAME in _texts_on_widgets()

    qtbot.waitUntil(lambda: isinstance(kiosk.window.overlay, IdleWarning), timeout=5000)
    warning = kiosk.window.overlay
    assert isinstance(warning, IdleWarning)
    tap(qtbot, warning.button)  # "I need more time"
    qtbot.waitUntil(lambda: kiosk.window.overlay is None, timeout=2000)
    assert journey.screen is screen and screen.entry.text() == FAKE_NAME  # all still there

    qtbot.waitUntil(lambda: isinstance(journey.screen, WelcomeScreen), timeout=8000)
    assert journey.session is None and journey.language == "ko" and kiosk.window.overlay is None
    assert FAKE_NAME not in _texts_on_widgets()
    assert _objects_holding(FAKE_NAME) == []
    assert not journey.idle.armed


def test_a_wipe_after_answers_were_given_leaves_no_object_holding_them(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    """The name was accepted (it is in the session, not only on the screen), and the
    resident walked away on the next question."""
    journey = kiosk.journey
    screen = _to_name_question(qtbot, kiosk)
    assert screen.entry is not None
    qtbot.keyClicks(screen.entry, FAKE_NAME)
    tap(qtbot, screen.next_button)
    assert journey.screen is not screen
    assert _objects_holding(FAKE_NAME) != []  # the session holds it: the check can see it
    journey.idle.idle_seconds = 0.2
    journey.idle.warning_seconds = 0.3
    qtbot.waitUntil(lambda: isinstance(journey.screen, WelcomeScreen), timeout=8000)
    assert FAKE_NAME not in _texts_on_widgets()
    assert _objects_holding(FAKE_NAME) == []


def test_contrast_language_and_help_come_back_to_the_same_question(
    qtbot: QtBot, kiosk: Kiosk
) -> None:
    journey = kiosk.journey
    screen = _to_name_question(qtbot, kiosk)
    assert screen.entry is not None
    qtbot.keyClicks(screen.entry, FAKE_NAME)
    tap(qtbot, screen.next_button)
    tap(qtbot, kiosk.window.back_button)  # back to the name: the answer is kept
    assert isinstance(journey.screen, QuestionScreen)

    tap(qtbot, kiosk.window.contrast_button)
    assert journey.theme.colours is HIGH_CONTRAST
    assert HIGH_CONTRAST.background.lower() in kiosk.window.styleSheet().lower()
    again = journey.screen
    assert isinstance(again, QuestionScreen) and again.question.id == "name_for_loan"
    assert again.entry is not None and again.entry.text() == FAKE_NAME

    tap(qtbot, kiosk.window.language_button)
    tap(qtbot, journey.screen.buttons["ru"])  # type: ignore[union-attr]
    tap(qtbot, primary(kiosk))  # text size: keep it
    again = journey.screen
    assert isinstance(again, QuestionScreen) and again.question.id == "name_for_loan"
    assert kiosk.window.back_button.text().endswith("Назад")

    tap(qtbot, kiosk.window.help_button)
    help_screen = journey.screen
    assert isinstance(help_screen, NoticeScreen)
    assert "120" in _texts_on_widgets()
    back_text = Words("ru")._("Back to where I was")
    [back] = [b for b in help_screen.findChildren(QAbstractButton) if b.text() == back_text]
    tap(qtbot, back)  # back to where I was (Call staff is the help screen's main action)
    assert isinstance(journey.screen, QuestionScreen)

    journey.end_session()
    assert journey.theme.colours is not HIGH_CONTRAST  # colours return to the default


def test_the_receipt_prints_or_is_kept_as_pdf(qtbot: QtBot, kiosk: Kiosk, tmp_path: Path) -> None:
    from tools.screenshot import go_to

    go_to(kiosk, "receipt")
    screen = kiosk.journey.screen
    assert isinstance(screen, ReceiptScreen)
    tap(qtbot, screen.print_button)
    qtbot.waitUntil(screen.printed.isVisible, timeout=10_000)  # painted on the store's worker
    assert screen.printed.isVisible() and screen.printed.text()
    printed = list((kiosk.config.data_dir / "printed").glob("receipt-*.pdf"))
    assert len(printed) == 1 and printed[0].read_bytes().startswith(b"%PDF")
