"""How a question page fits the screen from Large text up, without scrolling.

The page measures what it needs (words wrap differently in every language) and picks
the layout that fits: for choices, see choices_fit (columns, a shorter question, the
amounts alone, the actions in a row, pages of answers); above the keyboard, typed_fit;
beside a number pad (here), the pad's width and where the error goes. What is not
needed to answer (the step, the help) goes behind "More" before the page would scroll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from kiosk.answer_widgets import ChoiceInput, TextInput
from kiosk.date_input import DateInput
from kiosk.screens.choices_fit import ChoicesFit
from kiosk.screens.question_title import ROUNDING_PX, TitleFit
from kiosk.screens.typed_fit import TypedFit
from kiosk.widgets import text_extent

if TYPE_CHECKING:
    from kiosk.screens.question import QuestionScreen

SIDE_SHARE = 0.2
"""How much of the page's width the column of actions takes beside choices or a pad."""
ERROR_PLACES = ("words", "pad", "across")
"""Where the error goes beside a pad: under the question, above the field, across both."""


class QuestionFit:
    """The layout decisions of one question page (see the module's docstring)."""

    def __init__(self, screen: QuestionScreen) -> None:
        self.screen = screen
        self.pad_width = 0
        self.error_place = "words"
        self.title = TitleFit(screen)
        self.choices = ChoicesFit(self)
        self.typed: TypedFit | None = None

    def room(self, page_width: int, page_height: int, row: bool | None = None) -> tuple[int, int]:
        """(width, height) the scrolling content has when no scroll arrows are shown;
        with the actions in a row under it if `row` (None: where they are now)."""
        margins = self.screen.outer.contentsMargins()
        width = page_width - margins.left() - margins.right()
        room = page_height - margins.top() - margins.bottom()
        side = self.screen.side
        if row is None:
            row = self.screen.actions_below
        if not row and side is not None:
            width -= self.side_width(page_width, page_height) + self.screen.middle.spacing()
        elif side is not None:  # the side's buttons, in a row under the page
            tallest = max(b.sizeHint().height() for b in self.screen.side_buttons())
            room -= tallest + self.screen.outer.spacing()
        elif self.screen.action_row.count():
            room -= self.screen.action_row.sizeHint().height() + self.screen.outer.spacing()
        return width, room

    def side_width(self, page_width: int, page_height: int) -> int:
        """A fifth of the page, or what the longest word on its buttons needs; wider
        while their wrapped words would be taller than the page (at most two fifths)."""
        buttons = self.screen.side_buttons()
        for side_button in buttons:
            side_button.ensurePolished()
        need = max(b.minimumSizeHint().width() for b in buttons)
        # At Extra-large, with short captions, as wide as they need on one line and no
        # wider: the choices need the width more.
        share = 0 if self.screen.theme.text_size == "extra_large" else SIDE_SHARE
        if not share:
            need = max(b.sizeHint().width() for b in buttons)
        width = max(round(page_width * share), need, self.screen.next_button.sizeHint().width())
        room = page_height - self.screen.theme.gap_px * 2

        def tall(at: int) -> int:
            heights = [
                b.heightForWidth(at) if b.hasHeightForWidth() else b.sizeHint().height()
                for b in buttons
            ]
            return sum(heights) + self.screen.side_column.spacing() * (len(heights) - 1)

        while tall(width) > room and width < page_width * 2 // 5:
            width += self.screen.theme.gap_px * 2
        return width

    def problem_height(self, width: int) -> int:
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
            self.choices.reflow(page_width, page_height)
        elif isinstance(self.screen.input, TextInput):
            if self.typed is None:  # the input is made after the fit
                self.typed = TypedFit(self)
            self.typed.reflow(page_width, page_height)
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
        width, room = self.room(page_width, page_height)
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
        if words + self.more_height(words_width) > room:
            self.screen.more.collapse()
        self.unscroll()

    def _reflow_four_column_pad(self, page_width: int, page_height: int) -> None:
        """Extra-large: the four-column pad's digits as wide as 24 mm, narrower (to
        12 mm) while the question, its error and the row of actions do not fit in the
        rest of the width; the step and help behind "More" unless they fit too."""
        width, room = self.room(page_width, page_height)
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
        if words + self.more_height(width - pad_width) > room:
            self.screen.more.collapse()
        if words <= room:
            self.unscroll()

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
            answer += self.problem_height(pad_width)
        elif where == "words":
            words += self.problem_height(width - pad_width)
        else:
            across = self.problem_height(width + self.screen.columns.spacing())
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

    def more_height(self, width: int) -> int:
        more = 0
        for widget in self.screen.more_words:
            widget.ensurePolished()
            more += widget.heightForWidth(width) + self.screen.words_column.spacing()
        return more

    def problem_text(self) -> str:
        """The error shown, or the one Next with no answer would show."""
        return self.screen.error.text() or (
            self._required_words() if self.screen.question.required else ""
        )

    def unscroll(self) -> None:
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
