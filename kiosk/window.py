"""The kiosk's frame: the bar that is the same on every screen, and the current screen.

Only one screen widget exists at a time; the previous one is deleted, so nothing a
resident typed lingers in a hidden widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMainWindow, QVBoxLayout, QWidget

from kiosk.i18n import Words
from kiosk.theme import Theme
from kiosk.widgets import button, label


class KioskWindow(QMainWindow):
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
        self.name = label("Ieum · 이음", "muted")
        bar_layout.addWidget(self.back_button, 0)
        bar_layout.addWidget(self.name, 1)
        bar_layout.addWidget(self.home_button, 0)
        self.layout_.addWidget(self.bar)
        self.page: QWidget | None = None
        self._theme: Theme | None = None
        self._on_back: Callable[[], None] | None = None
        self._on_home: Callable[[], None] | None = None
        self.back_button.clicked.connect(self._back)
        self.home_button.clicked.connect(self._home)
        self.setCentralWidget(root)

    def show_page(
        self,
        page: QWidget,
        theme: Theme,
        words: Words,
        on_back: Callable[[], None] | None,
        on_home: Callable[[], None] | None,
    ) -> None:
        """Replace the current screen; Back and Home show only where they lead somewhere."""
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
        gap = theme.gap_px
        self.bar.layout().setContentsMargins(gap * 3, gap, gap * 3, gap)
        self.bar.layout().setSpacing(gap * 2)
        self._on_back, self._on_home = on_back, on_home
        self.back_button.setVisible(on_back is not None)
        self.home_button.setVisible(on_home is not None)
        if self.page is not None:
            self.layout_.removeWidget(self.page)
            self.page.hide()
            self.page.deleteLater()
        self.page = page
        self.layout_.addWidget(page, 1)
        page.show()

    @Slot()
    def _back(self) -> None:
        if self._on_back is not None:
            self._on_back()

    @Slot()
    def _home(self) -> None:
        if self._on_home is not None:
            self._on_home()
