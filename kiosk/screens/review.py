"""Every answer before anything is sent, each with a way to change it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton

from forms.session import SHARED, ReviewLine
from kiosk.i18n import Words
from kiosk.messages import answer_text
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class ReviewScreen(Page):
    change_requested = Signal(str, str)
    """(question id, scope): the resident wants to change this answer."""
    submitted = Signal()

    def __init__(
        self, theme: Theme, words: Words, lines: list[ReviewLine], titles: Mapping[str, str]
    ) -> None:
        """`titles` maps each scope to its heading: "About you", then each service's title."""
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Check your answers"), "title"))
        self.body.addWidget(label(_("Tap “Change” to correct an answer."), "muted"))
        self.change_buttons: dict[str, QPushButton] = {}
        heading = None
        for line in lines:
            if line.scope != heading:
                heading = line.scope
                self.body.addWidget(label(titles.get(line.scope, ""), "section"))
            if line.question.type == "info":
                continue
            row = QFrame()
            grid = QGridLayout(row)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setHorizontalSpacing(theme.gap_px * 2)
            asked = words.text(line.question.label)
            grid.addWidget(label(asked, "muted"), 0, 0)
            # The resident checks their own answers here, so they are shown in clear, but
            # a resident registration number only ever shows its birth-date part.
            in_clear = line.question.type != "resident_number"
            grid.addWidget(label(answer_text(words, line.question, line.answer, in_clear)), 1, 0)
            change = button(_("Change"))
            change.setAccessibleName(_("Change: {question}").format(question=asked))
            change.clicked.connect(
                lambda _=False, q=line.question.id, s=line.scope: self.change_requested.emit(q, s)
            )
            key = line.question.id if line.scope == SHARED else f"{line.scope}.{line.question.id}"
            self.change_buttons[key] = change
            grid.addWidget(change, 0, 1, 2, 1)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 1)
            self.body.addWidget(row)
        send = button(_("Send the application"), "primary")
        send.clicked.connect(self.submitted)
        self.action_row.addWidget(send)
