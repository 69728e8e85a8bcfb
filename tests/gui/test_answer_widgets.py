"""Answer widgets show what was typed the way residents read it, and mask what is personal."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from forms.definition import Question
from kiosk.answer_widgets import PadInput
from kiosk.i18n import Words
from kiosk.messages import answer_text
from kiosk.screens.question import QuestionScreen
from kiosk.theme import Theme
from tests.gui.taps import tap

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("kind", "digits", "shown", "value"),
    [
        ("date", "195003", "1950 - 03 - __", "incomplete"),
        ("date", "19500315", "1950 - 03 - 15", "1950-03-15"),
        ("phone", "01000000000", "010-0000-0000", "01000000000"),
        ("phone", "0212345678", "021-234-5678", "0212345678"),
        ("resident_number", "5001011000000", "500101-1••••••", "5001011000000"),
        ("number", "42", "42", "42"),
    ],
)
def test_pad_display(qtbot: QtBot, kind: str, digits: str, shown: str, value: str) -> None:
    pad = PadInput(Theme(), kind, None, "q", "Delete", "Clear")
    qtbot.addWidget(pad)
    pad.show()
    for digit in digits:
        tap(qtbot, pad.pad.keys[digit])
    assert pad.display.text() == shown
    assert pad.value() == value


def test_a_missing_translation_is_shown_marked_not_blank(qtbot: QtBot) -> None:
    question = Question("q", "yes_no", {"en": "Do you agree?", "ko": "동의하세요?"})
    screen = QuestionScreen(Theme(language="th"), Words("th"), question, (1, 1), None)
    qtbot.addWidget(screen)
    texts = [w.text() for w in screen.findChildren(type(screen.error))]
    assert "[English] Do you agree?" in texts


def test_personal_answers_are_masked_outside_the_review() -> None:
    words = Words("en")
    rrn = Question("rrn", "resident_number", {"en": "Number"})
    phone = Question("p", "phone", {"en": "Phone"})
    assert answer_text(words, rrn, "5001011000000") == "500101-1******"
    assert answer_text(words, phone, "01000000000") == "010-****-0000"
    assert answer_text(words, phone, "01000000000", in_clear=True) == "010-0000-0000"
