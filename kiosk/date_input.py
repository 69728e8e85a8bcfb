"""A date as three labelled fields (year, month, day) in the order the resident's
language writes them, typed on one number pad (issue 18, finding 9).

Eight digits in a `____ - __ - __` mask said nothing about which part was which, and
put the year first for every language; a Vietnamese or Russian resident writes the
day first, an American the month. The order comes from the language's CLDR short date
pattern (babel), so it is never a table of our own to keep up to date.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from forms.answers import Answer
from kiosk.answer_widgets import AnswerInput
from kiosk.theme import Theme
from kiosk.widgets import NumberPad, button, label

PARTS = ("year", "month", "day")
WIDTHS = {"year": 4, "month": 2, "day": 2}
"""How many digits each field takes; a full field hands over to the next one."""


def field_order(locale: Locale) -> tuple[str, ...]:
    """ "year", "month" and "day" in the order the locale's short date pattern has them
    (letters inside quotes are literal text, not fields)."""
    pattern = locale.date_formats["short"].pattern
    seen: list[str] = []
    quoted = False
    for char in pattern:
        if char == "'":
            quoted = not quoted
            continue
        part = {"y": "year", "M": "month", "L": "month", "d": "day"}.get(char)
        if not quoted and part and part not in seen:
            seen.append(part)
    return tuple(seen) if sorted(seen) == sorted(PARTS) else PARTS


class DateInput(AnswerInput):
    """Three fields, each with its caption above it; the one being typed into is shown
    selected, and tapping another field moves there."""

    def __init__(
        self, theme: Theme, locale: Locale, captions: dict[str, str], previous: Answer,
        delete_text: str, clear_text: str, accessible_name: str,
    ) -> None:  # fmt: skip
        """`captions`: "Year", "Month" and "Day" in the resident's language."""
        super().__init__()
        self.order = field_order(locale)
        self.digits = dict.fromkeys(PARTS, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.gap_px * 2)
        row = self.row = QGridLayout()
        row.setSpacing(theme.gap_px * 2)
        row.setVerticalSpacing(theme.gap_px // 2)
        self.group = QButtonGroup(self)
        self.fields: dict[str, QPushButton] = {}
        for column, part in enumerate(self.order):
            caption = label(captions[part], "muted")
            field = button("", "choice", checkable=True)
            field.setAccessibleName(f"{accessible_name}: {captions[part]}")
            # Widths from the column stretch (4:2:2), not from the digits' hint: the row
            # must never ask for more than the number pad under it does.
            field.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            caption.setBuddy(field)
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            field.clicked.connect(lambda _=False, p=part: self.select(p))
            self.group.addButton(field)
            self.fields[part] = field
            row.addWidget(caption, 0, column)
            row.addWidget(field, 1, column)
            row.setColumnStretch(column, WIDTHS[part])
        layout.addLayout(row)
        self.pad = NumberPad(8, delete_text, clear_text, theme.gap_px)
        # The pad's keys act on the selected field, not on one string of digits.
        for key, widget in self.pad.keys.items():
            widget.clicked.disconnect()
            widget.clicked.connect(lambda _=False, k=key: self.press(k))
        layout.addWidget(self.pad)
        if isinstance(previous, str):
            self.set_iso(previous)
        first_empty = next((p for p in self.order if not self.digits[p]), self.order[0])
        self.select(first_empty)

    @property
    def selected(self) -> str:
        return next(p for p, f in self.fields.items() if f.isChecked())

    def select(self, part: str) -> None:
        self.fields[part].setChecked(True)

    def set_iso(self, iso: str) -> None:
        """Fill the fields from an ISO date (a previous answer)."""
        try:
            day = dt.date.fromisoformat(iso)
        except ValueError:
            return
        self.digits = {"year": f"{day.year:04d}", "month": f"{day.month:02d}",
                       "day": f"{day.day:02d}"}  # fmt: skip
        self._show()

    @Slot(str)
    def press(self, key: str) -> None:
        part = self.selected
        if key == "clear":
            self.digits = dict.fromkeys(PARTS, "")
            self.select(self.order[0])
        elif key == "delete":
            if not self.digits[part]:  # an empty field: back to the one before it
                index = self.order.index(part)
                part = self.order[max(0, index - 1)]
                self.select(part)
            self.digits[part] = self.digits[part][:-1]
        elif len(self.digits[part]) < WIDTHS[part]:
            self.digits[part] += key
            index = self.order.index(part)
            if len(self.digits[part]) == WIDTHS[part] and index + 1 < len(self.order):
                self.select(self.order[index + 1])
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        for part, field in self.fields.items():
            field.setText(self.digits[part])

    def value(self) -> object:
        """An ISO date once every field has digits ("" with none, "incomplete" else)."""
        year, month, day = (self.digits[p] for p in PARTS)
        if not (year or month or day):
            return ""
        if len(year) != 4 or not month or not day:
            return "incomplete"
        return f"{year}-{int(month):02d}-{int(day):02d}"
