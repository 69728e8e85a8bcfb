"""The question's title on a page that must fit the screen (from Large text up).

What the page can do with its title before it would scroll: the title at the body's
size (bold, not bigger); without its words in brackets, then only its first sentence,
the rest first behind "More" (the screen reader and the speech keep the whole); and
the error on the title's line where both fit on it whole.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel

from kiosk.widgets import label, text_extent

if TYPE_CHECKING:
    from kiosk.screens.question import QuestionScreen

ROUNDING_PX = 2
"""A pixel or two that rounding may add to a measured width."""
ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]")
"""A question's words in brackets (the foreigner's number beside the resident number):
what the title can do without, behind "More", where nothing else would make it fit."""
SENTENCE_END = re.compile(r"(?<=[.?!])\s+|(?<=[。？！])\s*")
"""Where a question's first sentence ends ("What happened? Choose all that apply."):
the rest can go behind "More" after the brackets."""


class TitleFit:
    """The title decisions of one question page (see the module's docstring)."""

    def __init__(self, screen: QuestionScreen) -> None:
        self.screen = screen
        self._plain = False
        self.error_beside = False
        """The error on the title's line (see `error_beside_title`)."""
        self.aside: QLabel | None = None
        """The title's words behind "More" (see `shorten`)."""

    def shorten(self) -> bool:
        """The question without its words in brackets, or then without what follows
        its first sentence: that goes first behind "More" (a screen reader and the
        speech still say the whole). False if there is nothing more to take away."""
        title = self.screen.title
        text = title.text()
        short = ASIDE.sub("", text)
        taken = " ".join(m.group(0).strip() for m in ASIDE.finditer(text))
        if short == text:
            parts = SENTENCE_END.split(text.strip(), maxsplit=1)
            if len(parts) < 2 or not parts[0] or not parts[1]:
                return False
            short, taken = parts[0], parts[1]
        if not title.accessibleName():
            title.setAccessibleName(text)
        title.setText(short)
        if self.aside is None:
            self.aside = label(taken, "muted")
            column = self.screen.words_column
            column.insertWidget(column.indexOf(self.screen.more_words[0]), self.aside)
            self.screen.more_words.insert(0, self.aside)
        else:
            self.aside.setText(f"{taken} {self.aside.text()}")
        self.aside.setVisible(self.screen.more.shown())
        return True

    def plain(self) -> bool:
        """The question in bold at the body's size rather than bigger (as it always is
        at Extra-large, where the body's 12 mm is big enough); False if it already is."""
        if self._plain:
            return False
        self._plain = True
        self.screen.title.setStyleSheet(f"font-size: {self.screen.theme.font_px}px;")
        self.screen.title.ensurePolished()
        return True

    def error_beside_title(self, width: int, problem: str) -> None:
        """The error on the title's line where both fit on it whole, else under it."""
        row = self.screen.title_row
        if row is None:
            return
        title, error = self.screen.title, self.screen.error
        title.ensurePolished()
        error.ensurePolished()
        title_width = one_line_width(title.text(), title.font())
        error_width = one_line_width(problem, error.font())
        beside = bool(problem) and title_width + row.spacing() + error_width <= width
        if beside == self.error_beside:
            if beside:
                title.setMinimumWidth(title_width)
            return
        self.error_beside = beside
        self.screen.words_column.removeWidget(error)
        row.removeWidget(error)
        if beside:
            title.setMinimumWidth(title_width)
            row.addWidget(error, 1)
        else:
            title.setMinimumWidth(0)
            self.screen.words_column.insertWidget(1, error)


def one_line_width(text: str, font: QFont) -> int:
    """How wide `text` is on one line (and a pixel or two that rounding may add)."""
    return text_extent(text, font, 100_000)[0] + ROUNDING_PX
