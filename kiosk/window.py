"""The kiosk's frame: the bar that is the same on every screen, and the current screen.

Only one screen widget exists at a time; the previous one is deleted, so nothing a
resident typed lingers in a hidden widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms.languages import language
from kiosk.i18n import Words
from kiosk.theme import HIGH_CONTRAST, Theme
from kiosk.widgets import button, label


class KioskWindow(QMainWindow):
    help_requested = Signal()
    text_size_requested = Signal()
    contrast_requested = Signal()
    language_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Ieum")
        root = QWidget()
        root.setObjectName("screen")
        self.layout_ = QVBoxLayout(root)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(0)
        self.bar = QFrame()
        self.bar.setObjectName("bar")
        bar_layout = QHBoxLayout(self.bar)
        self.back_button = button("")
        self.home_button = button("")
        self.help_button = button("")
        self.size_button = button("")
        self.contrast_button = button("")
        self.language_button = button("")
        self.name = label("Ieum · 이음", "muted")
        self.back_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        bar_layout.addWidget(self.back_button, 0)
        bar_layout.addWidget(self.name, 0)
        bar_layout.addStretch(1)
        for tool in (self.help_button, self.language_button, self.size_button,
                     self.contrast_button, self.home_button):  # fmt: skip
            tool.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            bar_layout.addWidget(tool, 0)
        self.layout_.addWidget(self.bar)
        self.page: QWidget | None = None
        self._theme: Theme | None = None
        self._on_back: Callable[[], None] | None = None
        self._on_home: Callable[[], None] | None = None
        self.back_button.clicked.connect(self._back)
        self.home_button.clicked.connect(self._home)
        self.help_button.clicked.connect(self.help_requested)
        self.size_button.clicked.connect(self.text_size_requested)
        self.contrast_button.clicked.connect(self.contrast_requested)
        self.language_button.clicked.connect(self.language_requested)
        self.overlay: QWidget | None = None
        self.setCentralWidget(root)

    def show_page(
        self,
        page: QWidget,
        theme: Theme,
        words: Words,
        on_back: Callable[[], None] | None,
        on_home: Callable[[], None] | None,
        tools: bool = True,
    ) -> None:
        """Replace the current screen; Back and Home show only where they lead somewhere.

        `tools` (help, language, text size, contrast) are on every screen except the
        few that must not be left halfway (saving, a question the resident must answer
        first).
        """
        _ = words._
        if theme != self._theme:  # re-styling every widget costs ~10 ms a tap: only on change
            font = QFont()
            font.setFamilies(theme.font_families())
            font.setPixelSize(theme.font_px)
            self.setFont(font)
            self.setStyleSheet(theme.style_sheet())
            self._theme = theme
        self.back_button.setText("← " + _("Back"))
        self.home_button.setText(_("Start over"))
        self.help_button.setText(_("Help"))
        self.size_button.setText(_("Text size"))
        self.contrast_button.setText(
            _("Normal colours") if theme.colours is HIGH_CONTRAST else _("High contrast")
        )
        self.language_button.setText(words.language.native_name)
        self.language_button.setFont(_font_for(theme, words.language.code))
        gap = theme.gap_px
        self.bar.layout().setContentsMargins(gap * 3, gap, gap * 3, gap)
        self.bar.layout().setSpacing(gap * 2)
        self._on_back, self._on_home = on_back, on_home
        self.back_button.setVisible(on_back is not None)
        self.home_button.setVisible(on_home is not None)
        for tool in (self.help_button, self.size_button, self.contrast_button,
                     self.language_button):  # fmt: skip
            tool.setVisible(tools)
        # At the largest sizes the bar keeps only what it has room for; the rest is
        # one tap away on the help screen.
        crowded = theme.text_size == "extra_large"
        self.size_button.setVisible(tools and not crowded)
        self.contrast_button.setVisible(tools and not crowded)
        self.name.setVisible(not crowded)
        if self.page is not None:
            self.layout_.removeWidget(self.page)
            self.page.hide()
            self.page.deleteLater()
        self.page = page
        self.layout_.addWidget(page, 1)
        page.show()
        if self.overlay is not None:
            self.overlay.raise_()

    def show_overlay(self, overlay: QWidget) -> None:
        """A message over the current screen, which stays as it is underneath."""
        self.hide_overlay()
        central = self.centralWidget()
        overlay.setParent(central)
        overlay.setGeometry(central.rect())
        overlay.show()
        overlay.raise_()
        self.overlay = overlay

    def hide_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.overlay is not None:
            self.overlay.setGeometry(self.centralWidget().rect())

    @Slot()
    def _back(self) -> None:
        if self._on_back is not None:
            self._on_back()

    @Slot()
    def _home(self) -> None:
        if self._on_home is not None:
            self._on_home()


def _font_for(theme: Theme, code: str) -> QFont:
    font = QFont()
    font.setFamilies(list(language(code).font_families))
    font.setPixelSize(theme.font_px)
    return font
