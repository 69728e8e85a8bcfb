"""How a page of choices fits the screen from Large text up, without scrolling.

The page measures what it needs (words wrap differently in every language) and tries,
one step at a time while it does not fit: the columns (two, three, one); the question
at the body's size; the question without its words in brackets, then to its first
sentence; the income bands' amounts alone under a heading. At each step More, I don't
know and Next may stand in a column at the right (the height is what runs short on a
wide screen) or in a row under the page (long answers and a long question need the
width more): whichever fits. Where nothing fits, the choices go into pages of whole
buttons turned by arrows (answer_pages), the fewest pages that fit; only where one
row alone is taller than the screen does the page scroll.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QLabel

from kiosk.answer_widgets import ChoiceInput
from kiosk.widgets import label

if TYPE_CHECKING:
    from kiosk.screens.question_fit import QuestionFit

STEPS = ("columns", "title", "short", "shorter", "amounts")


@dataclass(frozen=True)
class Layout:
    """One way to lay the choices out: the actions in a row or not, the columns, and
    the pages (one page: all the choices)."""

    row: bool
    columns: int
    groups: list[list[object]]


class ChoicesFit:
    """The choices' part of a question page's layout (see the module's docstring)."""

    def __init__(self, fit: QuestionFit) -> None:
        self.fit = fit
        self.screen = fit.screen
        self.amounts_heading: QLabel | None = None
        """Over the amounts alone: "For 2 people, each month:"."""

    @property
    def choices(self) -> ChoiceInput:
        choices = self.screen.input
        assert isinstance(choices, ChoiceInput)
        return choices

    def grid(self, columns: int, groups: list[list[object]] | None = None) -> None:
        """The choices `columns` across, in `groups` (one page each; default: one page)."""
        pages = self.screen.answer_pages
        everything = [list(self.choices.buttons)]
        if pages is not None:
            pages.split(groups or everything, columns)
        else:
            self.choices.arrange(everything[0], columns)

    def reflow(self, page_width: int, page_height: int) -> None:
        """Lay the choices out so that the page fits (see the module's docstring)."""
        if len(self.choices.buttons) < 2:
            return
        rows = (False, True) if self.screen.side is not None else (None,)
        found: Layout | None = None
        for step in STEPS:
            if step == "title" and not self.fit.title.plain():
                continue
            if step in ("short", "shorter") and not self.fit.title.shorten():
                continue
            if step == "amounts":
                if not self._amount_captions():
                    break
                self._show_amounts_only()
            fitting = (self._whole(page_width, page_height, r) for r in rows)
            found = next(filter(None, fitting), None)
            if found is not None:
                break
        if found is None:
            paged = [self._paged(page_width, page_height, r) for r in rows]
            found = min(filter(None, paged), key=lambda f: len(f.groups), default=None)
        if found is None:  # one row alone is taller than the page: it scrolls
            row = rows[0]
            self._place(row)
            width, room = self._room(page_width, page_height, row)
            heights = {k: self._height(k, width) for k in (2, 3, 1)}
            self.grid(min(heights, key=lambda k: heights[k]))
            self.screen.more.collapse()
            return
        self._place(found.row)
        self.grid(found.columns, found.groups)
        width, room = self._room(page_width, page_height, found.row, len(found.groups) > 1)
        # The step and help behind "More" unless they fit too: the page never scrolls.
        tallest = max(self._height(found.columns, width, g) for g in found.groups)
        if self._words(width) + tallest + self.fit.more_height(width) > room:
            self.screen.more.collapse()
        self.fit.unscroll()

    def _whole(self, page_width: int, page_height: int, row: bool | None) -> Layout | None:
        """Every choice on one page, in the first of 2, 3, 1 columns that fits."""
        width, room = self._room(page_width, page_height, row)
        words = self._words(width)
        for columns in (2, 3, 1):
            if words + self._height(columns, width) <= room:
                return Layout(bool(row), columns, [list(self.choices.buttons)])
        return None

    def _paged(self, page_width: int, page_height: int, row: bool | None) -> Layout | None:
        """The fewest pages of whole rows that each fit, as even as they can be; one
        column rather than two for as many pages (a wide button needs fewer lines).
        None if one row alone does not fit."""
        width, room = self._room(page_width, page_height, row, paged=True)
        room -= self._words(width)
        spacing = self._spacing()
        best: Layout | None = None
        for columns in (1, 2, 3):
            rows, heights = self._rows(columns, width, list(self.choices.buttons))
            if max(heights) > room:
                continue
            pages = _pack(heights, room, spacing, len(rows))
            for most in range(-(-len(rows) // len(pages)), len(rows) + 1):
                even = _pack(heights, room, spacing, most)
                if len(even) == len(pages):
                    pages = even
                    break
            groups = [[v for r in rows[a:b] for v in r] for a, b in pages]
            if best is None or len(groups) < len(best.groups):
                best = Layout(bool(row), columns, groups)
        return best

    def _place(self, below: bool | None) -> None:
        """More, I don't know and Next in a row under the page (long answers need the
        width more than the height) or in the column at the right."""
        screen = self.screen
        if below is None or below == screen.actions_below or screen.side is None:
            return
        screen.actions_below = below
        more, unknown, row = screen.more_button, screen.unknown_button, screen.action_row
        for placed in screen.side_buttons():
            screen.side_column.removeWidget(placed)
            row.removeWidget(placed)
        actions = [b for b in (more, unknown, screen.next_button) if b is not None]
        if below:
            row.addWidget(more)
            row.addStretch(1)  # More at the left, Next at the right
            for action in actions[1:]:
                row.addWidget(action)
        else:
            while row.count():  # the stretch
                row.takeAt(0)
            for action in actions:
                screen.side_column.addWidget(action)
        screen.side.setVisible(not below)
        more.setVisible(screen.more.collapsed and not screen.more.expanded)

    def _room(
        self, page_width: int, page_height: int, row: bool | None, paged: bool = False
    ) -> tuple[int, int]:
        """(width, height) for the words and the choices with the actions in a row
        (`row`) or at the side, and the arrows of pages of answers if `paged`."""
        width, room = self.fit.room(page_width, page_height, row)
        pages = self.screen.answer_pages
        if paged and pages is not None:
            width -= pages.widget.sizeHint().width() + self.screen.middle.spacing()
        return width, room

    def _words(self, width: int) -> int:
        """The question, its error (or the room kept for it) and the amounts' heading."""
        spacing = self.screen.words_column.spacing()
        self.fit.title.error_beside_title(width, self.fit.problem_text())
        words = self.screen.title.heightForWidth(width) + spacing + self.fit.problem_height(width)
        if self.amounts_heading is not None:
            self.amounts_heading.ensurePolished()
            words += self.amounts_heading.heightForWidth(width) + spacing
        return words

    def _height(self, columns: int, width: int, values: list[object] | None = None) -> int:
        """How tall the choices (`values`, default all) are `columns` across `width`."""
        rows, heights = self._rows(columns, width, values or list(self.choices.buttons))
        return sum(heights) + self._spacing() * (len(rows) - 1)

    def _rows(
        self, columns: int, width: int, values: list[object]
    ) -> tuple[list[list[object]], list[int]]:
        """`values` in rows `columns` across `width`, and each row's height."""
        spacing = self._spacing()
        each = (width - spacing * (columns - 1)) // columns
        rows = [values[i : i + columns] for i in range(0, len(values), columns)]
        heights = [max(self.choices.buttons[v].heightForWidth(each) for v in r) for r in rows]
        return rows, heights

    def _spacing(self) -> int:
        """Between two choices, across and down."""
        grid = self.choices.layout()
        assert isinstance(grid, QGridLayout)
        return grid.spacing()

    def _amount_captions(self) -> dict[object, str]:
        """Each choice's amount alone ("up to 2,340,000 won"), if every choice has one."""
        values = [c.value for c in self.screen.question.choices]
        short = self.screen.amounts.short
        if not values or any(v not in short for v in values):
            return {}
        return {v: short[v] for v in values}

    def _show_amounts_only(self) -> None:
        """The amounts on the buttons (what a resident can answer) under a heading that
        says for how many people and per month, once; the words that compare them with
        the median behind "More"; a screen reader hears both on each button."""
        if self.amounts_heading is not None:  # shown already
            return
        self.choices.show_captions(self._amount_captions())
        column = self.screen.words_column
        lines = [
            f"• {self.screen.words.text(c.label)}: {self.screen.amounts.lines[c.value]}"
            for c in self.screen.question.choices
        ]
        bands = label("\n".join(lines), "muted")
        column.insertWidget(column.indexOf(self.screen.more_words[-1]) + 1, bands)
        self.screen.more_words.append(bands)
        bands.setVisible(self.screen.more.shown())
        heading = self.amounts_heading = label(self.screen.amounts.heading)
        column.insertWidget(column.indexOf(self.screen.input), heading)  # right over them


def _pack(heights: list[int], room: int, spacing: int, most: int) -> list[tuple[int, int]]:
    """Rows of `heights` into pages (start, end) in order, each `room` tall at most and
    at most `most` rows; every row fits `room` alone."""
    pages: list[tuple[int, int]] = []
    start, used = 0, 0
    for index, height in enumerate(heights):
        if index > start and (used + spacing + height > room or index - start >= most):
            pages.append((start, index))
            start, used = index, 0
        used = height if index == start else used + spacing + height
    pages.append((start, len(heights)))
    return pages
