"""Screens in all eight languages: the right fonts are installed and used, and every
character shown has a glyph in them (no tofu boxes), Chinese in its own letterforms."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from pytestqt.qtbot import QtBot

from forms.languages import LANGUAGE_CODES, LANGUAGES, language
from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from tools.screenshot import go_to, render

pytestmark = pytest.mark.gui


def test_every_font_family_we_name_is_installed(qtbot: QtBot) -> None:
    installed = set(QFontDatabase.families())
    named = {family for lang in LANGUAGES for family in lang.font_families}
    assert named - installed == set()


def _missing_glyphs(widget_font: QFont, families: list[str], text: str) -> list[str]:
    metrics = [QFontMetrics(QFont(f, widget_font.pointSize())) for f in families]
    missing = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch).startswith("C"):
            continue
        if not any(m.inFontUcs4(ord(ch)) for m in metrics):
            missing.append(ch)
    return missing


@pytest.mark.parametrize("code", LANGUAGE_CODES)
@pytest.mark.parametrize("screen", ["welcome", "question", "review"])
def test_screen_text_has_glyphs_in_the_languages_fonts(
    qtbot: QtBot, tmp_path: Path, code: str, screen: str
) -> None:
    config = KioskConfig(tmp_path, "http://127.0.0.1:9", Defaults(language=code))
    kiosk = Kiosk(config)
    kiosk.start_speech()  # at once, as after the first paint
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    go_to(kiosk, screen)
    QApplication.processEvents()
    families = list(language(code).font_families)
    assert QFontInfo(kiosk.window.font()).family() == families[0]
    widgets = kiosk.window.findChildren(QLabel) + kiosk.window.findChildren(QAbstractButton)
    shown = [w for w in widgets if w.isVisible() and w.text()]
    assert len(shown) >= 3
    for widget in shown:
        if widget.text() in {lang.native_name for lang in LANGUAGES}:
            continue  # a language's own name is drawn in that language's font
        missing = _missing_glyphs(widget.font(), families, widget.text())
        assert missing == [], f"{code} {screen}: no glyph for {missing} in {widget.text()!r}"
    kiosk.close()


def test_chinese_uses_the_simplified_chinese_face(qtbot: QtBot, tmp_path: Path) -> None:
    """The same code point is drawn differently by the SC and JP faces: check the face."""
    for code, face in (("zh_Hans", "Noto Sans CJK SC"), ("ja", "Noto Sans CJK JP")):
        out = render("question", code, "standard", tmp_path / f"{code}.png")
        assert not QImage(str(out)).isNull()
        config = KioskConfig(tmp_path / code, "http://127.0.0.1:9", Defaults(language=code))
        kiosk = Kiosk(config)
        kiosk.start_speech()  # at once, as after the first paint
        go_to(kiosk, "question")
        assert QFontInfo(kiosk.window.font()).family() == face
        kiosk.close()


def test_each_language_is_offered_in_its_own_script_and_font(qtbot: QtBot, tmp_path: Path) -> None:
    config = KioskConfig(tmp_path, "http://127.0.0.1:9", Defaults(language="en"))
    kiosk = Kiosk(config)
    kiosk.start_speech()  # at once, as after the first paint
    kiosk.window.show()
    go_to(kiosk, "language")
    buttons = kiosk.journey.screen.buttons  # type: ignore[union-attr]
    for lang in LANGUAGES:
        choice = buttons[lang.code]
        assert choice.text() == lang.native_name
        assert QFontInfo(choice.font()).family() == lang.font_families[0]
        assert _missing_glyphs(choice.font(), list(lang.font_families), lang.native_name) == []
    kiosk.close()
