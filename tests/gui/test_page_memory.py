"""Pages come and go on every tap for months: making one must leave nothing behind in
Python (PySide6 keeps an enum class for each new gesture type number it sees)."""

from __future__ import annotations

import enum
import gc

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme

pytestmark = pytest.mark.gui


def _enum_classes() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, enum.EnumType))


def test_a_thousand_pages_leave_no_enum_classes_behind(qtbot: QtBot) -> None:
    theme, words = Theme(102.0, "standard", "en"), Words("en")

    def make_pages(count: int) -> None:
        for _ in range(count):
            page = Page(theme, words)
            page.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    make_pages(5)  # the first ones create PySide6's enums lazily, once
    before = _enum_classes()
    make_pages(1000)
    assert _enum_classes() - before < 5
