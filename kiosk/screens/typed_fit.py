"""How a typed question's page fits above the on-screen keyboard from Large text up.

Above the keyboard one row holds More, the field, Skip and Next, and the page above it
the question and its error. Two things can overflow at the largest text on a small
screen: the row, where long captions ("Подробнее", "Пропустить") leave the field no
width and squeeze the buttons' words; and the page, where the error after Next does not
fit under a question of two lines. Then More moves up under the question (the page has
the height the row lacks the width for), and the error takes More's place in the row,
beside the field and Next that were just tapped, until the resident types.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from kiosk.screens.question_title import one_line_width

if TYPE_CHECKING:
    from kiosk.screens.question_fit import QuestionFit

FIELD_MM = 60.0
"""The least width of the field in the row: about a dozen letters of a name show while typed."""


class TypedFit:
    """The typed answer's part of a question page's layout (see the module's docstring)."""

    def __init__(self, fit: QuestionFit) -> None:
        self.screen = fit.screen
        self.more_up = False
        """More is under the question, not in the row."""
        self.error_in_row = False
        self.screen.input.changed.connect(self._error_back)

    def reflow(self, page_width: int, page_height: int) -> None:
        screen = self.screen
        margins = screen.outer.contentsMargins()
        width = page_width - margins.left() - margins.right()
        if not self.more_up and self._row_width() > width:
            self._more_up()
        if screen.error.isHidden() or self.error_in_row:
            return
        room = page_height - margins.top() - margins.bottom()
        room -= screen.action_row.sizeHint().height() + screen.outer.spacing()
        column = screen.words_column
        words = sum(
            widget.heightForWidth(width) + column.spacing()
            for widget in (screen.title, screen.error, screen.more_button)
            if not widget.isHidden() and column.indexOf(widget) >= 0
        )
        if words > room and not self.more_up:
            self._error_to_row()

    def _row_width(self) -> int:
        """What the row needs: its buttons' words whole, and the field its least."""
        screen = self.screen
        row = screen.action_row
        buttons = [b for b in screen.side_buttons() if row.indexOf(b) >= 0]
        for button in buttons:
            button.ensurePolished()
        least = sum(b.sizeHint().width() for b in buttons) + screen.theme.px(FIELD_MM)
        return least + row.spacing() * len(buttons)

    def _more_up(self) -> None:
        screen = self.screen
        self.more_up = True
        screen.action_row.removeWidget(screen.more_button)
        column = screen.words_column
        # As wide as its words: a button across the page would look like the field.
        index = column.indexOf(screen.error) + 1
        column.insertWidget(index, screen.more_button, 0, Qt.AlignmentFlag.AlignLeft)

    def _error_to_row(self) -> None:
        """The error in More's place beside the field (More back once the resident types)."""
        screen = self.screen
        self.error_in_row = True
        error, more = screen.error, screen.more_button
        screen.words_column.removeWidget(error)
        row = screen.action_row
        row.insertWidget(row.indexOf(more), error)
        error.ensurePolished()
        error.setMinimumWidth(one_line_width(error.text(), error.font()))
        more.setVisible(False)
        error.show()  # moved to another parent: hidden by the move

    def _error_back(self) -> None:
        if not self.error_in_row:
            return
        screen = self.screen
        self.error_in_row = False
        error = screen.error
        screen.action_row.removeWidget(error)
        error.setMinimumWidth(0)
        screen.words_column.insertWidget(1, error)
        error.hide()
        screen.more_button.setVisible(screen.more.collapsed and not screen.more.expanded)
