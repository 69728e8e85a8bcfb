"""A long list of choices in pages that each fit the screen whole, turned by arrows.

At the largest text on a small screen nine choices cannot all be in view with the
question and Next, and a resident who has never used a kiosk does not scroll. Rather
than a scrolling list, whose lower choices sit cut at the edge unseen, the choices go
into pages of whole buttons, turned by the same up and down arrows, with the same bar
between them showing where one is, that every page which scrolls has beside it; the
question, its error and Next stay where they are. A choice picked on one page stays
picked on the others; the page shown first is the one with the answer picked before.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QVBoxLayout, QWidget

from kiosk.answer_widgets import ChoiceInput
from kiosk.i18n import Words
from kiosk.theme import MIN_TARGET_MM, Theme
from kiosk.widgets import ArrowButton


class AnswerPages(QObject):
    """Which choices are on the page now; the arrows and the words that say so."""

    turned = Signal(list)
    """The resident turned to another page of answers: the values now shown."""

    def __init__(self, theme: Theme, words: Words, choices: ChoiceInput) -> None:
        super().__init__(choices)
        self.words = words
        self.choices = choices
        self.groups: list[list[object]] = [list(choices.buttons)]
        self.columns = 1
        self.index = 0
        _ = words._
        self.widget = QWidget()
        self.widget.setObjectName("answer_pages")
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(theme.gap_px)
        self.earlier = ArrowButton(theme, up=True)
        self.later = ArrowButton(theme, up=False)
        # Drawn triangles say nothing to a screen reader: words for each.
        self.earlier.setAccessibleName(_("Earlier answers"))
        self.later.setAccessibleName(_("More answers"))
        for arrow in (self.earlier, self.later):  # as the scroll arrows on a question page
            arrow.setMinimumSize(theme.target_px, theme.px(MIN_TARGET_MM))
        self.earlier.clicked.connect(lambda: self.turn(-1))
        self.later.clicked.connect(lambda: self.turn(1))
        # Where one is, as the bar between the arrows of a scrolling page shows it.
        self.where = QScrollBar(Qt.Orientation.Vertical)
        self.where.setFixedWidth(theme.target_px)
        self.where.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.where.setPageStep(1)
        self.where.setAccessibleName(_("Position on the page"))  # then which answers
        self.where.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self.where.valueChanged.connect(lambda index: self.turn(index - self.index))
        column.addWidget(self.earlier)
        column.addWidget(self.where, 1)
        column.addWidget(self.later)
        self.widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self.widget.hide()

    def count(self) -> int:
        return len(self.groups)

    def split(self, groups: list[list[object]], columns: int) -> None:
        """Show the choices in `groups` (one page each), `columns` across; the page with
        the choice picked (or the one shown before) first."""
        shown = self.groups[self.index] if self.index < len(self.groups) else []
        self.groups, self.columns = groups, columns
        picked = [v for v, b in self.choices.buttons.items() if b.isChecked()]
        wanted = picked[:1] or shown[:1]
        self.index = next((i for i, g in enumerate(groups) if wanted and wanted[0] in g), 0)
        self._show()

    def turn(self, step: int) -> None:
        index = min(max(self.index + step, 0), len(self.groups) - 1)
        if index != self.index:
            self.index = index
            self._show()
            self.turned.emit(list(self.groups[index]))

    def _show(self) -> None:
        group = self.groups[self.index]
        self.choices.arrange(group, self.columns)
        paged = len(self.groups) > 1
        self.widget.setVisible(paged)
        if paged:
            values = list(self.choices.buttons)
            first = values.index(group[0]) + 1
            self.where.setAccessibleName(
                self.words._("Answers {first}–{last} of {count}").format(
                    first=self.words.number(first),
                    last=self.words.number(first + len(group) - 1),
                    count=self.words.number(len(values)),
                )
            )
            self.where.blockSignals(True)
            self.where.setRange(0, len(self.groups) - 1)
            self.where.setValue(self.index)
            self.where.blockSignals(False)
            self.earlier.setEnabled(self.index > 0)
            self.later.setEnabled(self.index < len(self.groups) - 1)
