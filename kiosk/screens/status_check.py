"""Check an application: the resident enters the reference number from their receipt.

It comes from the on-screen pad, or from a keyboard or a USB scanner that "types" the
receipt's QR code and ends with Enter. The screen only collects and checks the form of
the number; the journey looks it up.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import Words
from kiosk.screens.page import MoreWords, Page
from kiosk.theme import MIN_GAP_MM, Theme
from kiosk.widgets import button, label
from sync.ids import ALPHABET, normalise_reference

REFERENCE_LENGTH = 10
KEYS_PER_ROW = 8
"""The 32 characters make four full rows, in reading order; Clear and Delete share a fifth."""
MAX_TYPED = 24
"""A scanner may send more than a reference: keep it (up to this), so it is refused, not cut."""
KEY_MM = 16.0
"""A pad key's height: the size at which older users make fewer errors (12 mm is the floor)."""
MIN_KEY_MM = 12.0
LATIN_FACE = "Noto Sans"
_READ_AS = {"O": "0", "I": "1", "L": "1"}
NO_BREAK_HYPHEN = "\u2011"
EXAMPLE = NO_BREAK_HYPHEN.join(("ABCD", "1234", "EF"))
"""An obviously made-up reference; its hyphens never break, so it is never split over lines."""


def reference_char(typed: str) -> str:
    """The reference character a typed one stands for ("" for none); O, I, L read as 0, 1, 1."""
    upper = typed.upper()
    upper = _READ_AS.get(upper, upper)
    return upper if len(upper) == 1 and upper.isalnum() else ""


def shown_reference(code: str) -> str:
    """What the display shows: XXXX-XXXX-XX, with _ for the characters still to come."""
    padded = code + "_" * max(0, REFERENCE_LENGTH - len(code))
    return f"{padded[:4]}-{padded[4:8]}-{padded[8:]}"


class ReferencePad(QWidget):
    """Exactly the reference alphabet (digits, then letters in order), Clear and Delete."""

    changed = Signal(str)

    def __init__(self, theme: Theme, delete_text: str, clear_text: str) -> None:
        super().__init__()
        self.code = ""
        # Keys may be wider than tall: then Clear and Delete, four keys wide, fit their
        # words at the largest text size, and the words beside the pad still have room.
        height = max(theme.px_at_least(KEY_MM), round(theme.font_px * 1.4))
        # A key holds one capital or digit (about 0.7 of the text size wide): eight of
        # them as wide as the words need, so the row fits beside the question on a
        # 1280 px screen at Extra-large (1.6 times the text made it 1,351 px).
        width = max(theme.px_at_least(MIN_KEY_MM), round(theme.font_px * 1.05))
        # The reference's characters are Latin capitals and digits: in the Latin face,
        # whose lines are lower than Thai's or Japanese's (five rows then fit at
        # Extra-large on a 720 px screen); Clear and Delete keep the language's.
        self.setStyleSheet(
            f"QPushButton {{ min-height: {height}px; min-width: {width}px; padding: 0px; }}"
            f' QPushButton#character {{ font-family: "{LATIN_FACE}"; }}'
        )
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.px_at_least(MIN_GAP_MM))
        self.keys: dict[str, QPushButton] = {}
        for index, char in enumerate(ALPHABET):
            self._add_key(grid, char, char, index // KEYS_PER_ROW, index % KEYS_PER_ROW, 1)
        row = -(-len(ALPHABET) // KEYS_PER_ROW)
        half = KEYS_PER_ROW // 2
        self._add_key(grid, "clear", clear_text, row, 0, half)
        self._add_key(grid, "delete", delete_text, row, half, KEYS_PER_ROW - half)

    def _add_key(
        self, grid: QGridLayout, key: str, caption: str, row: int, column: int, span: int
    ) -> None:
        widget = button(caption, "character" if len(key) == 1 else "")
        widget.setAccessibleName(caption)
        widget.clicked.connect(lambda _=False, k=key: self.press(k))
        self.keys[key] = widget
        grid.addWidget(widget, row, column, 1, span)

    @Slot(str)
    def press(self, key: str) -> None:
        """A tap: a pad never takes more characters than a reference has."""
        if key == "clear":
            self.code = ""
        elif key == "delete":
            self.code = self.code[:-1]
        elif len(self.code) < REFERENCE_LENGTH:
            self.code += key
        self.changed.emit(self.code)

    def type_text(self, text: str) -> None:
        """Keyboard or scanner characters; separators are skipped, anything else is kept."""
        for typed in text:
            char = reference_char(typed)
            if char and len(self.code) < MAX_TYPED:
                self.code += char
        self.changed.emit(self.code)


class CodeEntryPage(Page):
    """A code typed on the large pad beside the words that ask for it: the pad, a
    keyboard or a scanner type into it, Enter submits. Subclasses put their words in
    `words_column`, their action under the page, and say what `submit` does."""

    def __init__(self, theme: Theme, words: Words, accessible_name: str, style: str = "") -> None:
        super().__init__(theme, words)
        _ = self.words._
        columns = QHBoxLayout()
        columns.setSpacing(theme.gap_px * 4)
        # Stretch, not layout alignment, keeps the columns at the top: an aligned layout
        # gets its size hint's height, and wrapped words would be cut off.
        self.words_column = QVBoxLayout()
        self.words_column.setSpacing(theme.gap_px * 2)
        pad_column = self.pad_column = QVBoxLayout()
        pad_column.setSpacing(theme.gap_px * 2)
        # At Extra-large the pad the wider: Clear and Delete keep their words on a line.
        wide = theme.text_size == "extra_large"
        columns.addLayout(self.words_column, 2 if wide else 1)
        columns.addLayout(pad_column, 3 if wide else 1)
        self.body.addLayout(columns)
        self.display = QLineEdit()
        self.display.setReadOnly(True)
        self.display.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setAccessibleName(accessible_name)
        # At Extra-large the body text is 12 mm already: the code bold at that size.
        size = theme.font_px if theme.text_size == "extra_large" else theme.title_px
        self.display.setStyleSheet(
            f'font-size: {size}px; font-weight: 700; font-family: "{LATIN_FACE}"; {style}'.rstrip()
        )
        self.pad = ReferencePad(theme, _("Delete"), _("Clear"))
        pad_column.addWidget(self.display)
        pad_column.addWidget(self.pad)
        pad_column.addStretch(1)
        # Typed and scanned characters reach this screen from whichever of its
        # widgets has the focus (the pad's keys pass them on).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def submit(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace:
            self.pad.press("delete")
        elif event.text() and event.text().isprintable():
            self.pad.type_text(event.text())
        else:
            super().keyPressEvent(event)


class StatusCheckScreen(CodeEntryPage):
    """One question, the reference number, with the pad beside it so both fit at any size."""

    looked_up = Signal(str)
    """A well-formed reference, in canonical XXXX-XXXX-XX form, to look up."""

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words, words._("Reference number"), "min-height: 0px;")
        _ = self.words._
        words_column = self.words_column
        step = label(_("Check an application"), "step")
        words_column.addWidget(step)
        title = label(_("What is your reference number?"), "title")
        if theme.text_size == "extra_large":  # body text is 12 mm already: bold, not bigger
            title.setStyleSheet(f"font-size: {theme.font_px}px;")
        words_column.addWidget(title)
        # The message sits under the question, where it is seen before the help below.
        self.error = label("", "error")
        self.error.hide()
        words_column.addWidget(self.error)
        where = _("It is on your receipt: 10 letters and numbers, for example {example}.")
        scanner = _("If your receipt has a QR code, you can also hold it under the scanner.")
        self.more_words = [step, label(where.format(example=EXAMPLE), "muted")]
        self.more_words.append(label(scanner, "muted"))
        for widget in self.more_words[1:]:
            words_column.addWidget(widget)
        # When the page would scroll (Extra-large on a small screen), the words shorten to
        # the question, the rest behind "More", as on a question's page.
        self.more_button = button(_("More about this question"), wrap=True)
        self.more = MoreWords(self, self.more_button, self.more_words, reveal=-1)
        self.pad.changed.connect(self._show)
        self._show("")

        self.look_up_button = button(_("Look it up"), "primary")
        self.look_up_button.clicked.connect(self.look_up)
        if theme.text_size == "extra_large":
            # Under the question, not under the page: the pad beside it then has the
            # page's whole height (five rows of 12 mm characters and the code above).
            # "More" in a word under it (its whole name for screen readers).
            words_column.addWidget(self.look_up_button)
            self.more_button.setText(_("More"))
            self.more_button.setAccessibleName(_("More about this question"))
            words_column.addWidget(self.more_button)
            gap = theme.gap_px
            # Every line counts (the bar's own margin keeps its buttons 3 mm away).
            self.outer.setContentsMargins(gap * 3, gap // 2, gap * 3, gap // 2)
            self.pad_column.setSpacing(theme.px_at_least(MIN_GAP_MM))
            self.display.setStyleSheet(self.display.styleSheet() + " padding: 0px;")
        else:
            words_column.addWidget(self.more_button)
            self.action_row.addWidget(self.look_up_button)
        words_column.addStretch(1)

    @property
    def typed(self) -> str:
        """What has been entered so far, as reference characters without hyphens."""
        return self.pad.code

    @Slot(str)
    def _show(self, code: str) -> None:
        self.display.setText(shown_reference(code))
        self.error.hide()

    @Slot()
    def look_up(self) -> None:
        """Look up only what can be a reference; anything else is explained, not sent."""
        reference = normalise_reference(self.pad.code)
        if reference is None:
            self.show_problem(
                self.words._(
                    "A reference number has 10 letters and numbers, like {example}. "
                    "Please check the number on your receipt and enter it again."
                ).format(example=EXAMPLE)
            )
            return
        self.looked_up.emit(reference)

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        QTimer.singleShot(0, self, self._reveal_problem)  # once the layout has made room

    @Slot()
    def _reveal_problem(self) -> None:
        """Scroll only as far as the message's first lines: the number typed stays in view."""
        top = self.error.mapTo(self.scroll_content, QPoint(0, 0)).y()
        self.scroll_area.ensureVisible(0, top, 0, self.error.fontMetrics().height())

    def submit(self) -> None:
        self.look_up()
