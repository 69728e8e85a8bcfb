"""Building blocks every screen uses: wrapping labels, big buttons, the number pad."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPolygonF,
    QShowEvent,
    QTextLayout,
    QTextLine,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from forms.languages import Language
from kiosk.theme import MIN_TARGET_MM, Theme


def label(text: str, name: str = "", selectable: bool = False) -> QLabel:
    """A label that wraps instead of clipping, whatever the language and text size."""
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    # A style sheet's padding gives the label a frame width, and with it Qt's automatic
    # indent of half an "x": headings then stood a few pixels right of the text under them.
    widget.setIndent(0)
    if name:
        widget.setObjectName(name)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


def card(theme: Theme, horizontal: bool = False) -> tuple[QFrame, QBoxLayout]:
    """A framed box for one service's own things (its button and reasons, its number and
    code): what is inside belongs together, and nothing can be read as belonging to the
    service above or below it."""
    frame = QFrame()
    frame.setObjectName("card")
    inside: QBoxLayout = QHBoxLayout(frame) if horizontal else QVBoxLayout(frame)
    gap = theme.gap_px
    inside.setContentsMargins(gap, gap, gap, gap)
    inside.setSpacing(gap)
    return frame, inside


def line_tall_px(
    theme: Theme, font: QFont, padding_mm: float, families: list[str] | None = None
) -> int:
    """A control as tall as one line of text at the theme's size needs (`font` with the
    theme's size and families, or `families`), `padding_mm` more, and never under 12 mm:
    not the 1.9 times the text a default button takes, where every line counts."""
    font = QFont(font)
    font.setPixelSize(theme.font_px)
    font.setFamilies(families or theme.font_families())
    return max(theme.px(MIN_TARGET_MM), QFontMetrics(font).height() + theme.px(padding_mm))


def button(text: str, name: str = "", checkable: bool = False, wrap: bool = False) -> QPushButton:
    """A big button. With `wrap`, its words take more lines (and the button more height)
    when it is narrower than they are long, instead of being cut off."""
    widget = WrapButton(text) if wrap else QPushButton(text)
    if name:
        widget.setObjectName(name)
    widget.setCheckable(checkable)
    vertical = QSizePolicy.Policy.Preferred if wrap else QSizePolicy.Policy.Fixed
    policy = QSizePolicy(QSizePolicy.Policy.Expanding, vertical)
    policy.setHeightForWidth(wrap)
    widget.setSizePolicy(policy)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return widget


def language_button(lang: Language, name: str = "", checkable: bool = False) -> QPushButton:
    """A big button naming a language in that language, in its own script's fonts (a
    resident finds their language by it; Chinese needs its own CJK face)."""
    widget = button(lang.native_name, name, checkable)
    font = QFont(widget.font())
    font.setFamilies(list(lang.font_families))
    widget.setFont(font)
    return widget


def fold_button(text: str, opened: bool = False) -> QPushButton:
    """A full-width button that shows or hides what follows it: its words behind a drawn
    ▸ (folded) or ▾ (open), kept in step with its checked state; a screen reader hears
    only the words, and the state from the button being checked."""
    widget = button("", "choice", checkable=True, wrap=True)
    widget.setAccessibleName(text)
    widget.toggled.connect(lambda on: widget.setText(("▾ " if on else "▸ ") + text))
    widget.setText("▸ " + text)
    widget.setChecked(opened)
    return widget


TICK_BOXES = ("☐ ", "☑ ")
"""Not ticked, ticked: a many-of-many choice."""
CHOSEN = ("", "✓ ")
"""Not chosen, chosen: a one-of-many choice."""


def mark(choice: QAbstractButton, text: str, on: bool, many: bool) -> None:
    """Show whether `choice` is picked by a drawn mark before its words (never by colour
    alone), while a screen reader hears only the words: its role (check box or radio
    button, see `one_of_many`) and checked state already say the rest."""
    marks = TICK_BOXES if many else CHOSEN
    choice.setText(marks[on] + text)
    choice.setAccessibleName(text)


def one_of_many(*choices: QAbstractButton) -> None:
    """Checkable buttons of which only one can be picked: a screen reader presents them as
    radio buttons (Qt exposes checkable, auto-exclusive buttons so), not as check boxes."""
    for choice in choices:
        choice.setAutoExclusive(True)


def _each_line(
    text: str, font: QFont, width: int, mode: QTextOption.WrapMode
) -> Iterator[tuple[str, QTextLine]]:
    """Each line of `text` laid out `width` wide, as Qt breaks lines (Unicode line
    breaking, so Thai and CJK too), with the paragraph it is in."""
    option = QTextOption()
    option.setWrapMode(mode)
    for paragraph in text.split("\n"):
        layout = QTextLayout(paragraph, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 1))
            yield paragraph, line
        layout.endLayout()


def _layout_lines(text: str, font: QFont, width: int, mode: QTextOption.WrapMode) -> list[str]:
    lines = [
        paragraph[line.textStart() : line.textStart() + line.textLength()]
        for paragraph, line in _each_line(text, font, width, mode)
    ]
    return [line.strip() for line in lines] or [""]


def text_extent(text: str, font: QFont, width: int) -> tuple[int, int]:
    """(widest line, height of all lines) of `text` broken between words at `width`:
    a widest line over `width` means a word that cannot be broken does not fit."""
    widest = height = 0.0
    for _paragraph, line in _each_line(text, font, width, QTextOption.WrapMode.WordWrap):
        widest = max(widest, line.naturalTextWidth())
        height += line.height()
    return round(widest), round(height)


def wrapped(text: str, font: QFont, width: int) -> str:
    """`text` with line breaks so that no line is wider than `width`: between words
    where they fit, inside a word only when the word alone is wider."""
    mode = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
    return "\n".join(_layout_lines(text, font, width, mode))


def unbreakable_pieces(text: str, font: QFont) -> list[str]:
    """The pieces of `text` that a line may not be broken inside (words, for most scripts)."""
    return _layout_lines(text, font, 1, QTextOption.WrapMode.WordWrap)


class WrapButton(QPushButton):
    """A push button whose caption wraps onto as many lines as its width needs.

    `text()` stays the whole caption (for tests, speech and accessibility); only the
    painting breaks it into lines, which the style then draws like any button's label,
    in the colours of the button's state.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        # A ticked button's border is thicker: its room for the caption changes with it.
        self.toggled.connect(self.updateGeometry)
        self._heights: dict[tuple[str, bool, int], int] = {}
        """Height for (caption, ticked, width): layouts ask many times for the same."""
        self._least_width = 0
        self.block_room = True
        """Half a line more above and below a caption of several lines; a key whose
        height is set by its neighbours (the pad's two-row Delete) needs none."""

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._heights.clear()
            self._take_style_minimum()
        return handled

    def _take_style_minimum(self) -> None:
        """A style sheet's min-width becomes the widget's fixed minimum width, which
        layouts obey instead of `minimumSizeHint`: keep it as a floor of our own."""
        if self.minimumWidth() > 0:
            self._least_width = self.minimumWidth()
            self.setMinimumWidth(0)

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return option

    def text_width(self, width: int) -> int:
        """The room for the caption in a button `width` wide: less border and padding."""
        option = self._option()
        option.rect = QRect(0, 0, max(width, 1), 10_000)
        inside = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        return inside.width()

    def _size_around(self, caption: str) -> QSize:
        """The button's size around `caption` (lines split by \\n), as the style makes it."""
        metrics = self.fontMetrics()
        contents = metrics.size(Qt.TextFlag.TextShowMnemonic, caption or " ")
        if "\n" in caption and self.block_room:  # room above and below, not only between
            contents += QSize(0, metrics.height() // 2)
        return self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton, self._option(), contents, self
        )

    def caption(self, width: int | None = None) -> str:
        """The caption as it is shown at `width` (the button's own by default)."""
        shown = self.width() if width is None else width
        return wrapped(self.text(), self.font(), self.text_width(shown))

    def sizeHint(self) -> QSize:
        """The caption on one line: what a layout gives when there is room."""
        return self._size_around(self.text())

    def minimumSizeHint(self) -> QSize:
        """As narrow as the longest word: lines break between words, never inside one."""
        metrics = self.fontMetrics()
        pieces = unbreakable_pieces(self.text(), self.font())
        widest = max(metrics.horizontalAdvance(piece) for piece in pieces)
        narrow = self.style().sizeFromContents(
            QStyle.ContentsType.CT_PushButton,
            self._option(),
            QSize(widest + 1, metrics.height()),
            self,
        )
        one_line = self.sizeHint()
        width = narrow.width()
        room = self.text_width(width)
        if room < widest:  # a style sheet's padding and border, which the hint may miss
            width += widest - room
        width = max(min(width, one_line.width()), self._least_width)
        return QSize(width, one_line.height())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        key = (self.text(), self.isChecked(), width)
        if key not in self._heights:
            self._heights[key] = self._size_around(self.caption(width)).height()
        return self._heights[key]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = self._option()
        option.text = self.caption()
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)


class NumberPad(QWidget):
    """A large on-screen number pad: digits, delete and clear. Emits the text as it changes."""

    changed = Signal(str)

    def __init__(
        self, max_digits: int = 12, delete_text: str = "⌫", clear_text: str = "C", spacing: int = 12
    ) -> None:
        """`spacing`: between the keys, at least the 2.5 mm neighbouring controls need."""
        super().__init__()
        self.max_digits = max_digits
        self.text = ""
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(spacing)
        self.keys: dict[str, QPushButton] = {}
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete"]
        for index, key in enumerate(layout):
            caption = {"clear": clear_text, "delete": delete_text}.get(key, key)
            widget = button(caption, "" if key in ("clear", "delete") else "digit", wrap=True)
            widget.setAccessibleName(caption)
            widget.clicked.connect(lambda _=False, k=key: self._press(k))
            self.keys[key] = widget
            grid.addWidget(widget, index // 3, index % 3)
        self._grid = grid
        self.columns = 3
        for key_button in self.keys.values():
            policy = key_button.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            key_button.setSizePolicy(policy)

    def four_columns(self) -> None:
        """1-2-3 / 4-5-6 / 7-8-9 / a wide 0, with Delete and Clear each two rows tall in
        a fourth column: their words get two lines rather than a key as wide as both
        words, and the three digit columns need only a digit's width (the largest text
        on a short screen, where the pad, the question and the error share 16:9)."""
        for key_button in self.keys.values():
            self._grid.removeWidget(key_button)
        for index, digit in enumerate("123456789"):
            self._grid.addWidget(self.keys[digit], index // 3, index % 3)
        self._grid.addWidget(self.keys["0"], 3, 0, 1, 3)
        self._grid.addWidget(self.keys["delete"], 0, 3, 2, 1)
        self._grid.addWidget(self.keys["clear"], 2, 3, 2, 1)
        for key in ("delete", "clear"):
            tall = self.keys[key]
            if isinstance(tall, WrapButton):
                tall.block_room = False
        self.columns = 4

    def column_keys(self) -> list[list[QPushButton]]:
        """The keys of each column (a key spanning columns counts in none: it is wider)."""
        if self.columns == 4:
            digits = [[self.keys[d] for d in column] for column in ("147", "258", "369")]
            return [*digits, [self.keys["delete"], self.keys["clear"]]]
        keys = list(self.keys.values())
        return [keys[column::3] for column in range(3)]

    def least_widths(self) -> list[int]:
        """Each column's least width: its longest word's; in four columns, Delete and
        Clear as wide as their words need to fit in their two rows' height (a script
        that breaks anywhere, like Japanese, would otherwise stand one letter a line)."""
        columns = self.column_keys()
        for keys in columns:
            for key in keys:
                key.ensurePolished()
        least = [max(key.minimumSizeHint().width() for key in keys) for keys in columns]
        if self.columns == 4:
            one = self.keys["1"]
            tall = 2 * max(one.minimumHeight(), one.sizeHint().height()) + self._grid.spacing()
            for key in columns[3]:
                width, widest = least[3], max(least[3], key.sizeHint().width())
                while width < widest and key.heightForWidth(width) > tall:
                    width += 2
                least[3] = max(least[3], width)
        return least

    def showEvent(self, event: QShowEvent) -> None:
        """Equal digit columns where there is room, whatever the words on Clear and
        Delete (a pad whose "2" is narrower than its "1" looks broken); where there is
        not, each column as wide as its longest word needs. Measured here, with the
        window's fonts: not known before."""
        for column, widest in enumerate(self.least_widths()):
            self._grid.setColumnStretch(column, 1 if column < 3 else 0)
            self._grid.setColumnMinimumWidth(column, widest)
        super().showEvent(event)

    def set_text(self, text: str) -> None:
        self.text = text
        self.changed.emit(self.text)

    @Slot()
    def _press(self, key: str) -> None:
        if key == "clear":
            self.text = ""
        elif key == "delete":
            self.text = self.text[:-1]
        elif len(self.text) < self.max_digits:
            self.text += key
        self.changed.emit(self.text)


class ArrowButton(QPushButton):
    """A large square button with a drawn triangle: scroll up or down. Drawn, not a
    character, so that no font can ever lack it."""

    def __init__(self, theme: Theme, up: bool) -> None:
        super().__init__()
        self.up = up
        self.colours = theme.colours
        side = theme.target_px
        self.setMinimumSize(side, side)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.colours.text if self.isEnabled() else self.colours.muted
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        half = min(self.width(), self.height()) * 0.22
        centre = QPointF(self.rect().center()) + QPointF(0.5, 0.5)
        tip = -half if self.up else half
        painter.drawPolygon(
            QPolygonF(
                [
                    centre + QPointF(0, tip),
                    centre + QPointF(half * 1.2, -tip * 0.8),
                    centre + QPointF(-half * 1.2, -tip * 0.8),
                ]
            )
        )
