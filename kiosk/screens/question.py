"""One question on one page: step N of M, the question, its help, and a way to answer.

Everything needed to answer stays in view without scrolling, at every text size and
with the on-screen keyboard or number pad open (ACCESSIBILITY.md, "nothing needed to
answer is below the fold"): the page reflows rather than hiding a control. Choices go
into two columns from Large text up, and where a long list still does not fit, into
pages of whole answers turned by arrows; a number pad stands beside the words with keys
as tall as their digits need (never under 12 mm); a typed answer sits with Next just
above the keyboard; the error appears right under the title it names (or beside the
field, above a keyboard that leaves no room); and when the page would still scroll,
the question shortens to its title, the rest behind "More" (question_fit).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.answers import Answer
from forms.definition import Question, Record
from kiosk.amounts import Amounts
from kiosk.answer_widgets import AnswerInput, ChoiceInput, PadInput, TextInput
from kiosk.date_input import DateInput
from kiosk.i18n import Words
from kiosk.screens.answer_pages import AnswerPages
from kiosk.screens.page import MoreWords, Page
from kiosk.screens.question_fit import QuestionFit
from kiosk.screens.question_input import answer_input
from kiosk.theme import MIN_GAP_MM, MIN_TARGET_MM, PRIMARY_TARGET_MM, Theme
from kiosk.widgets import button, label, line_tall_px

KEY_PADDING_MM = 0.5
DIGIT_FONTS = ("Noto Sans",)
"""The pad's digits are the same in every language: in a Latin font, a line less tall."""


class QuestionScreen(Page):
    answered = Signal(object)
    """Next was tapped; carries the raw answer (choice value, list, bool, digits or text)."""
    answered_unknown = Signal()
    """ "I don't know" (or "Skip") was tapped."""
    answers_turned = Signal(list)
    """Another page of a long list of choices is shown: the values on it."""

    def __init__(
        self,
        theme: Theme,
        words: Words,
        question: Question,
        step: tuple[int, int],
        previous: Answer,
        records: tuple[Record, ...] = (),
        service_title: str = "",
        amounts: Amounts | None = None,
    ) -> None:
        """`amounts`: the income choices' limits in won (kiosk.amounts)."""
        super().__init__(theme, words)
        _ = self.words._
        self.question = question
        self.amounts = amounts or Amounts()
        self.fit = QuestionFit(self)
        gap = theme.gap_px
        self.outer.setContentsMargins(gap * 3, gap, gap * 3, gap)  # every line counts
        if theme.text_size == "extra_large":  # more so at 12 mm text: half a gap
            self.outer.setContentsMargins(gap * 3, gap // 2, gap * 3, gap // 2)
        self.input = self._input(previous)
        # A pad question puts its pad beside the words, so that at the largest text
        # size both fit on the screen; a typed answer sits with Next under the page,
        # just above the keyboard; choices follow the words.
        beside = isinstance(self.input, PadInput | DateInput)
        typed = isinstance(self.input, TextInput)
        self.columns = columns = QHBoxLayout()
        columns.setSpacing(gap * 4)
        self.beside = beside
        # At Extra-large a pad is four columns wide and its page's actions go under the
        # words, short captions in one row: beside the pad, the question and its error
        # then have the width and height a 16:9 screen of 12 mm text leaves them.
        self.pad_actions: QHBoxLayout | None = None
        compact_pad = beside and theme.text_size == "extra_large"
        self.words_column = QVBoxLayout()
        # Tighter at the larger sizes, where every line counts (still 3 mm and more).
        spacing = gap * 2 if theme.text_size == "standard" else gap
        if theme.text_size == "extra_large":  # between words, or words and targets
            spacing = gap // 2
        self.words_column.setSpacing(spacing)
        self.answer_column = QVBoxLayout() if beside else self.words_column
        columns.addLayout(self.words_column, 1)
        if beside:  # the wider: Clear and Delete keep their words on one line
            self.answer_column.setSpacing(spacing)
            columns.addLayout(self.answer_column, 3)
        self.body.addLayout(columns)
        step_text = _("Step {n} of {m}").format(n=words.number(step[0]), m=words.number(step[1]))
        if service_title:
            step_text = f"{step_text} · {service_title}"
        self.title = label(words.text(question.label), "title")
        # Body text is 12 mm already at Extra-large, and at Large above the keyboard
        # (a 720 px screen keeps ~200 px for the question there): bold, not bigger.
        if theme.text_size == "extra_large" or (typed and theme.text_size == "large"):
            self.fit.title.plain()
        # The question first and the error right under it (the step, which wraps onto
        # several lines beside a pad or at the largest size, after them): what is needed
        # to answer stays in view whatever room the keyboard or the pad leaves.
        # At Extra-large above choices, a row the error can join when both fit on one
        # line ("What would you like to learn?   Please answer first."): a line more for
        # the choices (question_fit).
        self.title_row: QHBoxLayout | None = None
        if theme.text_size == "extra_large" and not beside and not typed:
            self.title_row = QHBoxLayout()
            self.title_row.setSpacing(gap * 2)
            self.title_row.addWidget(self.title)
            self.words_column.addLayout(self.title_row)
        else:
            self.words_column.addWidget(self.title)
        self.error: QLabel = label("", "error")
        self.error.hide()
        # Across the page above both columns beside a pad (the words' column is narrow),
        # except a date's: its pad has a row of fields more, its words' column has room.
        # From Large up (with the actions at the side), under the typed number or the
        # date's fields, above the pad: the words' column keeps its height for the question.
        if beside and theme.text_size != "standard":
            box = self.input.layout()
            assert isinstance(box, QVBoxLayout)
            box.setSpacing(gap)  # 3 mm: the field and the pad each a line more
            self.columns.setStretch(1, 0)
            columns.setSpacing(gap * 2)
            self.words_column.addWidget(self.error)
            if isinstance(self.input, PadInput | DateInput) and compact_pad:
                # Every pixel of 16:9 counts: the least gap between targets (2.5 mm,
                # rounded up), half a gap between lines of words.
                least = theme.px_at_least(MIN_GAP_MM)
                grid = self.input.pad.layout()
                assert grid is not None
                for layout in (box, self.answer_column, grid):
                    layout.setSpacing(least)
                self.words_column.setSpacing(gap // 2)
        elif beside and not isinstance(self.input, DateInput):
            self.body.insertWidget(0, self.error)
            self.body.setSpacing(gap)  # a line of error costs the pad as little as it can
        else:
            self.words_column.addWidget(self.error)
        # A service's name like "주민등록등본·초본" is one long word: it may break after
        # its middle dot, or it would set the width of the column beside a pad.
        self.step_label = label(step_text.replace("·", "·\u200b"), "step")
        # The step, help, example and records: behind "More" when they would push the
        # answer controls out of view (see MoreWords); speech still says the step.
        self.more_words: list[QLabel] = [self.step_label]
        if question.help:
            self.more_words.append(label(words.text(question.help), "muted"))
        if question.example:
            self.more_words.append(label(words.text(question.example), "muted"))
        if question.type == "records_consent":
            self.more_words += [label("• " + words.text(r.label)) for r in records]
        # Not a wrapping button on the page or under it: its height for a width would
        # make the page ask for all of its scrolling content's height, past what the
        # keyboard leaves. In the column of actions at the side (below), it wraps.
        side = not typed and theme.text_size != "standard" and not compact_pad
        self.more_button = button(_("More about this question"), wrap=side)
        # Beside a typed answer's field from Large up, the row above the keyboard holds
        # the field, More, Skip and Next: the short captions (the long ones are heard);
        # so does the row under the words beside an Extra-large pad.
        short = (typed and theme.text_size != "standard") or theme.text_size == "extra_large"
        if short:
            self.more_button.setText(_("More"))
            self.more_button.setAccessibleName(_("More about this question"))
        for widget in self.more_words:
            self.words_column.addWidget(widget)
        skippable = question.allow_unknown or not question.required
        # From Large text up, a page of choices or a pad has its actions in a column at
        # the right rather than in a row under it: on a wide screen the height is what
        # runs short (the row costs a line of 12 mm text and more), the width is not.
        self.side: QWidget | None = None
        self.actions_below = False
        """More, I don't know and Next in the row under the page, not in `side`."""
        if side:
            self.side = self._side_column()
        # Under the page it takes no line; but choices with Skip or I don't know fill
        # that row (Next and the choices' own long captions): there, after the choices.
        more_on_page = skippable and not beside and not typed and self.side is None
        if compact_pad:
            self.pad_actions = QHBoxLayout()
            self.pad_actions.setSpacing(gap)
            self.pad_actions.addWidget(self.more_button)
        elif self.side is not None:
            self.side_column.addWidget(self.more_button)
        elif not more_on_page:
            self.action_row.addWidget(self.more_button)
        if typed:
            self.action_row.addWidget(self.input, 1)
        else:
            self.answer_column.addWidget(self.input)
        self.unit: QLabel | None = None
        if question.unit:
            self.unit = label(words.text(question.unit), "muted")
            # Beside the four-column pad, under the question: the pad's column has no
            # line to spare under the pad and "I don't know".
            unit_column = self.words_column if compact_pad else self.answer_column
            unit_column.addWidget(self.unit)
        self.input.changed.connect(self.error.hide)
        # Stretch, not layout alignment, keeps the columns at the top: an aligned layout
        # gets its size hint's height, and wrapped words would be cut off.
        if more_on_page:
            self.words_column.addWidget(self.more_button)
        self.words_column.addStretch(1)
        if self.pad_actions is not None:
            self.words_column.addLayout(self.pad_actions)
        if isinstance(self.input, PadInput | DateInput):
            self.answer_column.addStretch(1)
            if compact_pad:
                self.input.pad.four_columns()
            self._compact_pad(self.input, compact_pad)
        # Choices that do not fit even in columns go into pages turned by arrows at the
        # top of the column of actions (answer_pages), not into a list that scrolls.
        self.answer_pages: AnswerPages | None = None
        if isinstance(self.input, ChoiceInput) and self.side is not None:
            self.answer_pages = AnswerPages(theme, words, self.input)
            self.answer_pages.turned.connect(self.answers_turned)
            self.middle.insertWidget(1, self.answer_pages.widget)  # where scroll arrows go
        if isinstance(self.input, ChoiceInput):
            self._choice_columns(self.input)
        self.unknown_button: QPushButton | None = None
        actions = self.action_row if self.side is None else self.side_column
        if self.pad_actions is not None:
            actions = self.pad_actions
        if skippable:
            text = _("I don't know") if question.allow_unknown else _("Skip this question")
            self.unknown_button = button(text, wrap=self.side is not None)
            if short and not question.allow_unknown:
                self.unknown_button.setText(_("Skip"))
                self.unknown_button.setAccessibleName(text)
            self.unknown_button.clicked.connect(self.answered_unknown)
            if self.pad_actions is not None:
                # An answer too: under the pad, where the row under the words (More and
                # Next) has no room for a third caption.
                self.answer_column.insertWidget(
                    self.answer_column.indexOf(self.input) + 1, self.unknown_button
                )
            else:
                actions.addWidget(self.unknown_button)
        self.next_button = button(_("Next"), "primary")
        self.next_button.clicked.connect(self._next)
        if self.pad_actions is not None:
            self.pad_actions.addStretch(1)  # Next at the right, beside the pad
        actions.addWidget(self.next_button)
        if short:
            # Above the keyboard (and under the words beside a pad) every line counts:
            # the field, Skip and More as tall as a line of text needs (12 mm and more),
            # Next 16 mm and more, not 1.9-2.2 times the text; the row closer to the words.
            compact = f"min-height: {self._compact_px()}px;"
            for control in (self.unknown_button, self.more_button):
                if control is not None:
                    control.setStyleSheet(compact)
            primary = max(self._compact_px(), theme.px(PRIMARY_TARGET_MM))
            self.next_button.setStyleSheet(f"min-height: {primary}px;")
            if typed:
                self.input.setStyleSheet(f"QLineEdit {{ {compact} }}")
                self.outer.setSpacing(gap)
                self.words_column.setSpacing(gap // 2)  # between words, not between targets
        self.more = MoreWords(self, self.more_button, self.more_words)
        # Arrows need no text-high buttons: 12 mm high ones leave the words more room.
        for arrow in (self.scroll_up, self.scroll_down):
            arrow.setMinimumSize(theme.target_px, theme.px(MIN_TARGET_MM))

    def _side_column(self) -> QWidget:
        """More, I don't know and Next one above the other at the right, Next at the
        bottom corner where every other page has its main action."""
        side = QWidget()
        self.side_column = QVBoxLayout(side)
        self.side_column.setContentsMargins(0, 0, 0, 0)
        self.side_column.setSpacing(self.theme.gap_px * 2)
        self.side_column.addStretch(1)
        self.middle.addWidget(side, 0)
        return side

    def side_buttons(self) -> list[QPushButton]:
        found = [self.more_button, self.next_button, self.unknown_button]
        return [b for b in found if b is not None]

    @Slot()
    def resync_scroll(self) -> None:
        """The scroll arrows shown or not as the page's scroll range is now: once the
        layouts asked for by the reflow are done (not a range from before it, which would
        show the arrows, and then, narrowed by them, the page would scroll for good)."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        inside = self.scroll_area.verticalScrollBar()
        self._range_changed(inside.minimum(), inside.maximum())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Beside a pad, a question too long for a quarter of the page (in Mongolian at
        Extra-large, taller than the screen) gets two fifths of it."""
        super().resizeEvent(event)
        if self.side is not None:
            width, height = event.size().width(), event.size().height()
            self.side.setFixedWidth(self.fit.side_width(width, height))
        if self.theme.text_size != "standard":
            self.fit.reflow(event.size().width(), event.size().height())
        if self.beside and self.theme.text_size == "standard":
            # The page's own size: its scroll area's is not yet laid out at this point.
            quarter = max(1, (event.size().width() - self.theme.gap_px * 10) // 4)
            tall = self.title.heightForWidth(quarter) > event.size().height()
            self.columns.setStretch(0, 2 if tall else 1)

    def _compact_pad(self, pad_input: PadInput | DateInput, four: bool = False) -> None:
        """Keys as tall as their digit needs and never under 12 mm: at the largest text a
        pad of text-high buttons would not fit beside the question. Beside the four-column
        pad, the digits (keys, the typed number, a date's fields) in Noto Sans, whose
        line is less tall than a CJK or Thai font's, and keys as narrow as 12 mm: the
        fit picks their width (question_fit)."""
        sheet = f"QPushButton, QLineEdit {{ min-height: {self._compact_px()}px; }}"
        if self.theme.text_size != "standard":  # a key's words need its width more
            sheet += f"QPushButton {{ padding: 0 {self.theme.px(1)}px; }}"
        if four:
            latin = line_tall_px(self.theme, self.font(), KEY_PADDING_MM, list(DIGIT_FONTS))
            families = ", ".join(f'"{f}"' for f in DIGIT_FONTS)
            narrow = self.theme.px(MIN_TARGET_MM)
            sheet += (
                f"QPushButton#digit, QPushButton#choice, QLineEdit {{ min-height: {latin}px;"
                f" font-family: {families}; }}"
                f"QPushButton#digit, QPushButton#choice {{ min-width: {narrow}px; }}"
            )
        pad_input.setStyleSheet(sheet)

    def _compact_px(self) -> int:
        """A control as tall as one line of text needs, and never under 12 mm."""
        return line_tall_px(self.theme, self.font(), KEY_PADDING_MM)

    def _choice_columns(self, choices: ChoiceInput) -> None:
        """Two columns of choices from Large text up (and for long lists at any size):
        half the height, so that every choice and Next stay on the screen. From Large up
        the page then picks the columns (and the captions) that fit: `_reflow_choices`."""
        count = len(choices.buttons)
        if self.theme.text_size != "standard":
            # As tall as a line needs (12 mm and more): long lists keep every choice in view.
            choices.setStyleSheet(f"QPushButton#choice {{ min-height: {self._compact_px()}px; }}")
            grid = choices.layout()
            assert isinstance(grid, QGridLayout)
            grid.setSpacing(self.theme.gap_px)  # 3 mm apart: every line of text counts
            if self.theme.text_size == "extra_large":  # the least gap, 2.5 mm rounded up
                grid.setSpacing(self.theme.px_at_least(MIN_GAP_MM))
        if count < 2 or (self.theme.text_size == "standard" and count < 4):
            return
        self.fit.choices.grid(2)

    def _input(self, previous: Answer) -> AnswerInput:
        answer = answer_input(self.theme, self.words, self.question, previous, self.amounts)
        if isinstance(answer, TextInput):
            answer.entry.returnPressed.connect(self._next)
        return answer

    def showEvent(self, event: QShowEvent) -> None:
        """A typed answer's field takes the focus once the page is on the window (not
        before: a hidden page's focus goes nowhere), and the keyboard comes up under it."""
        super().showEvent(event)
        if self.theme.text_size != "standard":  # now with the window's fonts
            self.fit.reflow(self.width(), self.height())
        if isinstance(self.input, TextInput):
            self.input.entry.setFocus(Qt.FocusReason.OtherFocusReason)

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
        self.error.setText(self.fit.shown_problem(text))
        self.error.show()
        if self.theme.text_size != "standard":
            self.fit.reflow(self.width(), self.height())
        self.scroll_area.ensureWidgetVisible(self.error)
