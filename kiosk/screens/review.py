"""Every answer before anything is sent, each with a way to change it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout

from forms.session import ReviewLine
from forms.text import pick
from kiosk.i18n import Words
from kiosk.messages import answer_text
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class ReviewScreen(Page):
    change_requested = Signal(str)
    submitted = Signal()

    def __init__(self, theme: Theme, words: Words, lines: list[ReviewLine]) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Check your answers"), "title"))
        self.body.addWidget(label(_("Tap “Change” to correct an answer."), "muted"))
        self.change_buttons = {}
        for line in lines:
            row = QFrame()
            grid = QGridLayout(row)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(theme.gap_px * 2)
            grid.addWidget(label(pick(line.question.label, words.code).text, "muted"), 0, 0)
            grid.addWidget(label(answer_text(words, line.question, line.answer)), 1, 0)
            change = button(_("Change"))
            change.setAccessibleName(
                _("Change: {question}").format(question=pick(line.question.label, words.code).text)
            )
            change.clicked.connect(
                lambda _=False, q=line.question.id: self.change_requested.emit(q)
            )
            self.change_buttons[line.question.id] = change
            grid.addWidget(change, 0, 1, 2, 1)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 1)
            self.body.addWidget(row)
        send = button(_("Send the application"), "primary")
        send.clicked.connect(self.submitted)
        self.actions.addWidget(send)
