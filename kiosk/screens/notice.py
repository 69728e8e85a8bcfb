"""A message with up to two answers: "start over?", "saving…", "could not save"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QPushButton

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label, line_tall_px

TOOLS_PER_ROW = 4


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
        self.text_label = label(text) if text else None
        if self.text_label is not None:
            self.body.addWidget(self.text_label)
        self.tools_row: QGridLayout | None = None
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
            # Their words wrap rather than being cut (two long answers side by side at
            # Extra-large on a 1280 px screen, in Russian).
            choice = button(text, "primary" if index == 1 else "", wrap=True)
            choice.clicked.connect(signal)
            setattr(self, f"{which}_button", choice)
            self.action_row.addWidget(choice)

    def add_tool(self, text: str, action: Callable[[], None]) -> QPushButton:
        """A further choice on the page itself (the help screen's text size and colours)."""
        if self.tools_row is None:  # made on first use: an empty row upsets the layout
            self.tools_row = QGridLayout()
            self.tools_row.setSpacing(self.theme.gap_px * 2)
            self.body.addLayout(self.tools_row)
        # On one row at Standard; two to a row from Large up, where four of them
        # (Slower, Faster, Quieter, Louder) do not fit their words on one.
        per_row = TOOLS_PER_ROW if self.theme.text_size == "standard" else 2
        index = self.tools_row.count()
        tool = button(text)
        tool.clicked.connect(action)
        if per_row == 2:  # as tall as a line of words needs (12 mm and more)
            tool.setStyleSheet(f"min-height: {line_tall_px(self.theme, self.font(), 1.0)}px;")
        if index == 0 and self.text_label is not None:
            # With tools to reach, the explanation gives way when the page would scroll
            # (it is read aloud all the same): the tools and the answers stay in view.
            self.scroll_area.verticalScrollBar().rangeChanged.connect(self._make_room)
        self.tools_row.addWidget(tool, index // per_row, index % per_row)
        return tool

    def _make_room(self, _low: int, high: int) -> None:
        if high > 0 and self.text_label is not None:
            self.text_label.hide()
