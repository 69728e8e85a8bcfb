"""A message with up to two answers: "start over?", "saving…", "could not save"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton

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
        safe_first: bool = False,
    ) -> None:
        """`safe_first`: cancelling is the big (primary) answer and confirming the quiet
        one, where confirming destroys something ("Yes, start over")."""
        super().__init__(theme, words)
        self.body.addWidget(label(title, "title"))
        if text:
            self.body.addWidget(label(text))
        self.tools_row: QHBoxLayout | None = None
        self.staff_button: QPushButton | None = None
        """The quiet staff entrance, where a notice offers one (help, not set up)."""
        self.confirm_button: QPushButton | None = None
        self.cancel_button: QPushButton | None = None
        # The primary answer stays where Next always is (on the right), so a habitual
        # tap there is the safe one.
        answers = [(cancel, self.cancelled, "cancel"), (confirm, self.confirmed, "confirm")]
        if safe_first:
            answers.reverse()
        for index, (text, signal, which) in enumerate(answers):
            if not text:
                continue
            choice = button(text, "primary" if index == 1 else "")
            choice.clicked.connect(signal)
            setattr(self, f"{which}_button", choice)
            self.action_row.addWidget(choice)

    def add_tool(self, text: str, action: Callable[[], None]) -> QPushButton:
        """A further choice on the page itself (the help screen's text size and colours)."""
        if self.tools_row is None:  # made on first use: an empty row upsets the layout
            self.tools_row = QHBoxLayout()
            self.tools_row.setSpacing(self.theme.gap_px * 2)
            self.body.addLayout(self.tools_row)
        tool = button(text)
        tool.clicked.connect(action)
        self.tools_row.addWidget(tool)
        return tool
