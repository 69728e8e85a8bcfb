"""The answer input a question asks for: choices, a number pad (numbers, phones, resident
numbers, digits-only text like a card number), labelled date fields, or typed text with
the right input hints. Never a dropdown (kiosk.answer_widgets).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from forms.answers import Answer
from forms.definition import Question
from kiosk.amounts import Amounts
from kiosk.answer_widgets import AnswerInput, ChoiceInput, PadInput, TextInput
from kiosk.date_input import DateInput
from kiosk.i18n import Words
from kiosk.theme import Theme

PAD_KINDS = ("number", "phone", "resident_number", "date")
DIGITS_ONLY = re.compile(r"^\^?(\[0-9\]|\\d)\{(\d+)\}\$?$")
"""A text answer that can only be digits (a 16-digit transport card number): the number
pad, not a letter keyboard."""
CASELESS = ("ko", "ja", "zh_Hans", "th")
"""Languages whose letters have no capitals: the keyboard must not open on its shift
layer (Thai's shift layer is other letters and digits: ๑๒๓ ฎ ฑ ธ)."""


def digits_only(question: Question) -> int:
    """How many digits a text question wants, if it can only be digits; else 0."""
    if question.type != "short_text" or not question.pattern:
        return 0
    found = DIGITS_ONLY.match(question.pattern)
    return int(found.group(2)) if found else 0


class DigitsInput(PadInput):
    """A digits-only text answer (a card number) on the number pad."""

    def __init__(
        self, theme: Theme, digits: int, previous: Answer, name: str, delete: str, clear: str
    ) -> None:
        super().__init__(theme, "number", previous, name, delete, clear)
        self.kind = "digits"  # shown and given back as typed, like a number's digits
        self.pad.max_digits = digits


def answer_input(
    theme: Theme, words: Words, q: Question, previous: Answer, amounts: Amounts
) -> AnswerInput:
    """The input for `q`, showing `previous`; `amounts`: a line in won under each
    income choice (kiosk.amounts)."""
    _ = words._
    name = words.text(q.label)
    if q.type in ("single_choice", "multiple_choice"):
        options: list[tuple[object, str]] = [
            (c.value, "\n".join(filter(None, (words.text(c.label), amounts.lines.get(c.value)))))
            for c in q.choices
        ]
        return ChoiceInput(theme, options, previous, q.type == "multiple_choice")
    if q.type == "yes_no":
        return ChoiceInput(theme, [(True, _("Yes")), (False, _("No"))], previous, False)
    if q.type == "records_consent":
        options = [
            (True, _("Yes, the city may look them up")),
            (False, _("No, I will bring the papers myself")),
        ]
        return ChoiceInput(theme, options, previous, False)
    if q.type == "consent":
        return ChoiceInput(theme, [(True, _("I agree"))], previous, False)
    if q.type == "date":
        captions = {"year": _("Year"), "month": _("Month"), "day": _("Day")}
        return DateInput(theme, words.locale, captions, previous,
                         _("Delete"), _("Clear"), name)  # fmt: skip
    if q.type in PAD_KINDS:
        # Grouped as typed, except a year (1950, not 1,950).
        group = words.number if q.type == "number" and q.hint != "year" else None
        return PadInput(theme, q.type, previous, name, _("Delete"), _("Clear"),
                        group=group)  # fmt: skip
    if q.type == "info":
        return AnswerInput()
    digits = digits_only(q)
    if digits:
        return DigitsInput(theme, digits, previous, name, _("Delete"), _("Clear"))
    text = TextInput(previous, q.max_length, name)
    hints = Qt.InputMethodHint.ImhNone
    if words.language.code in CASELESS:
        hints |= Qt.InputMethodHint.ImhNoAutoUppercase
    text.entry.setInputMethodHints(hints)
    return text
