"""One question on one page: step N of M, the question, its help, and a widget to answer."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from forms.answers import Answer
from forms.definition import Question
from forms.text import pick
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import NumberPad, button, label


class QuestionScreen(Page):
    answered = Signal(object)
    """Next was tapped; carries the raw answer (choice value, bool, digits or text)."""

    def __init__(
        self,
        theme: Theme,
        words: Words,
        question: Question,
        step: tuple[int, int],
        previous: Answer | None,
    ) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.question = question
        self.value: object = previous
        # A number question puts its pad beside the words, so that at the largest
        # text size both fit on the screen; other questions stack.
        columns = QHBoxLayout()
        columns.setSpacing(theme.gap_px * 4)
        self.words_column = QVBoxLayout()
        self.words_column.setSpacing(theme.gap_px * 2)
        self.words_column.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.answer_column = QVBoxLayout() if question.type == "number" else self.words_column
        self.answer_column.setAlignment(Qt.AlignmentFlag.AlignTop)
        columns.addLayout(self.words_column, 1)
        if self.answer_column is not self.words_column:
            self.answer_column.setSpacing(theme.gap_px * 2)
            columns.addLayout(self.answer_column, 1)
        self.body.addLayout(columns)
        step_text = _("Step {n} of {m}").format(n=words.number(step[0]), m=words.number(step[1]))
        self.words_column.addWidget(label(step_text, "step"))
        self.words_column.addWidget(label(pick(question.label, words.code).text, "title"))
        if question.help:
            self.words_column.addWidget(label(pick(question.help, words.code).text, "muted"))
        self.error: QLabel = label("", "error")
        self.error.hide()
        self.choice_buttons: dict[object, QPushButton] = {}
        self.entry: QLineEdit | None = None
        self.pad: NumberPad | None = None
        if question.type == "single_choice":
            self._choices([(c.value, pick(c.label, words.code).text) for c in question.choices])
        elif question.type == "yes_no":
            self._choices([(True, _("Yes")), (False, _("No"))])
        elif question.type == "number":
            self._number(previous)
        else:
            self._text(previous)
        self.words_column.addWidget(self.error)
        self.next_button = button(_("Next"), "primary")
        self.next_button.clicked.connect(self._next)
        self.actions.addWidget(self.next_button)

    def _choices(self, options: list[tuple[object, str]]) -> None:
        group = QButtonGroup(self)
        group.setExclusive(True)
        grid = QGridLayout()
        grid.setSpacing(self.theme.gap_px * 2)
        for index, (value, text) in enumerate(options):
            choice = button(text, "choice", checkable=True)
            choice.setChecked(value == self.value and self.value is not None)
            choice.clicked.connect(lambda _=False, v=value: self._pick(v))
            group.addButton(choice)
            self.choice_buttons[value] = choice
            grid.addWidget(choice, index, 0)
        self.answer_column.addLayout(grid)

    def _number(self, previous: Answer | None) -> None:
        self.entry = QLineEdit("" if previous is None else str(previous))
        self.entry.setReadOnly(True)
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry.setAccessibleName(pick(self.question.label, self.words.code).text)
        self.pad = NumberPad(
            max_digits=12, delete_text=self.words._("Delete"), clear_text=self.words._("Clear")
        )
        self.pad.text = self.entry.text()
        self.pad.changed.connect(self.entry.setText)
        self.answer_column.addWidget(self.entry)
        self.answer_column.addWidget(self.pad)

    def _text(self, previous: Answer | None) -> None:
        self.entry = QLineEdit("" if previous is None else str(previous))
        self.entry.setMaxLength(max(self.question.max_length * 2, 200))
        self.entry.setAccessibleName(pick(self.question.label, self.words.code).text)
        self.entry.returnPressed.connect(self._next)
        self.answer_column.addWidget(self.entry)
        self.entry.setFocus()

    @Slot()
    def _pick(self, value: object) -> None:
        self.value = value
        self.error.hide()

    @Slot()
    def _next(self) -> None:
        if self.entry is not None:
            self.value = self.entry.text()
        self.answered.emit(self.value)

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.scroll.ensureWidgetVisible(self.error)
