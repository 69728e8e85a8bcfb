"""What a screen reader is told (issue 18, finding 10): every control a resident or
navigator can act on has a name in the screen's language, no name starts with a drawn
symbol, one-of-many answers are radio buttons and many-of-many check boxes.

The walk is QAccessible in process, the tree Qt builds AT-SPI from. A sample of
languages and sizes runs here; every language at every size, with the on-screen keyboard
and the staff screens, in the slow battery. The keyboard needs its own process (Qt
chooses it before the application exists), as in test_keyboard.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLineEdit, QPushButton, QScrollBar, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from forms.languages import LANGUAGE_CODES
from kiosk import input_context, keyboard
from kiosk.answer_widgets import ChoiceInput
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import ArrowButton
from tools.a11y_tour import walk_tour
from tools.a11y_walk import controls, problems, starts_with_symbol

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
INNER = os.environ.get("IEUM_A11Y_TESTS")
if INNER:
    input_context.enable_virtual_keyboard()  # before pytest-qt creates the QApplication

SIZES = ("standard", "large", "extra_large")
SAMPLE = (("ko", "standard"), ("mn", "large"), ("vi", "extra_large"))
"""The normal run without the keyboard: three languages and sizes. Thai (the issue's
worst case) and Japanese at Extra-large run with the keyboard, in its own process."""


def _theme() -> Theme:
    return Theme(text_size="extra_large", language="en")


# -- the walk itself ----------------------------------------------------------------------


def test_the_walk_catches_a_nameless_button_and_a_symbol_first_name(qtbot: QtBot) -> None:
    """A deliberately bad window: each defect is found, and nothing else is."""
    window = QWidget()
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    nameless = QPushButton()  # a drawn icon and nothing else, like the old scroll arrows
    nameless.setObjectName("nameless")
    ticked = QPushButton("☐ Food")
    ticked.setObjectName("ticked")
    bar = QScrollBar(Qt.Orientation.Vertical)
    field = QLineEdit()
    good = QPushButton("Next")
    named_field = QLineEdit()
    named_field.setAccessibleName("Your name")
    for widget in (nameless, ticked, bar, field, good, named_field):
        column.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)

    found = problems([c for c in controls(window) if c.visible])

    assert sorted(c.where.rsplit("/", 1)[-1] for c in found.nameless) == [
        "QLineEdit",
        "QScrollBar",
        "nameless",
    ]
    assert [c.name for c in found.symbol_first] == ["☐ Food"]


def test_what_counts_as_a_drawn_symbol_first() -> None:
    for bad in ("☐ Food", "☑ Food", "✓ Yes", "← Back", "⌫", "←", "▲"):
        assert starts_with_symbol(bad), bad
    # Words, numbers, a key's own character (what it types, and what a reader says).
    for fine in ("Back", "ย้อนกลับ", "7", "+", "=", "@", "$", "ก", "ุ", ""):
        assert not starts_with_symbol(fine), fine


def test_scroll_arrows_are_named(qtbot: QtBot) -> None:
    page = Page(_theme(), Words("th"))
    qtbot.addWidget(page)
    assert page.scroll_up.accessibleName() == "เลื่อนขึ้น"
    assert page.scroll_down.accessibleName() == "เลื่อนลง"
    assert page.scroll_bar.accessibleName() == "ตำแหน่งบนหน้า"
    assert isinstance(page.scroll_up, ArrowButton)


# -- roles of answers ---------------------------------------------------------------------


def _interface(widget: QWidget):  # type: ignore[no-untyped-def]
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface


def test_one_of_many_is_radio_buttons_with_checked_state(qtbot: QtBot) -> None:
    choices = ChoiceInput(_theme(), [("a", "Bus"), ("b", "Subway")], "b", multiple=False)
    qtbot.addWidget(choices)
    bus, subway = choices.buttons["a"], choices.buttons["b"]
    assert subway.text() == "✓ Subway"  # the mark stays on screen
    for button, name, checked in ((bus, "Bus", False), (subway, "Subway", True)):
        seen = _interface(button)
        assert seen.role() == QAccessible.Role.RadioButton
        assert seen.text(QAccessible.Text.Name) == name
        assert bool(seen.state().checked) is checked
    qtbot.mouseClick(bus, Qt.MouseButton.LeftButton)
    assert _interface(bus).state().checked and not _interface(subway).state().checked
    assert _interface(bus).text(QAccessible.Text.Name) == "Bus"
    assert choices.value() == "a"


def test_many_of_many_is_check_boxes(qtbot: QtBot) -> None:
    choices = ChoiceInput(_theme(), [("a", "Food"), ("b", "Rent")], ["a"], multiple=True)
    qtbot.addWidget(choices)
    food, rent = choices.buttons["a"], choices.buttons["b"]
    assert food.text() == "☑ Food" and rent.text() == "☐ Rent"
    qtbot.mouseClick(rent, Qt.MouseButton.LeftButton)
    for button, name in ((food, "Food"), (rent, "Rent")):
        seen = _interface(button)
        assert seen.role() == QAccessible.Role.CheckBox
        assert seen.text(QAccessible.Text.Name) == name
        assert seen.state().checked
    assert choices.value() == ["a", "b"]


# -- the tour -----------------------------------------------------------------------------


def _assert_clean(language: str, size: str, data: Path) -> None:
    walked = walk_tour(language, size, data)
    assert walked.stops >= 60 and walked.visible > 500, (walked.stops, walked.visible)
    assert not walked.nameless and not walked.symbol_first, "\n".join(walked.lines()[:40])
    # The quick check's ✓ ✗ ? before each reason are read out as words.
    marked = [str(c) for stop, c in walked.symbol_first_text if stop == "eligibility"]
    assert not marked, marked


@pytest.mark.skipif(bool(INNER), reason="runs in the main session")
@pytest.mark.parametrize(("language", "size"), SAMPLE)
def test_every_control_on_the_tour_has_words_for_a_name(
    qapp: object, tmp_path: Path, language: str, size: str
) -> None:
    """The whole tour, the staff screens and the desk, without the keyboard."""
    _assert_clean(language, size, tmp_path)


def _inner(which: str, timeout: int) -> None:
    """`which`: a -k expression choosing the checks to run in the keyboard's process."""
    env = {**os.environ, "IEUM_A11Y_TESTS": "inner", "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider"]
    command += ["-o", "python_functions=check_*", "-k", which]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout


@pytest.mark.skipif(bool(INNER), reason="runs in the main session")
def test_with_the_keyboard_in_its_own_process() -> None:
    _inner("named_again or with_the_keyboard_up", timeout=280)


@pytest.mark.slow
@pytest.mark.timeout(1900)
@pytest.mark.skipif(bool(INNER), reason="runs in the main session")
def test_every_language_and_size_with_the_keyboard_in_its_own_process() -> None:
    _inner("every_language_and_size", timeout=1800)


# -- in the keyboard's own process ----------------------------------------------------------

inner_only = pytest.mark.skipif(not INNER, reason="runs in its own process")


@inner_only
def check_keys_are_named_again_when_the_layout_changes(qtbot: QtBot) -> None:
    """Symbols, then letters, then the next language: every key named each time, in the
    resident's language, function keys by what they do."""
    window = QWidget()
    layout = QVBoxLayout(window)
    entry = QLineEdit()
    entry.setAccessibleName("Name")
    layout.addWidget(entry)
    panel = keyboard.KeyboardPanel(window, language="ko")
    layout.addWidget(panel)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    entry.setFocus()
    qtbot.waitUntil(panel.is_ready)

    def names() -> dict[str, str]:
        keys = [c for c in controls(window) if c.visible and "KeyboardPanel" in c.where]
        assert keys and not problems(keys), [str(k) for k in keys]
        return {k.name: k.role for k in keys}

    def tap(kind: str) -> None:
        key = next(k for k in panel.shown_keys() if k.kind == kind)
        qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=key.center)

    _ = Words("ko")._
    qtbot.waitUntil(lambda: "ㅂ" in names())
    first = names()
    assert {_("Delete"), _("Symbols"), _("Space"), _("Next keyboard language")} <= set(first)
    assert _("Space") == "띄어쓰기" and set(first.values()) == {"Button"}
    tap("symbols")
    qtbot.waitUntil(lambda: _("Letters") in names() and "ㅂ" not in names())
    tap("symbols")
    qtbot.waitUntil(lambda: _("Symbols") in names() and "ㅂ" in names())
    tap("language")
    qtbot.waitUntil(lambda: panel.current_locale() == "en_US")
    qtbot.waitUntil(lambda: "q" in {n.lower() for n in names()})

    # Chinese: the words offered for what is typed are buttons named by the word.
    panel.set_language("zh_Hans")
    qtbot.waitUntil(lambda: panel.is_ready() and panel.current_locale() == "zh_CN")
    for letter in "ni":
        key = next(k for k in panel.shown_keys() if k.label == letter)
        qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=key.center)
    qtbot.waitUntil(lambda: "你" in names() and Words("zh_Hans")._("Space") in names())


@inner_only
@pytest.mark.parametrize("language", ["th", "ja"])
def check_the_tour_with_the_keyboard_up(qapp: object, tmp_path: Path, language: str) -> None:
    """Thai (five rows, combining marks) and Japanese (cursor keys drawn as arrows)."""
    _assert_clean(language, "extra_large", tmp_path)


@inner_only
@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("size", SIZES)
def check_every_language_and_size(qapp: object, tmp_path: Path, language: str, size: str) -> None:
    _assert_clean(language, size, tmp_path)
