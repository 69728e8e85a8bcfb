"""The kiosk's own start (main.py): the welcome screen is drawn before the journey exists,
and the journey takes over that same screen just after its first paint."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.language import LanguageScreen
from kiosk.screens.welcome import WelcomeScreen
from reference_platform.local import LocalPlatform

pytestmark = pytest.mark.gui

HEAVY = ("kiosk.journey", "kiosk.staff.entrance", "kiosk.backend", "httpx", "jsonschema")


def _config(tmp_path: Path, url: str, low_position: bool = False) -> KioskConfig:
    return KioskConfig(
        data_dir=tmp_path / "device",
        platform_url=url,
        defaults=Defaults(language="th", text_size="large", low_position=low_position),
        sync_every_ms=60_000,
        speech=None,
    )


def test_the_journey_takes_over_the_welcome_screen_already_shown(
    qtbot: QtBot, tmp_path: Path, platform: LocalPlatform
) -> None:
    kiosk = Kiosk(_config(tmp_path, platform.url), welcome_first=True)
    try:
        kiosk.start()
        shown = kiosk.window.page
        assert isinstance(shown, WelcomeScreen)
        assert not kiosk.assembled  # nothing past the welcome screen is built yet
        qtbot.waitUntil(lambda: kiosk.assembled, timeout=10_000)
        # The same widget, now the journey's: not drawn twice, nothing flickers.
        assert kiosk.window.page is shown
        assert kiosk.journey.screen is shown
        assert kiosk.journey.language == "th" and kiosk.journey.text_size == "large"
        qtbot.mouseClick(shown.status_button, Qt.MouseButton.LeftButton)
        assert isinstance(kiosk.window.page, LanguageScreen)
    finally:
        kiosk.close()


def test_a_low_position_kiosk_shows_its_first_welcome_low(
    qtbot: QtBot, tmp_path: Path, platform: LocalPlatform
) -> None:
    """Set up for wheelchair users: the welcome drawn before the journey exists is low
    too, so nothing jumps when the journey takes it over."""
    kiosk = Kiosk(_config(tmp_path, platform.url, low_position=True), welcome_first=True)
    try:
        kiosk.start()
        assert not kiosk.assembled and kiosk.window.reach_gap.isVisible()
        qtbot.waitUntil(lambda: kiosk.assembled, timeout=10_000)
        assert kiosk.window.reach_gap.isVisible()
    finally:
        kiosk.close()


def test_a_kiosk_that_is_not_set_up_is_built_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    kiosk = Kiosk(_config(tmp_path, ""), welcome_first=True)
    try:
        assert kiosk.assembled
        kiosk.start()
        assert not isinstance(kiosk.window.page, WelcomeScreen)  # the not-set-up notice
    finally:
        kiosk.close()


def _run_probe(probe: str, platform: str) -> subprocess.CompletedProcess[str]:
    """`probe` in a Python process of its own (a kiosk started from nothing), on the Qt
    platform given; it must end well."""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": platform},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_welcome_screen_needs_none_of_the_heavy_modules(tmp_path: Path) -> None:
    """What makes the cold start short: none of these is imported before the first
    paint (`make bench` has the figure; this says why it holds)."""

    probe = f"""
import os
import subprocess
import sys
from pathlib import Path
from kiosk.input_context import enable_virtual_keyboard
enable_virtual_keyboard()
from kiosk.app import Kiosk, application
from kiosk.config import Defaults, KioskConfig
app = application()
kiosk = Kiosk(KioskConfig(data_dir=Path({str(tmp_path / "device")!r}),
              platform_url="http://127.0.0.1:9", defaults=Defaults(), speech=None),
              welcome_first=True)
kiosk.start()
print(" ".join(m for m in {HEAVY!r} if m in sys.modules))
kiosk.close()
"""
    done = _run_probe(probe, "offscreen")
    assert done.stdout.strip() == ""


def test_a_full_screen_kiosk_is_laid_out_for_its_own_screen(tmp_path: Path) -> None:
    """A 1280x720 kiosk at Extra-large in Mongolian: the first screen is laid out for
    1280 px, not for 1920 px and then shrunk (the bar's words chosen for 1920 held the
    window 1316-1530 px wide, past the screen)."""
    screens = tmp_path / "screens.json"
    screens.write_text(
        '{"screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 1280, "height": 720,'
        ' "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}',
        encoding="utf-8",
    )
    probe = f"""
from pathlib import Path
from kiosk.app import Kiosk, application
from kiosk.config import Defaults, KioskConfig
app = application()
kiosk = Kiosk(KioskConfig(data_dir=Path({str(tmp_path / "device")!r}),
              platform_url="http://127.0.0.1:9", speech=None, fullscreen=True,
              defaults=Defaults(language="mn", text_size="extra_large", dpi=94.0)),
              welcome_first=True)
widths = []
from PySide6.QtCore import QEvent, QObject
class Sizes(QObject):
    def eventFilter(self, watched, event):
        if watched is kiosk.window and event.type() == QEvent.Type.Resize:
            widths.append(event.size().width())
        return False
sizes = Sizes()
kiosk.window.installEventFilter(sizes)
kiosk.start()
for _ in range(20):
    app.processEvents()
print(kiosk.window.width(), kiosk.window.height(), max(widths))
kiosk.close()
"""
    done = _run_probe(probe, f"offscreen:configfile={screens}")
    assert done.stdout.split() == ["1280", "720", "1280"], done.stdout
