"""The bar at every text size (issue 18, finding 8): Text size, High contrast and Read
aloud are on every screen that offers them, each always in the same place; Help is on
the language and text-size screens too, and comes back to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from forms.languages import LANGUAGE_CODES
from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.i18n import Words
from kiosk.screens.language import LanguageScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.speech.settings import SpeechSettings
from tests.gui.taps import primary, tap
from tools.tour import SCREENS, tour

pytestmark = pytest.mark.gui


@pytest.fixture
def big_kiosk(request: pytest.FixtureRequest, qtbot: QtBot, tmp_path: Path) -> Iterator[Kiosk]:
    language, width, height = request.param
    config = KioskConfig(
        data_dir=tmp_path / "device",
        platform_url="http://127.0.0.1:9",
        defaults=Defaults(language=language, text_size="extra_large"),
        speech=SpeechSettings(preload=()),  # offered: Read aloud is in the bar
    )
    kiosk = Kiosk(config)
    kiosk.start()
    kiosk.window.resize(width, height)
    yield kiosk
    kiosk.close()


@pytest.mark.parametrize(
    "big_kiosk",
    [("th", 1920, 1080), ("mn", 1920, 1080), ("ko", 1920, 1080), ("th", 1280, 720)],
    indirect=True,
)
def test_the_tools_keep_their_places_at_extra_large(big_kiosk: Kiosk) -> None:
    window = big_kiosk.window
    tools = {
        "text size": window.size_button,
        "contrast": window.contrast_button,
        "read aloud": window.read_button,
    }
    places: dict[str, set[tuple[int, int]]] = defaultdict(set)
    missing = []
    with_tools = 0
    for stop in tour(big_kiosk):
        QApplication.processEvents()
        if not window.help_button.isVisible():
            continue  # a screen that must not be left halfway: no tools
        with_tools += 1
        for name, tool in tools.items():
            if not tool.isVisible():
                missing.append(f"{stop.name}: {name}")
                continue
            corner = tool.mapTo(window, QPoint(0, 0))
            places[name].add((corner.x(), corner.y()))
            assert tool.x() + tool.width() <= window.width(), f"{stop.name}: {name} cut off"
    assert with_tools > 20
    assert missing == []
    assert {name: len(seen) for name, seen in places.items()} == dict.fromkeys(tools, 1)


def test_help_on_the_language_and_text_size_screens(qtbot: QtBot, kiosk: Kiosk) -> None:
    journey, window = kiosk.journey, kiosk.window
    tap(qtbot, primary(kiosk))  # Start: the language screen
    assert isinstance(journey.screen, LanguageScreen)
    tap(qtbot, window.help_button)
    assert isinstance(journey.screen, NoticeScreen)
    back = Words("ko")._("Back to where I was")
    [to_language] = [
        b
        for b in journey.screen.findChildren(QAbstractButton)
        if b.text() == back  # type: ignore[union-attr]
    ]
    tap(qtbot, to_language)
    assert isinstance(journey.screen, LanguageScreen)
    tap(qtbot, journey.screen.buttons["vi"])
    assert isinstance(journey.screen, TextSizeScreen)
    tap(qtbot, window.help_button)
    vi_back = Words("vi")._("Back to where I was")
    [to_size] = [
        b
        for b in journey.screen.findChildren(QAbstractButton)  # type: ignore[union-attr]
        if b.text() == vi_back
    ]
    tap(qtbot, to_size)
    assert isinstance(journey.screen, TextSizeScreen)
    tap(qtbot, primary(kiosk))  # Continue: on to the services, as without the detour
    assert type(journey.screen).__name__ == "FrontDoorScreen"


def window_too_big(kiosk: Kiosk, width: int, height: int) -> list[str]:
    """Every stop of the tour whose window asks for more than the screen (its least
    size) or is larger than it after a resize to the screen's size."""
    window = kiosk.window
    found = []
    for stop in tour(kiosk):
        window.resize(width, height)
        for _ in range(3):
            QApplication.processEvents()
        least = window.minimumSizeHint().expandedTo(window.minimumSize())
        if least.width() > width or least.height() > height:
            found.append(f"{stop.name}: needs {least.width()}x{least.height()}")
        if window.width() > width or window.height() > height:
            found.append(f"{stop.name}: is {window.width()}x{window.height()}")
        if window.bar.sizeHint().width() > width:
            found.append(f"{stop.name}: bar {window.bar.sizeHint().width()} wide")
    return found


def _screen_tour(language: str, screen: str, data_dir: Path) -> list[str]:
    (width, height), dpi = SCREENS[screen]
    config = KioskConfig(
        data_dir=data_dir,
        platform_url="http://127.0.0.1:9",
        defaults=Defaults(language=language, text_size="extra_large", dpi=dpi),
        speech=SpeechSettings(preload=()),  # Read aloud in the bar: the widest bar
    )
    kiosk = Kiosk(config)
    kiosk.start()
    kiosk.window.resize(width, height)
    kiosk.window.show()
    try:
        return [f"{screen}/{language}/{found}" for found in window_too_big(kiosk, width, height)]
    finally:
        kiosk.close()


@pytest.mark.parametrize("language", ["mn"])  # the widest bar; all eight: below, slow
def test_the_window_never_needs_more_than_the_small_screen(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    """At Extra-large on 1280x720 (94 DPI), the whole tour: the bar and every screen fit
    in the screen's width and height (the welcome grew the window to 834 px in mn)."""
    assert _screen_tour(language, "1280x720", tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_window_never_needs_more_than_the_screen_in_any_language(
    qtbot: QtBot, tmp_path: Path, screen: str
) -> None:
    """The same over all eight languages on both screens."""
    found = []
    for n, language in enumerate(LANGUAGE_CODES):
        found += _screen_tour(language, screen, tmp_path / str(n))
    assert found == []
