"""The on-screen keyboard: real taps on Qt Virtual Keyboard's keys type into a real QLineEdit.

Qt picks its input context once, when the QApplication is created, and this session's
QApplication (pytest-qt's, one per session) has the ordinary one. So the tapping tests run
in a pytest of their own that enables the keyboard first: test_keyboard_in_its_own_process
starts it. Those tests are named check_*, which only that run collects.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from forms.languages import LANGUAGE_CODES
from kiosk import input_context, keyboard
from kiosk.keyboard import KeyboardPanel, KeyInfo

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
INNER = os.environ.get("IEUM_KEYBOARD_TESTS") == "inner"
if INNER:
    input_context.enable_virtual_keyboard()  # before pytest-qt creates the QApplication


# -- in the main session ----------------------------------------------------------------


def test_keyboard_in_its_own_process() -> None:
    env = {**os.environ, "IEUM_KEYBOARD_TESTS": "inner", "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider"]
    command += ["-o", "python_functions=check_*"]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout


def test_every_kiosk_language_has_a_keyboard() -> None:
    assert set(keyboard.LOCALES) == set(LANGUAGE_CODES)


def test_the_compiled_layouts_match_their_sources(tmp_path: Path) -> None:
    built = keyboard.build_layouts(tmp_path / "layouts.rcc")
    assert built.read_bytes() == keyboard.LAYOUTS_RCC.read_bytes(), (
        "resources/keyboard/layouts changed: run `python -m kiosk.keyboard`"
    )


def test_too_late_to_enable_once_the_application_exists(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QT_IM_MODULE", raising=False)
    monkeypatch.delenv("QT_IM_MODULES", raising=False)
    with pytest.raises(RuntimeError, match="before the QApplication"):
        input_context.enable_virtual_keyboard()
    with pytest.raises(RuntimeError, match="enable_virtual_keyboard"):
        KeyboardPanel()
    assert "QT_IM_MODULE" not in os.environ


# -- in the keyboard's own process --------------------------------------------------------


@dataclass
class Screen:
    """A question page as the kiosk builds one: a field, a Next button, the keyboard."""

    window: QWidget
    entry: QLineEdit
    display: QLineEdit
    """Read-only, like the number pad's display: it takes no typing."""
    next_button: QPushButton
    panel: KeyboardPanel


@pytest.fixture
def screen(qtbot: QtBot) -> Iterator[Screen]:
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    entry = QLineEdit()
    display = QLineEdit()
    display.setReadOnly(True)
    next_button = QPushButton("next")
    next_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # as kiosk.widgets.button does
    layout.addWidget(entry)
    layout.addWidget(display)
    layout.addWidget(next_button)
    layout.addStretch(1)
    panel = KeyboardPanel(window, language="en")
    layout.addWidget(panel)
    qtbot.addWidget(window)
    window.resize(1920, 1080)  # the reference screen
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    entry.setFocus()
    qtbot.waitUntil(panel.is_ready)
    yield Screen(window, entry, display, next_button, panel)


def use_language(qtbot: QtBot, panel: KeyboardPanel, language: str) -> None:
    panel.set_language(language)
    locale = keyboard.LOCALES[language]
    qtbot.waitUntil(lambda: panel.is_ready() and panel.current_locale() == locale)


def key(panel: KeyboardPanel, label: str = "", kind: str = "key") -> KeyInfo:
    for found in panel.shown_keys():
        if found.kind == kind and (not label or found.label == label):
            return found
    shown = " ".join(f"{k.kind}:{k.label}" for k in panel.shown_keys())
    raise AssertionError(f"no {kind} key {label!r} on the {panel.current_locale()} layout: {shown}")


def tap(qtbot: QtBot, panel: KeyboardPanel, label: str = "", kind: str = "key") -> None:
    """A resident's tap: a mouse click at the key's centre on the keyboard's scene."""
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=key(panel, label, kind).center)


def type_taps(qtbot: QtBot, panel: KeyboardPanel, taps: str) -> None:
    """Tap each character's key; {space}, {enter} and {shift} tap those keys."""
    for token in taps.replace("}", "{").split("{"):
        if token in ("space", "enter", "shift"):
            tap(qtbot, panel, kind=token)
        else:
            for character in token:
                tap(qtbot, panel, character)


TYPING = {
    # Qt capitalises the first letter of a sentence in Latin and Cyrillic scripts.
    "en": ("hello", "Hello"),
    "ru": ("привет", "Привет"),
    "mn": ("өнөөдөр{space}үүл", "Өнөөдөр үүл"),
    "ko": ("ㅎㅏㄴ", "한"),  # three jamo compose one syllable
    "th": ("สวัสดี", "สวัสดี"),  # combining vowels and tone marks have keys of their own
    "vi": ("xin", "Xin"),
    "ja": ("ka{enter}", "か"),  # romaji to kana; Enter takes the kana as they are
    "zh_Hans": ("ni{space}", "你"),  # Pinyin; space takes the first candidate
}


@pytest.mark.parametrize("language", list(TYPING))
def check_taps_type_in_each_language(qtbot: QtBot, screen: Screen, language: str) -> None:
    taps, expected = TYPING[language]
    use_language(qtbot, screen.panel, language)
    type_taps(qtbot, screen.panel, taps)
    qtbot.waitUntil(lambda: screen.entry.text() == expected)
    assert screen.entry.hasFocus()


def check_mongolian_has_every_letter_on_a_key_of_its_own(qtbot: QtBot, screen: Screen) -> None:
    use_language(qtbot, screen.panel, "ru")
    russian = {k.label for k in screen.panel.shown_keys() if k.kind == "key"}
    assert not {"ө", "ү"} & russian  # why Mongolian needs its own layout
    use_language(qtbot, screen.panel, "mn")
    letters = {k.label for k in screen.panel.shown_keys() if k.kind == "key"}
    assert set("абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя") <= letters
    type_taps(qtbot, screen.panel, "ү{space}{shift}өү")  # shift is for one letter
    qtbot.waitUntil(lambda: screen.entry.text() == "Ү Өү")


def check_keys_are_big_and_apart_in_every_language(qtbot: QtBot, screen: Screen) -> None:
    """At least 12 mm (48 px at 102 DPI) each way, 2.5 mm (10 px) between keys."""
    for language in keyboard.LOCALES:
        use_language(qtbot, screen.panel, language)
        keys = screen.panel.shown_keys()
        assert len(keys) > 30, language
        small = [k for k in keys if min(k.rect.width(), k.rect.height()) < 48]
        assert not small, (language, small)
        assert screen.panel.key_gap() >= 10, language
        assert screen.panel.height() < screen.window.height() / 2, language


def check_a_short_window_keeps_keys_big_and_apart(qtbot: QtBot, screen: Screen) -> None:
    """1280x720 at 94 DPI: 12 mm is 44.4 px and 2.5 mm 9.25 px. The key area takes the
    whole width and only the height its rows need (Qt's proportions gave 400 px there,
    with gaps of 8 px = 2.2 mm), so that the question, its field and Next stay in view
    above it (issue 18); its letters stay inside their keys (checked on pictures: Qt's
    own letter keys keep a margin that flat rows have no room for)."""
    screen.window.resize(1280, 720)
    screen.panel.fit_short(45, 10)
    for language in keyboard.LOCALES:
        use_language(qtbot, screen.panel, language)
        qtbot.waitUntil(lambda: screen.panel.view.width() == 1280)
        qtbot.waitUntil(lambda: screen.panel.key_gap() >= 9.25)
        keys = screen.panel.shown_keys()
        gap = screen.panel.key_gap()
        # A key's rectangle holds its share of the gap on each side.
        drawn = [min(k.rect.width(), k.rect.height()) - gap for k in keys]
        assert min(drawn) >= 12 * 94 / 25.4, (language, min(drawn))
        rows = len({k.rect.y() for k in keys})
        assert rows == (5 if language == "th" else 4), language
        candidates = 60 if language in ("ja", "zh_Hans") else 0  # the word strip
        assert screen.panel.height() <= 250 + (60 if language == "th" else 0) + candidates
        at_bottom = screen.window.height() - 1  # once laid out again
        qtbot.waitUntil(lambda b=at_bottom: screen.panel.geometry().bottom() == b)


def check_the_panel_is_part_of_the_window(qtbot: QtBot, screen: Screen) -> None:
    panel, window = screen.panel, screen.window
    assert panel.window() is window
    assert panel.geometry().bottom() == window.height() - 1  # at the bottom
    shown = [w for w in QGuiApplication.topLevelWindows() if w.isVisible()]
    assert shown == [window.windowHandle()]  # no keyboard window of its own


def check_the_keys_are_drawn(qtbot: QtBot, screen: Screen) -> None:
    """Not only there to be tapped: a QQuickWidget can stay blank (see _resend_size)."""
    for language in ("ko", "ru", "mn", "th"):
        use_language(qtbot, screen.panel, language)
        qtbot.wait(100)
        image = screen.window.grab().toImage()
        origin = screen.panel.view.mapTo(screen.window, QPoint(0, 0))
        letter = key(screen.panel, kind="key").rect.translated(origin)
        inside_key = image.pixelColor(letter.topLeft() + QPoint(14, 14))
        between_keys = image.pixelColor(letter.topLeft() + QPoint(2, 2))
        window_colour = image.pixelColor(screen.entry.geometry().bottomLeft() + QPoint(4, 40))
        assert inside_key != between_keys, language
        assert between_keys != window_colour, language


def check_shown_while_a_text_field_is_on_screen(qtbot: QtBot, screen: Screen) -> None:
    panel, entry = screen.panel, screen.entry
    assert panel.isVisible() and panel.target is entry
    # Another control takes the focus: the keyboard stays, and a tap still types there.
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.next_button.hasFocus() and panel.isVisible()
    tap(qtbot, panel, "q")
    assert entry.text().casefold() == "q" and entry.hasFocus()
    # The field leaves the screen (the page changed): so does the keyboard.
    entry.hide()
    assert not panel.isVisible() and panel.target is None
    screen.display.setFocus()  # read-only: no keyboard
    qtbot.wait(50)
    assert not panel.isVisible()
    entry.show()
    entry.setFocus()
    qtbot.waitUntil(panel.isVisible)
    entry.deleteLater()
    qtbot.waitUntil(lambda: not panel.isVisible())
    assert panel.target is None


def check_a_syllable_being_composed_is_kept_when_next_is_tapped(
    qtbot: QtBot, screen: Screen
) -> None:
    seen: list[str] = []
    screen.next_button.clicked.connect(lambda: seen.append(screen.entry.text()))
    use_language(qtbot, screen.panel, "ja")
    type_taps(qtbot, screen.panel, "ka")
    assert screen.entry.text() == ""  # か is still being composed
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert seen == ["か"]


def check_the_enter_key_is_return(qtbot: QtBot, screen: Screen) -> None:
    type_taps(qtbot, screen.panel, "a")
    with qtbot.waitSignal(screen.entry.returnPressed, timeout=2000):
        tap(qtbot, screen.panel, kind="enter")
    assert screen.entry.text() == "A"


def check_a_physical_keyboard_still_works(qtbot: QtBot, screen: Screen) -> None:
    use_language(qtbot, screen.panel, "ru")
    window = screen.window.windowHandle()
    for physical in (Qt.Key.Key_A, Qt.Key.Key_B):
        qtbot.keyClick(window, physical)  # through the window system, as a USB keyboard
    tap(qtbot, screen.panel, "д")
    qtbot.keyClicks(screen.entry, "c1")
    assert screen.entry.text() == "abдc1"
    with qtbot.waitSignal(screen.entry.returnPressed, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_Tab)
    assert screen.display.hasFocus() and screen.panel.isVisible()


def check_the_language_key_switches_to_latin_and_back(qtbot: QtBot, screen: Screen) -> None:
    panel = screen.panel
    assert not [k for k in panel.shown_keys() if k.kind == "language"]  # English: nothing to switch
    use_language(qtbot, panel, "ko")
    qtbot.waitUntil(lambda: any(k.kind == "language" for k in panel.shown_keys()))
    height = panel.height()
    tap(qtbot, panel, kind="language")
    qtbot.waitUntil(lambda: panel.current_locale() == "en_US")
    tap(qtbot, panel, "k")
    tap(qtbot, panel, kind="language")
    qtbot.waitUntil(lambda: panel.current_locale() == "ko_KR")
    tap(qtbot, panel, "ㅎ")
    assert screen.entry.text() == "Kㅎ"
    assert panel.height() == height  # the candidate strip is reserved in every language
    tap(qtbot, panel, kind="language")
    qtbot.waitUntil(lambda: panel.current_locale() == "en_US")
    panel.reset()  # end of session
    qtbot.waitUntil(lambda: panel.current_locale() == "ko_KR")
