"""One question on one page: step N of M, the question, its help, and a way to answer."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from forms.answers import Answer
from forms.definition import Question, Record
from kiosk.answer_widgets import AnswerInput, ChoiceInput, PadInput, TextInput
from kiosk.date_input import DateInput
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label

PAD_KINDS = ("number", "phone", "resident_number", "date")


class QuestionScreen(Page):
    answered = Signal(object)
    """Next was tapped; carries the raw answer (choice value, list, bool, digits or text)."""
    answered_unknown = Signal()
    """ "I don't know" (or "Skip") was tapped."""

    def __init__(
        self,
        theme: Theme,
        words: Words,
        question: Question,
        step: tuple[int, int],
        previous: Answer,
        records: tuple[Record, ...] = (),
        service_title: str = "",
    ) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.question = question
        # A pad question puts its pad beside the words, so that at the largest text
        # size both fit on the screen; other questions stack.
        columns = QHBoxLayout()
        columns.setSpacing(theme.gap_px * 4)
        self.words_column = QVBoxLayout()
        self.words_column.setSpacing(theme.gap_px * 2)
        beside = question.type in PAD_KINDS
        self.answer_column = QVBoxLayout() if beside else self.words_column
        columns.addLayout(self.words_column, 1)
        if beside:
            self.answer_column.setSpacing(theme.gap_px * 2)
            columns.addLayout(self.answer_column, 1)
        self.body.addLayout(columns)
        step_text = _("Step {n} of {m}").format(n=words.number(step[0]), m=words.number(step[1]))
        if service_title:
            step_text = f"{step_text} · {service_title}"
        self.words_column.addWidget(label(step_text, "step"))
        self.words_column.addWidget(label(words.text(question.label), "title"))
        if question.help:
            self.words_column.addWidget(label(words.text(question.help), "muted"))
        if question.example:
            self.words_column.addWidget(label(words.text(question.example), "muted"))
        if question.type == "records_consent":
            for record in records:
                self.words_column.addWidget(label("• " + words.text(record.label)))
        self.input = self._input(previous)
        self.answer_column.addWidget(self.input)
        if question.unit:
            self.answer_column.addWidget(label(words.text(question.unit), "muted"))
        self.error: QLabel = label("", "error")
        self.error.hide()
        self.words_column.addWidget(self.error)
        self.input.changed.connect(self.error.hide)
        # Stretch, not layout alignment, keeps the columns at the top: an aligned layout
        # gets its size hint's height, and wrapped words would be cut off.
        self.words_column.addStretch(1)
        if beside:
            self.answer_column.addStretch(1)
        self.unknown_button: QPushButton | None = None
        if question.allow_unknown or not question.required:
            text = _("I don't know") if question.allow_unknown else _("Skip this question")
            self.unknown_button = button(text)
            self.unknown_button.clicked.connect(self.answered_unknown)
            self.action_row.addWidget(self.unknown_button)
        self.next_button = button(_("Next"), "primary")
        self.next_button.clicked.connect(self._next)
        self.action_row.addWidget(self.next_button)

    def _input(self, previous: Answer) -> AnswerInput:
        _ = self.words._
        q = self.question
        name = self.words.text(q.label)
        if q.type in ("single_choice", "multiple_choice"):
            options: list[tuple[object, str]] = [
                (c.value, self.words.text(c.label)) for c in q.choices
            ]
            return ChoiceInput(self.theme, options, previous, q.type == "multiple_choice")
        if q.type == "yes_no":
            return ChoiceInput(self.theme, [(True, _("Yes")), (False, _("No"))], previous, False)
        if q.type == "records_consent":
            options = [
                (True, _("Yes, the city may look them up")),
                (False, _("No, I will bring the papers myself")),
            ]
            return ChoiceInput(self.theme, options, previous, False)
        if q.type == "consent":
            return ChoiceInput(self.theme, [(True, _("I agree"))], previous, False)
        if q.type == "date":
            captions = {"year": _("Year"), "month": _("Month"), "day": _("Day")}
            return DateInput(self.theme, self.words.locale, captions, previous,
                             _("Delete"), _("Clear"), name)  # fmt: skip
        if q.type in PAD_KINDS:
            # Grouped as typed, except a year (1950, not 1,950).
            group = self.words.number if q.type == "number" and q.hint != "year" else None
            return PadInput(self.theme, q.type, previous, name, _("Delete"), _("Clear"),
                            group=group)  # fmt: skip
        if q.type == "info":
            return AnswerInput()
        text = TextInput(previous, q.max_length, name)
        text.entry.returnPressed.connect(self._next)
        text.entry.setFocus()
        return text

    # Shortcuts the tests and the screenshot tool use to reach the parts of the input.
    @property
    def choice_buttons(self) -> dict[object, QPushButton]:
        return self.input.buttons if isinstance(self.input, ChoiceInput) else {}

    @property
    def pad(self):  # type: ignore[no-untyped-def]
        return self.input.pad if isinstance(self.input, PadInput | DateInput) else None

    @property
    def entry(self) -> QLineEdit | None:
        if isinstance(self.input, TextInput):
            return self.input.entry
        if isinstance(self.input, PadInput):
            return self.input.display
        return None

    @Slot()
    def _next(self) -> None:
        self.answered.emit(self.input.value())

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.scroll_area.ensureWidgetVisible(self.error)
