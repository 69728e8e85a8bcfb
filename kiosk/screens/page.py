"""The frame every screen shares: a scrolling body and a row of actions at the bottom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n import Words
from kiosk.theme import Theme


class Page(QWidget):
    """Content scrolls rather than being clipped, at any text size and in any language."""

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__()
        self.theme = theme
        self.words = words
        self.setObjectName("screen")
        gap = theme.gap_px
        outer = QVBoxLayout(self)
        outer.setContentsMargins(gap * 3, gap * 2, gap * 3, gap * 2)
        outer.setSpacing(gap * 2)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(gap * 2)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll.setWidget(content)
        outer.addWidget(self.scroll, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(gap * 2)
        outer.addLayout(self.actions)
