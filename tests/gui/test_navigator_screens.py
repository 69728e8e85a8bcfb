"""The screenshot audit over the navigator's screens and the resident's screens of an
assisted visit (consent, the "assisted by" strip, the paused-application code): no
clipped text, no small or crowded controls, nothing off the screen, in every language.
(tools/tour.py walks the resident's own screens, the welcome and help ones included,
with their Staff button.)"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forms.languages import LANGUAGE_CODES
from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.speech.settings import SpeechSettings
from kiosk.staff.sign_in import SignInScreen, refusal_text
from sync.drafts import DraftInfo
from sync.navigators import Navigator, SignInRefused, create_navigator
from sync.store import Store
from tools.screen_audit import audit
from tools.tour import REFERENCE_DPI, REFERENCE_SCREEN

pytestmark = pytest.mark.gui

NAVIGATOR = Navigator("nav-test", "Navigator Test Kim", "navigator")


def _settle() -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(4):
        app.processEvents()


def _until_shown(kiosk: Kiosk, kind: type) -> None:
    deadline = time.monotonic() + 10
    while not isinstance(kiosk.journey.screen, kind) and time.monotonic() < deadline:
        _settle()
        time.sleep(0.01)


def _stops(kiosk: Kiosk) -> list[tuple[str, Callable[[], object]]]:
    journey, staff = kiosk.journey, kiosk.staff
    now = time.time()
    titles = [journey.words.text(journey.catalog.service("digital-device-access").title)]
    drafts = [
        DraftInfo(("digital-device-access", "youth-monthly-rent"), now, now + 14 * 86400, False),
        DraftInfo(("digital-device-access",), now - 86400, now + 13 * 86400, True),
    ]

    def sign_in() -> None:
        staff.open()
        _until_shown(kiosk, SignInScreen)  # the staff list is read on the store's worker
        screen = journey.screen
        assert isinstance(screen, SignInScreen)
        screen.show_problem(refusal_text(journey.words, SignInRefused("locked", 95)))

    def signed_in() -> None:
        staff.navigator = NAVIGATOR
        staff.show_menu()
        staff._update_strip()

    def consent() -> None:
        journey.start_applications(["digital-device-access"])
        staff.ask_consent(journey.show_current)

    def keep_or_clear() -> None:
        staff._return_to = journey.redraw
        staff._after_sign_in()

    return [
        ("sign_in", sign_in),
        ("menu", signed_in),
        ("resume", staff.show_resume),
        ("drafts", lambda: staff._drafts_listed(drafts)),
        ("consent", consent),
        ("assisted_question", lambda: staff._consented(journey.show_current)),
        ("keep_or_clear", keep_or_clear),
        ("draft_saved", lambda: staff._show_code("7KQ2M-XD4RB", titles, now + 14 * 86400)),
    ]


def _audit(tmp_path: Path, language: str, size: str, contrast: str) -> list[str]:
    config = KioskConfig(
        tmp_path / f"{language}-{size}-{contrast}",
        "http://127.0.0.1:9",
        Defaults(language=language, text_size=size, contrast=contrast, dpi=REFERENCE_DPI),
        speech=SpeechSettings(preload=()),
    )
    store = Store(config.data.store)
    for name in ("Navigator Test Kim", "Navigator Test Park-Oyunbileg"):
        create_navigator(store, name, "582039", time.time())
    store.close()
    kiosk = Kiosk(config)
    kiosk.start_speech()  # at once, as after the first paint
    width, height = REFERENCE_SCREEN
    kiosk.window.resize(width, height)
    kiosk.window.show()
    found = []
    try:
        for name, show in _stops(kiosk):
            show()
            _settle()
            theme = kiosk.journey.theme
            found += [f"{name}: {f}" for f in audit(kiosk.window, theme, QSize(width, height))]
    finally:
        kiosk.journey.end_session()
        kiosk.close()
        _settle()
    return found


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_no_findings_at_the_largest_text(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    assert _audit(tmp_path, language, "extra_large", "normal") == []


@pytest.mark.parametrize("contrast", ["normal", "high_contrast"])
@pytest.mark.parametrize("size", ["standard", "large"])
def test_no_findings_at_other_sizes(qtbot: QtBot, tmp_path: Path, size: str, contrast: str) -> None:
    assert _audit(tmp_path, "mn", size, contrast) == []
