"""Every answer before anything is sent, each with a way to change it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from forms.session import SHARED, ReviewLine
from kiosk.i18n import Words
from kiosk.messages import answer_text
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


def key_of(line: ReviewLine) -> str:
    """How the tests and tools name a line: the question id, with its service's id
    in front for a service's own question."""
    return line.question.id if line.scope == SHARED else f"{line.scope}.{line.question.id}"


class _Answer(QLabel):
    """An answer that asks for its whole width on one line (a wrapped label's own
    guess is narrower, and short answers broke over two lines), yet wraps when the
    row has less room than that."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = max(self.fontMetrics().horizontalAdvance(line) for line in self.text().split("\n"))
        return QSize(width + 2 * self.margin() + self.contentsMargins().left() * 2 + 2,
                     hint.height())  # fmt: skip


class _ChangeButton(QPushButton):
    """Never narrower than its word: the style sheet's min-width is only the touch
    minimum, and beside a long answer the row would squeeze the button to it."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.setMinimumWidth(super().sizeHint().width())
        return handled


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
        self.answers: dict[str, QLabel] = {}
        heading = None
        for line in lines:
            if line.scope != heading:
                heading = line.scope
                self.body.addWidget(label(titles.get(line.scope, ""), "section"))
            if line.question.type == "info":
                continue
            row = QFrame()
            column = QVBoxLayout(row)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(theme.gap_px)
            asked = words.text(line.question.label)
            column.addWidget(label(asked, "muted"))
            # "Change" right after its answer, not at the far edge of the page (at
            # 1920 px it sat ~1,000 px away, closer to nothing than to what it changes).
            beside = QHBoxLayout()
            beside.setSpacing(theme.gap_px * 3)
            # The resident checks their own answers here, so they are shown in clear, but
            # a resident registration number only ever shows its birth-date part.
            in_clear = line.question.type != "resident_number"
            answer = _Answer(answer_text(words, line.question, line.answer, in_clear))
            self.answers[key_of(line)] = answer
            beside.addWidget(answer, 0)
            change = _ChangeButton(_("Change"))
            change.setAccessibleName(_("Change: {question}").format(question=asked))
            change.clicked.connect(
                lambda _=False, q=line.question.id, s=line.scope: self.change_requested.emit(q, s)
            )
            self.change_buttons[key_of(line)] = change
            beside.addWidget(change, 0, Qt.AlignmentFlag.AlignVCenter)
            beside.addStretch(1)
            column.addLayout(beside)
            self.body.addWidget(row)
        send = button(_("Send the application"), "primary")
        send.clicked.connect(self.submitted)
        self.action_row.addWidget(send)
