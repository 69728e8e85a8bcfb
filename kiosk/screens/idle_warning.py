"""Shown over the screen when nobody has touched it for a while: the answers stay
underneath, untouched, unless the time runs out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
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
        card = QFrame()
        card.setObjectName("card")
        # A fixed width, so its wrapped words get the height they need at that width
        # (centred in both directions, a card would only get its one-line height).
        card.setFixedWidth(theme.px(320))
        self._words_width = theme.px(320) - 2 * (theme.gap_px * 4 + 4)  # margins, border
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
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.set_seconds(seconds)

    def set_seconds(self, seconds: int) -> None:
        self.countdown.setText(
            self.words.n_(
                "To keep your answers private, this screen will start over in {count} second.",
                "To keep your answers private, this screen will start over in {count} seconds.",
                seconds,
            ).format(count=self.words.number(seconds))
        )
        self._fit_words()

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_words()  # now in the window, with the window's fonts
        super().showEvent(event)

    def _fit_words(self) -> None:
        """Qt's layouts size a wrapped label by a guessed width; give it the lines it
        needs at the card's real width, or the last line is cut off at large sizes."""
        self.countdown.ensurePolished()
        self.countdown.setMinimumHeight(self.countdown.heightForWidth(self._words_width))
