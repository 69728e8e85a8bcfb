"""Shown over the screen when nobody has touched it for a while: the answers stay
underneath, untouched, unless the time runs out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk.i18n import Words
from kiosk.theme import Theme
from kiosk.widgets import button, label


class IdleWarning(QFrame):
    more_time = Signal()

    def __init__(self, theme: Theme, words: Words, seconds: int) -> None:
        super().__init__()
        self.words = words
        self.setObjectName("overlay")
        self.setStyleSheet(
            f"QFrame#overlay {{ background: {theme.colours.background}; }}"
            f" QFrame#card {{ background: {theme.colours.surface};"
            f" border: 4px solid {theme.colours.primary}; border-radius: {theme.gap_px}px; }}"
        )
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(theme.px(320))
        inner = QVBoxLayout(card)
        gap = theme.gap_px
        inner.setContentsMargins(gap * 4, gap * 4, gap * 4, gap * 4)
        inner.setSpacing(gap * 3)
        _ = words._
        inner.addWidget(label(_("Are you still there?"), "title"))
        self.countdown = label("")
        inner.addWidget(self.countdown)
        self.button = button(_("I need more time"), "primary")
        self.button.clicked.connect(self.more_time)
        inner.addWidget(self.button)
        outer.addWidget(card)
        self.set_seconds(seconds)

    def set_seconds(self, seconds: int) -> None:
        self.countdown.setText(
            self.words.n_(
                "To keep your answers private, this screen will start over in {count} second.",
                "To keep your answers private, this screen will start over in {count} seconds.",
                seconds,
            ).format(count=self.words.number(seconds))
        )
