"""How a question page fits the screen from Large text up, without scrolling.

The page measures what it needs (words wrap differently in every language) and picks
the layout that fits: for choices, the columns, then the question at the body's size,
then the income bands' amounts alone; beside a number pad, the pad's width and where
the error goes. What is not needed to answer (the step, the help) goes behind "More"
before the page would scroll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.answer_widgets import ChoiceInput
from kiosk.date_input import DateInput
from kiosk.screens.question_title import TitleFit
from kiosk.widgets import label, text_extent

if TYPE_CHECKING:
    from kiosk.screens.question import QuestionScreen

ROUNDING_PX = 2
"""A pixel or two that rounding may add to a measured width."""
ERROR_PLACES = ("words", "pad", "across")
"""Where the error goes beside a pad: under the question, above the field, across both."""


class QuestionFit:
    """The layout decisions of one question page (see the module's docstring)."""

    def __init__(self, screen: QuestionScreen) -> None:
        self.screen = screen
        self._columns = 1
        self._amounts_only = False
        self.pad_width = 0
        self.error_place = "words"
        self.title = TitleFit(screen)

    def grid_choices(self, choices: ChoiceInput, columns: int) -> None:
        grid = choices.layout()
        assert isinstance(grid, QGridLayout)
        widgets: list[QWidget] = list(choices.buttons.values())
        for widget in widgets:
            grid.removeWidget(widget)
        for column in range(max(3, grid.columnCount())):
            grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, widget in enumerate(widgets):
            grid.addWidget(widget, index // columns, index % columns)
        self._columns = columns

    def _choices_height(self, choices: ChoiceInput, columns: int, width: int) -> int:
        """How tall the choices are in `columns` columns across `width`."""
        grid = choices.layout()
        assert isinstance(grid, QGridLayout)
        spacing = grid.spacing()
        each = (width - spacing * (columns - 1)) // columns
        buttons = list(choices.buttons.values())
        rows = [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
        heights = [max(b.heightForWidth(each) for b in row) for row in rows]
        return sum(heights) + spacing * (len(rows) - 1)

    def _room(self, page_width: int, page_height: int) -> tuple[int, int]:
        """(width, height) the scrolling content has when no scroll arrows are shown."""
        margins = self.screen.outer.contentsMargins()
        width = page_width - margins.left() - margins.right()
        room = page_height - margins.top() - margins.bottom()
        if self.screen.side is not None:
            width -= self.screen.side_width(page_width, page_height) + self.screen.middle.spacing()
        elif self.screen.action_row.count():
            room -= self.screen.action_row.sizeHint().height() + self.screen.outer.spacing()
        return width, room

    def _problem_height(self, width: int) -> int:
        """The error's height at `width`: the one shown, or the one Next with no answer
        would show (kept free, so that the page does not jump when it comes)."""
        problem = self.screen.error.text() or (
            self._required_words() if self.screen.question.required else ""
        )
        return (
            self._error_height(problem, width) + self.screen.words_column.spacing()
            if problem and not self.title.error_beside
            else 0
        )

    def reflow(self, page_width: int, page_height: int) -> None:
        """From Large text up: lay the page out so that it fits without scrolling."""
        if isinstance(self.screen.input, ChoiceInput):
            self._reflow_choices(page_width, page_height)
        elif self.screen.beside:
            self._reflow_pad(page_width, page_height)

    def _reflow_pad(self, page_width: int, page_height: int) -> None:
        """The pad as wide as its keys need with Clear and Delete on one line, unless the
        question then does not fit beside it: then narrower, down to its longest words.
        Where nothing fits, the page scrolls, and is laid out for the width its scroll
        arrows leave (never wider: a pad cut at the side is worse than a scroll)."""
        if self.screen.pad is None:
            return
        if self.screen.pad_actions is not None:
            self._reflow_four_column_pad(page_width, page_height)
            return
        width, room = self._room(page_width, page_height)
        width -= self.screen.columns.spacing()
        best = self._choose_pad(width, room)
        if best[2] > room and self.title.plain():
            self._reflow_pad(page_width, page_height)  # again, with the smaller question
            return
        if best[2] > room:
            width -= self.screen.theme.target_px + self.screen.middle.spacing()
            best = self._choose_pad(width, room)
        self._place_error(best[1])
        if best[0] != self.pad_width:
            self.pad_width = best[0]
            self.screen.input.setFixedWidth(best[0])
        if best[2] > room:
            return
        words_width = width - self.pad_width
        words = self._column_heights(width, self.pad_width, best[1])[0]
        if words + self._more_height(words_width) > room:
            self.screen.more.collapse()
        self._unscroll()

    def _reflow_four_column_pad(self, page_width: int, page_height: int) -> None:
        """Extra-large: the four-column pad's digits as wide as 24 mm, narrower (to
        12 mm) while the question, its error and the row of actions do not fit in the
        rest of the width; the step and help behind "More" unless they fit too."""
        width, room = self._room(page_width, page_height)
        width -= self.screen.columns.spacing()
        pad = self.screen.pad
        assert pad is not None
        grid = pad.layout()
        assert grid is not None
        theme = self.screen.theme
        least = pad.least_widths()
        floor = max(self.screen.input.minimumSizeHint().width(), self._fields_width())
        unknown = self.screen.unknown_button
        if unknown is not None:
            unknown.ensurePolished()
            floor = max(floor, unknown.minimumSizeHint().width())
        chosen = (0, 0)
        for digit_mm in (24, 20, 17, 14, 12):
            digit = max(*least[:3], theme.px(digit_mm))
            pad_width = max(3 * digit + least[3] + grid.spacing() * 3, floor)
            words, answer = self._column_heights(width, pad_width, "words")
            words = max(words + self._actions_height(), answer)
            chosen = (pad_width, words)
            if words <= room and self._actions_width() <= width - pad_width:
                break
        pad_width, words = chosen
        if words > room and self.title.shorten():
            self._reflow_four_column_pad(page_width, page_height)
            return
        if pad_width != self.pad_width:
            self.pad_width = pad_width
            self.screen.input.setFixedWidth(pad_width)
        if words + self._more_height(width - pad_width) > room:
            self.screen.more.collapse()
        if words <= room:
            self._unscroll()

    def _actions_width(self) -> int:
        """The row of actions under the words, More included (it may be shown)."""
        buttons = [b for b in self.screen.side_buttons() if b is not self.screen.unknown_button]
        for action in buttons:
            action.ensurePolished()
        assert self.screen.pad_actions is not None
        spacing = self.screen.pad_actions.spacing() * (len(buttons) - 1)
        return spacing + sum(b.minimumSizeHint().width() for b in buttons)

    def _actions_height(self) -> int:
        actions = self.screen.pad_actions
        assert actions is not None
        return actions.sizeHint().height() + self.screen.words_column.spacing()

    def _choose_pad(self, width: int, room: int) -> tuple[int, str, int]:
        """(pad width, where the error goes, tallest column): the widest pad with which
        both columns fit in `room`, the error under the question where there is room
        for it, else above the field, else across the page above both; where none
        fits, the lowest."""
        pad = self.screen.pad
        assert pad is not None
        keys = list(pad.keys.values())
        for key in keys:
            key.ensurePolished()
        grid = pad.layout()
        assert grid is not None
        spacing = grid.spacing() * 2  # the pad's own, between its three columns
        one_line = 3 * max(k.sizeHint().width() for k in keys) + spacing
        least = spacing + sum(
            max(keys[i].minimumSizeHint().width() for i in range(column, len(keys), 3))
            for column in range(3)
        )
        least = max(least, self.screen.input.minimumSizeHint().width(), self._fields_width())
        title = self.screen.title
        title.ensurePolished()
        # The question's longest word (and a pixel or two that rounding may add).
        most = width - text_extent(title.text(), title.font(), 1)[0] - ROUNDING_PX
        shares = (1.0, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4)
        candidates = sorted({max(least, min(one_line, most, round(width * f))) for f in shares})
        best: tuple[int, str, int] | None = None
        for candidate in reversed(candidates):
            for where in ERROR_PLACES:
                if (
                    where == "words"
                    and width - candidate < self._longest_error_word() + ROUNDING_PX
                ):
                    continue  # the error's longest word would widen the words' column
                tallest = max(self._column_heights(width, candidate, where))
                if best is None or tallest < best[2]:
                    best = (candidate, where, tallest)
                if tallest <= room:
                    return (candidate, where, tallest)
        assert best is not None
        return best

    def _fields_width(self) -> int:
        """A date's row of fields at their least (each 12 mm and more, whatever their
        size policy says)."""
        if not isinstance(self.screen.input, DateInput):
            return 0
        fields = list(self.screen.input.fields.values())
        for field in fields:
            field.ensurePolished()
        spacing = self.screen.input.row.horizontalSpacing() * (len(fields) - 1)
        return spacing + sum(max(f.minimumWidth(), f.minimumSizeHint().width()) for f in fields)

    def _column_heights(self, width: int, pad_width: int, where: str) -> tuple[int, int]:
        """(the words' column, the pad's column) with the pad `pad_width` wide and the
        error `where` (see ERROR_PLACES)."""
        spacing = self.screen.words_column.spacing()
        words = self.screen.title.heightForWidth(width - pad_width) + spacing
        answer = self.screen.input.heightForWidth(pad_width)
        if answer < 0:
            answer = self.screen.input.minimumSizeHint().height()
        unit = self.screen.unit
        if unit is not None and self.screen.pad_actions is not None:
            unit.ensurePolished()
            words += unit.heightForWidth(width - pad_width) + spacing
        elif unit is not None:
            unit.ensurePolished()
            answer += unit.heightForWidth(pad_width) + self.screen.answer_column.spacing()
        unknown = self.screen.unknown_button
        if unknown is not None and self.screen.pad_actions is not None:
            unknown.ensurePolished()
            answer += unknown.sizeHint().height() + self.screen.answer_column.spacing()
        if where == "pad":
            answer += self._problem_height(pad_width)
        elif where == "words":
            words += self._problem_height(width - pad_width)
        else:
            across = self._problem_height(width + self.screen.columns.spacing())
            words, answer = words + across, answer + across
        return words, answer

    def _longest_error_word(self) -> int:
        problem = self.screen.error.text() or (
            self._required_words() if self.screen.question.required else ""
        )
        self.screen.error.ensurePolished()
        return text_extent(problem, self.screen.error.font(), 1)[0] if problem else 0

    def _place_error(self, where: str) -> None:
        """The error under the question, above the field beside it, or across the page."""
        if where == self.error_place:
            return
        self.error_place = where
        for layout in (self.screen.words_column, self.screen.answer_column, self.screen.body):
            layout.removeWidget(self.screen.error)
        if where == "pad":
            self.screen.answer_column.insertWidget(0, self.screen.error)
        elif where == "words":
            self.screen.words_column.insertWidget(1, self.screen.error)
        else:
            self.screen.body.insertWidget(0, self.screen.error)

    def _more_height(self, width: int) -> int:
        more = 0
        for widget in self.screen.more_words:
            widget.ensurePolished()
            more += widget.heightForWidth(width) + self.screen.words_column.spacing()
        return more

    def _reflow_choices(self, page_width: int, page_height: int) -> None:
        """From Large text up: the columns (two, three or one) with which every choice,
        the question and its error fit the page; where none do and the choices carry an
        amount in won, the buttons show the amount alone (the words behind "More")."""
        choices = self.screen.input
        if not isinstance(choices, ChoiceInput) or len(choices.buttons) < 2:
            return
        width, room = self._room(page_width, page_height)
        spacing = self.screen.words_column.spacing()
        # Each step only if the page does not fit yet: the columns; the question at the
        # body's size (still the chosen size, in bold); the question without its words
        # in brackets, then to its first sentence; the amounts alone.
        for step in ("columns", "title", "short", "shorter", "amounts"):
            if step == "title" and not self.title.plain():
                continue
            if step in ("short", "shorter") and not self.title.shorten():
                continue
            if step == "amounts":
                if not self._amount_captions():
                    break
                self._show_amounts_only()
            self.title.error_beside_title(width, self._problem_text())
            words = self.screen.title.heightForWidth(width) + spacing + self._problem_height(width)
            heights = {k: self._choices_height(choices, k, width) for k in (2, 3, 1)}
            fits = [k for k, h in heights.items() if words + h <= room]
            if fits:
                break
        columns = fits[0] if fits else min(heights, key=lambda k: heights[k])
        if columns != self._columns:
            self.grid_choices(choices, columns)
        # The step and help would not fit with them: behind "More" from the start, so
        # that the page never scrolls (its scroll arrows would take the width it needs).
        if words + heights[columns] + self._more_height(width) > room:
            self.screen.more.collapse()
        if fits:
            self._unscroll()

    def _problem_text(self) -> str:
        """The error shown, or the one Next with no answer would show."""
        return self.screen.error.text() or (
            self._required_words() if self.screen.question.required else ""
        )

    def _unscroll(self) -> None:
        """The page fits as laid out: its scroll arrows, shown while it was laid out with
        less room, go (they would keep the width it fits in); shown again if it scrolls."""
        self.screen.scroll_column.hide()
        QTimer.singleShot(0, self.screen, self.screen.resync_scroll)

    def _required_words(self) -> str:
        """What Next with no answer shows: at Extra-large the short words, a line where
        the whole sentence takes three beside a pad (the speech says the whole)."""
        return self.shown_problem(self.screen.words._("Please answer this question to go on."))

    def shown_problem(self, text: str) -> str:
        """`text` as the page shows it: at Extra-large "Please answer first." for
        "Please answer this question to go on."."""
        _ = self.screen.words._
        if self.screen.theme.text_size == "extra_large" and text == _(
            "Please answer this question to go on."
        ):
            return _("Please answer first.")
        return text

    def _error_height(self, text: str, width: int) -> int:
        shown = self.screen.error.text()
        self.screen.error.ensurePolished()  # hidden: not yet in the style sheet's bold font
        self.screen.error.setText(text)
        height = self.screen.error.heightForWidth(width)
        self.screen.error.setText(shown)
        return height

    def _amount_captions(self) -> dict[object, str]:
        """Each choice's amount in won, if every choice has one."""
        values = [c.value for c in self.screen.question.choices]
        if not values or any(v not in self.screen.amounts for v in values):
            return {}
        return {v: self.screen.amounts[v] for v in values}

    def _show_amounts_only(self) -> None:
        """The amounts on the buttons (what a resident can answer), the words that
        compare them with the median behind "More"; a screen reader hears both."""
        choices = self.screen.input
        if not isinstance(choices, ChoiceInput) or self._amounts_only:
            return
        self._amounts_only = True
        choices.show_captions(self._amount_captions())
        lines = [
            f"• {self.screen.words.text(c.label)}: {self.screen.amounts[c.value]}"
            for c in self.screen.question.choices
        ]
        bands = label("\n".join(lines), "muted")
        self.screen.words_column.insertWidget(
            self.screen.words_column.indexOf(self.screen.more_words[-1]) + 1, bands
        )
        self.screen.more_words.append(bands)
        bands.setVisible(self.screen.more.shown())
