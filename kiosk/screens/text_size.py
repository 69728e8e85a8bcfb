"""Choose a text size; the sample on each button is drawn at that size."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class TextSizeScreen(Page):
    picked = Signal(str)
    """A size was tapped: the screen is redrawn at that size so the resident sees it."""
    confirmed = Signal()

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Choose a text size"), "title"))
        names = {
            "standard": _("Standard text"),
            "large": _("Large text"),
            "extra_large": _("Extra large text"),
        }
        self.buttons = {}
        for size, name in names.items():
            sample = Theme(self.theme.dpi, size, self.theme.language)
            choice = button(name, checkable=True)
            choice.setChecked(size == self.theme.text_size)
            choice.setStyleSheet(
                f"font-size: {sample.font_px}px; min-height: {sample.primary_px}px;"
            )
            choice.clicked.connect(lambda _=False, s=size: self.picked.emit(s))
            self.buttons[size] = choice
            self.body.addWidget(choice)
        go_on = button(_("Continue"), "primary")
        go_on.clicked.connect(self.confirmed)
        self.action_row.addWidget(go_on)
