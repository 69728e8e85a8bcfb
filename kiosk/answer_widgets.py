"""One input widget per kind of answer: large buttons and a number pad, never a dropdown.

Each widget shows the answer so far and gives it back with `value()` in the form the
form engine's checks expect (a choice value, a list, a bool, digits, ISO date, text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.answers import Answer
from kiosk.theme import Theme
from kiosk.widgets import NumberPad, button, mark, one_of_many


class AnswerInput(QWidget):
    changed = Signal()

    def value(self) -> object:
        return None


class ChoiceInput(AnswerInput):
    """Large choice buttons: one of them, or several when `multiple`."""

    def __init__(
        self, theme: Theme, options: list[tuple[object, str]], previous: Answer, multiple: bool
    ) -> None:
        super().__init__()
        self.multiple = multiple
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.gap_px * 2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        chosen = previous if isinstance(previous, list) else [previous]
        self.buttons: dict[object, QPushButton] = {}
        self.captions: dict[object, str] = dict(options)
        """What each button shows (a shorter caption may replace its words, see
        `show_captions`); a screen reader always hears the whole of `spoken`."""
        self.spoken: dict[object, str] = dict(options)
        for index, (value, text) in enumerate(options):
            choice = button(text, "choice", checkable=True, wrap=True)
            if not multiple:
                one_of_many(choice)
            choice.setChecked(previous is not None and value in chosen)
            choice.toggled.connect(lambda on, v=value: self._mark(v, on))
            self.buttons[value] = choice
            self._mark(value, choice.isChecked())
            choice.clicked.connect(self.changed)
            self.group.addButton(choice)
            grid.addWidget(choice, index, 0)

    def _mark(self, value: object, on: bool) -> None:
        """Checked is shown by a mark as well as by colour: never by colour alone."""
        choice = self.buttons[value]
        mark(choice, self.captions[value], on, self.multiple)
        choice.setAccessibleName(self.spoken[value])

    def show_captions(self, captions: dict[object, str]) -> None:
        """Shorter words on the buttons (where the whole would not fit the screen); the
        accessible names keep the whole."""
        self.captions.update(captions)
        for value, choice in self.buttons.items():
            self._mark(value, choice.isChecked())

    def arrange(self, values: list[object], columns: int) -> None:
        """The choices of `values` in order, `columns` across; the others hidden (on
        another page of answers)."""
        grid = self.layout()
        assert isinstance(grid, QGridLayout)
        for value, choice in self.buttons.items():
            grid.removeWidget(choice)
            choice.setVisible(value in values)
        for column in range(max(3, grid.columnCount())):
            grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, value in enumerate(values):
            grid.addWidget(self.buttons[value], index // columns, index % columns)

    def value(self) -> object:
        picked = [v for v, b in self.buttons.items() if b.isChecked()]
        if self.multiple:
            return [str(v) for v in picked]
        return picked[0] if picked else None


class PadInput(AnswerInput):
    """Digits from the number pad, shown as the kind of answer expects them."""

    LIMITS: ClassVar[dict[str, int]] = {"number": 12, "phone": 11, "resident_number": 13, "date": 8}

    def __init__(
        self, theme: Theme, kind: str, previous: Answer, accessible_name: str,
        delete_text: str, clear_text: str, mask_char: str = "•",
        group: Callable[[int], str] | None = None,
    ) -> None:  # fmt: skip
        """`group`: shows a number with the language's digit grouping as it is typed
        (450,000 / 450.000 / 450 000), so that a sum of money can be read back."""
        super().__init__()
        self.kind = kind
        self.group = group
        self.mask_char = mask_char
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.gap_px * 2)
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setAccessibleName(accessible_name)
        self.pad = NumberPad(self.LIMITS[kind], delete_text, clear_text, theme.gap_px)
        self.pad.changed.connect(self._show)
        layout.addWidget(self.display)
        layout.addWidget(self.pad)
        digits = "" if previous is None else str(previous).replace("-", "")
        self.pad.set_text(digits)

    @Slot(str)
    def _show(self, digits: str) -> None:
        self.display.setText(self.shown(digits))
        self.changed.emit()

    def shown(self, digits: str) -> str:
        if self.kind == "date":
            padded = digits + "_" * (8 - len(digits))
            return f"{padded[:4]} - {padded[4:6]} - {padded[6:]}"
        if self.kind == "phone":
            cut = 3 if len(digits) > 3 else len(digits)
            rest = digits[cut:]
            middle = rest[:-4] if len(rest) > 4 else ""
            parts = [digits[:cut], middle, rest[len(middle) :]]
            return "-".join(p for p in parts if p)
        if self.kind == "resident_number":
            # Only the birth date and the next digit are ever shown; the rest is masked.
            visible = digits[:7]
            hidden = self.mask_char * max(0, len(digits) - 7)
            return visible[:6] + ("-" + visible[6:] + hidden if len(digits) > 6 else "")
        if self.kind == "number" and self.group is not None and digits:
            return self.group(int(digits))
        return digits

    def value(self) -> object:
        digits = self.pad.text
        if self.kind == "date" and digits:
            if len(digits) != 8:
                return "incomplete"
            return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
        return digits


class TextInput(AnswerInput):
    """Typed text: the on-screen keyboard or a physical one."""

    def __init__(self, previous: Answer, max_length: int, accessible_name: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.entry = QLineEdit("" if previous is None else str(previous))
        self.entry.setMaxLength(max(max_length * 2, 200))
        self.entry.setAccessibleName(accessible_name)
        self.entry.textChanged.connect(self.changed)
        layout.addWidget(self.entry)

    def value(self) -> object:
        return self.entry.text()
