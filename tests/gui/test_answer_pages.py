"""Issue 18, acceptance 1 at the largest text on the small screen: where the choices do
not all fit with the question and Next, they go into pages of whole buttons turned by
arrows (kiosk.screens.answer_pages) instead of a list that scrolls; where long answers
need the width, More and Next go into a row under the page; above the keyboard, the
error takes More's place beside the field. And the fold check catches a choice hidden
rather than paged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.question import QuestionScreen
from kiosk.speech.utterance import Utterance, part_text
from kiosk.spoken import answers_turned
from tests.gui.taps import question_page, tap
from tools.in_view import out_of_view
from tools.tour import SCREENS

pytestmark = pytest.mark.gui


def _settle() -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()


@pytest.fixture
def kiosks(qtbot: QtBot, tmp_path: Path) -> Iterator[list[Kiosk]]:
    made: list[Kiosk] = []
    yield made
    for kiosk in made:
        kiosk.close()


def _kiosk(made: list[Kiosk], root: Path, language: str, height: int = 720) -> Kiosk:
    """A kiosk at Extra-large on the 1280x720 panel (`height` less: the keyboard's room)."""
    (width, _height), dpi = SCREENS["1280x720"]
    config = KioskConfig(
        root / f"data-{len(made)}",
        "http://127.0.0.1:9",
        Defaults(language=language, text_size="extra_large", dpi=dpi),
    )
    kiosk = Kiosk(config)
    kiosk.window.resize(width, height)
    kiosk.window.show()
    made.append(kiosk)
    return kiosk


def _fold(kiosk: Kiosk) -> list[str]:
    window = kiosk.window
    return [str(f) for f in out_of_view(window, QSize(window.width(), window.height()))]


def _shown(screen: QuestionScreen) -> list[object]:
    return [v for v, b in screen.choice_buttons.items() if b.isVisible()]


def test_a_long_list_turns_in_pages_that_each_fit(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    """Russian "What happened?" (five ticks of two or three lines at 12 mm): every page
    in view whole with the question and Next, every choice on one page in order, the
    arrows and the bar between them as on a scrolling page, ticks kept across pages,
    and each page turned said aloud (its answers)."""
    kiosk = _kiosk(kiosks, tmp_path, "ru")
    screen = question_page(kiosk, "emergency-welfare", "what_happened")
    pages = screen.answer_pages
    assert pages is not None and pages.count() >= 2
    assert not screen.scroll_column.isVisible()
    assert [v for g in pages.groups for v in g] == list(screen.choice_buttons)
    assert not pages.earlier.isEnabled() and pages.later.isEnabled()
    first = _shown(screen)
    tap(qtbot, screen.choice_buttons[first[0]])  # ticked on the first page
    said: list[Utterance] = []
    say = kiosk.journey.speaking.say
    kiosk.journey.speaking.say = lambda what, explicit=False: (said.append(what), say(what))
    seen = []
    for number in range(pages.count()):
        assert _fold(kiosk) == [], number
        assert _shown(screen) == pages.groups[number]
        seen += _shown(screen)
        if number + 1 < pages.count():
            with qtbot.waitSignal(screen.answers_turned) as turned:
                tap(qtbot, pages.later)
            _settle()
            assert turned.args == [pages.groups[number + 1]]
    assert seen == list(screen.choice_buttons)
    assert not pages.later.isEnabled() and pages.earlier.isEnabled()
    words = kiosk.journey.words
    last = [words.text(c.label) for c in screen.question.choices if c.value in pages.groups[-1]]
    heard = " ".join(part_text(p) for p in said[-1].parts)  # sentences, each ended
    assert all(text in heard for text in last)
    assert words.text(screen.question.choices[0].label) not in heard
    assert screen.input.value() == [str(first[0])]  # still ticked, out of sight
    # Pages with the error after Next with no answer fit too.
    screen = question_page(kiosk, "emergency-welfare", "what_happened")
    tap(qtbot, screen.next_button)
    _settle()
    assert screen.error.isVisible() and _fold(kiosk) == []


def test_the_page_with_the_answer_given_opens_first(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    """Back to a question answered on its last page: that page, not the first."""
    kiosk = _kiosk(kiosks, tmp_path, "ru")
    screen = question_page(kiosk, "emergency-welfare", "what_happened")
    assert screen.answer_pages is not None
    last = screen.answer_pages.groups[-1][-1]
    screen = question_page(kiosk, "emergency-welfare", "what_happened", answer=[last])
    pages = screen.answer_pages
    assert pages is not None and pages.index == pages.count() - 1
    assert screen.choice_buttons[last].isVisible() and screen.choice_buttons[last].isChecked()


def test_the_words_of_a_turned_page_are_its_answers_only(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    kiosk = _kiosk(kiosks, tmp_path, "en")
    screen = question_page(kiosk, "emergency-welfare", "what_happened")
    choices = screen.question.choices
    said = answers_turned(kiosk.journey.phrases, screen.question, [choices[1].value])
    heard = " ".join(part_text(p) for p in said.parts)
    assert kiosk.journey.words.text(choices[1].label) in heard
    assert kiosk.journey.words.text(choices[0].label) not in heard


def test_a_choice_hidden_rather_than_paged_is_caught(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    """ "Reflow, never hide": a choice taken off the page with no arrows leading to it is
    a finding, whatever room the page then has."""
    kiosk = _kiosk(kiosks, tmp_path, "en")
    screen = question_page(kiosk, "digital-device-access", "records_lookup")
    assert _fold(kiosk) == []
    hidden = list(screen.choice_buttons.values())[1]
    hidden.hide()
    found = _fold(kiosk)
    assert any("is not shown" in f and hidden.text() in f for f in found), found


def test_long_answers_put_the_actions_in_a_row_under_the_page(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    """Mongolian records consent: a three-line question and two long answers do not fit
    beside a column of actions (each answer wraps to four lines there); with More and
    Next in a row under the page, each answer is one line wide and all is in view, the
    error after Next too."""
    kiosk = _kiosk(kiosks, tmp_path, "mn")
    screen = question_page(kiosk, "digital-device-access", "records_lookup")
    assert screen.actions_below and screen.side is not None and not screen.side.isVisible()
    assert _fold(kiosk) == []
    _yes, no = screen.choice_buttons.values()
    next_top = screen.next_button.mapTo(screen, screen.next_button.rect().topLeft()).y()
    assert no.mapTo(screen, no.rect().bottomLeft()).y() < next_top
    tap(qtbot, screen.next_button)
    _settle()
    assert screen.error.isVisible() and _fold(kiosk) == []
    # The same page on the large screen keeps its actions at the side.
    (width, height), _dpi = SCREENS["1920x1080"]
    kiosk.window.resize(width, height)
    screen = question_page(kiosk, "digital-device-access", "records_lookup")
    assert not screen.actions_below


def test_above_the_keyboard_the_error_takes_mores_place_in_the_row(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    """Japanese, the loan's name, in the room the keyboard leaves (1280x720 less 290 px):
    the error after Next does not fit under the two-line question, so it stands in the
    row beside the field and Next; once the resident types, it goes and More is back."""
    kiosk = _kiosk(kiosks, tmp_path, "ja", height=720 - 290)
    screen = question_page(kiosk, "digital-device-access", "name_for_loan")
    more_shown = screen.more_button.isVisible()
    tap(qtbot, screen.next_button)
    _settle()
    assert screen.action_row.indexOf(screen.error) >= 0
    assert screen.error.isVisible() and _fold(kiosk) == []
    screen.input.entry.setText("Testa")
    _settle()
    assert not screen.error.isVisible() and screen.action_row.indexOf(screen.error) < 0
    assert screen.more_button.isVisible() == more_shown


def test_a_crowded_row_above_the_keyboard_sends_more_up(
    qtbot: QtBot, kiosks: list[Kiosk], tmp_path: Path
) -> None:
    """Russian "Коротко опишите ваши планы.": Подробнее, Пропустить and Далее whole and a
    field of 60 mm do not fit one row; More goes under the question, the row keeps the
    field, Skip and Next, none of their words cut."""
    kiosk = _kiosk(kiosks, tmp_path, "ru", height=720 - 290)
    screen = question_page(kiosk, "seoul-youth-allowance", "plan")
    assert screen.action_row.indexOf(screen.more_button) < 0
    assert screen.words_column.indexOf(screen.more_button) >= 0
    for action in (screen.unknown_button, screen.next_button):
        assert action is not None and action.width() >= action.sizeHint().width()
    assert _fold(kiosk) == []
