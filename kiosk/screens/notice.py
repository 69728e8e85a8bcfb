"""A message with up to two answers: "start over?", "saving…", "could not save"."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class NoticeScreen(Page):
    confirmed = Signal()
    cancelled = Signal()

    def __init__(
        self,
        theme: Theme,
        words: Words,
        title: str,
        text: str = "",
        confirm: str = "",
        cancel: str = "",
    ) -> None:
        super().__init__(theme, words)
        self.body.addWidget(label(title, "title"))
        if text:
            self.body.addWidget(label(text))
        if cancel:
            no = button(cancel)
            no.clicked.connect(self.cancelled)
            self.actions.addWidget(no)
        if confirm:
            yes = button(confirm, "primary")
            yes.clicked.connect(self.confirmed)
            self.actions.addWidget(yes)
