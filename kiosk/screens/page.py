"""The frame every screen shares: a scrolling body and a row of actions at the bottom."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QScrollBar,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Words
from kiosk.theme import Theme
from kiosk.widgets import ArrowButton

SCROLL_BY = 0.8
"""How much of the visible height one tap on an arrow scrolls: a little stays in view."""


class Page(QWidget):
    """Content scrolls rather than being clipped, at any text size and in any language.

    When it does scroll, large up and down buttons beside it move it a screenful at a
    tap (no dragging is ever needed), with the scroll bar between them showing where
    the resident is; dragging the content itself scrolls it too.
    """

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__()
        self.theme = theme
        self.words = words
        self.setObjectName("screen")
        gap = theme.gap_px
        outer = self.outer = QVBoxLayout(self)
        outer.setContentsMargins(gap * 3, gap * 2, gap * 3, gap * 2)
        outer.setSpacing(gap * 2)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # However little room is left, the content scrolls in it: its own size hint
        # (that of the hidden scroll bar) must not push the page off the screen.
        self.scroll_area.setMinimumHeight(theme.target_px)
        content = self.scroll_content = _Column()
        # A stretch under the body, not the body's alignment, keeps it at the top: an
        # aligned layout gets its size hint's height, and wrapped words would be cut off.
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.body = QVBoxLayout()
        self.body.setSpacing(gap * 2)
        column.addLayout(self.body)
        column.addStretch(1)
        self.scroll_area.setWidget(content)
        middle = self.middle = QHBoxLayout()
        middle.setSpacing(gap * 2)
        middle.addWidget(self.scroll_area, 1)
        middle.addWidget(self._scroll_column(), 0)
        outer.addLayout(middle, 1)
        self.action_row = QHBoxLayout()
        self.action_row.setSpacing(gap * 2)
        outer.addLayout(self.action_row)
        _kinetic(self.scroll_area)

    def _scroll_column(self) -> QWidget:
        """Up, where we are, down: shown only while the content is taller than its room."""
        theme = self.theme
        self.scroll_column = QWidget()
        column = QVBoxLayout(self.scroll_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(theme.gap_px)
        _ = self.words._
        self.scroll_up = ArrowButton(theme, up=True)
        self.scroll_down = ArrowButton(theme, up=False)
        # Drawn triangles say nothing to a screen reader: words for each control.
        self.scroll_up.setAccessibleName(_("Scroll up"))
        self.scroll_down.setAccessibleName(_("Scroll down"))
        self.scroll_up.clicked.connect(lambda: self.scroll_by(-1))
        self.scroll_down.clicked.connect(lambda: self.scroll_by(1))
        # The scroll area's own bar stays hidden inside it; this one, between the
        # arrows, shows and sets the same position.
        inside = self.scroll_area.verticalScrollBar()
        self.scroll_bar = QScrollBar(Qt.Orientation.Vertical)
        self.scroll_bar.setFixedWidth(theme.target_px)
        self.scroll_bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_bar.setAccessibleName(_("Position on the page"))
        # The scroll area's own bars are never shown, but are in the accessibility tree.
        inside.setAccessibleName(_("Position on the page"))
        self.scroll_area.horizontalScrollBar().setAccessibleName(_("Position on the page"))
        self.scroll_bar.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        inside.rangeChanged.connect(self._range_changed)
        inside.valueChanged.connect(self._position_changed)
        self.scroll_bar.valueChanged.connect(inside.setValue)
        column.addWidget(self.scroll_up)
        column.addWidget(self.scroll_bar, 1)
        column.addWidget(self.scroll_down)
        # Shown when the content outgrows its room, it must not ask for more room itself:
        # its arrows' least height would grow the window past the screen (and a window
        # once grown stays so), the very thing its showing means to avoid.
        self.scroll_column.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self.scroll_column.hide()
        return self.scroll_column

    @Slot(int, int)
    def _range_changed(self, low: int, high: int) -> None:
        inside = self.scroll_area.verticalScrollBar()
        self.scroll_bar.setRange(low, high)
        self.scroll_bar.setPageStep(inside.pageStep())
        self.scroll_bar.setSingleStep(inside.singleStep())
        self.scroll_column.setVisible(high > low)
        self._position_changed(inside.value())

    @Slot(int)
    def _position_changed(self, value: int) -> None:
        inside = self.scroll_area.verticalScrollBar()
        self.scroll_bar.setValue(value)
        self.scroll_up.setEnabled(value > inside.minimum())
        self.scroll_down.setEnabled(value < inside.maximum())

    def scroll_by(self, direction: int) -> None:
        """Most of a screenful up (-1) or down (1)."""
        inside = self.scroll_area.verticalScrollBar()
        step = max(round(self.scroll_area.viewport().height() * SCROLL_BY), inside.singleStep())
        inside.setValue(inside.value() + direction * step)


class MoreWords:
    """Words a page can do without while it would otherwise scroll (the step, the help):
    they give way to a "More" button, and come back for good when it is tapped, the one
    at `reveal` scrolled into view. `words` is the page's own list, which may grow."""

    def __init__(
        self, page: Page, button: QAbstractButton, words: Sequence[QWidget], reveal: int = 0
    ) -> None:
        self._page = page
        self.button = button
        self.words = words
        self._reveal = reveal
        self.collapsed = False
        self.expanded = False
        button.hide()
        button.clicked.connect(self.expand)
        page.scroll_area.verticalScrollBar().rangeChanged.connect(self._fit)

    def _fit(self, _low: int, high: int) -> None:
        if high > 0:
            self.collapse()

    def collapse(self) -> None:
        """The words behind "More", unless the resident already asked for them."""
        if self.words and not self.collapsed and not self.expanded:
            self.collapsed = True
            for widget in self.words:
                widget.hide()
            self.button.show()

    def expand(self) -> None:
        self.expanded = True
        self.button.hide()
        for widget in self.words:
            widget.show()
        self._page.scroll_area.ensureWidgetVisible(self.words[self._reveal])

    def shown(self) -> bool:
        """Whether the words are on the page now."""
        return self.expanded or not self.collapsed


class _Column(QWidget):
    """The scrolling content. Its least height is what its words need at the width they
    really have: Qt's own guess lays wrapped labels out narrower, and a screen whose
    content fits would show scroll arrows for nothing."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        layout, viewport = self.layout(), self.parentWidget()
        if layout is None or viewport is None or not layout.hasHeightForWidth():
            return hint
        width = max(viewport.width(), hint.width())
        return QSize(hint.width(), layout.totalMinimumHeightForWidth(width))


def _kinetic(scroll: QScrollArea) -> None:
    """Dragging the content (a finger, or a mouse) scrolls it, and a flick carries on;
    a tap still reaches the button under it at once."""
    viewport = scroll.viewport()
    gesture = QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    # Each scroller registers a gesture type with a new number, which PySide6 turns into
    # an enum class of its own and keeps forever (Qt.GestureType._sbk_missing_): about
    # 20 kB a page, 40 MB over 1,000 visits. Nothing else needs that class: drop it.
    missing = vars(Qt.GestureType).get("_sbk_missing_")
    if isinstance(missing, dict):
        missing.pop(str(int(gesture)), None)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    properties.setScrollMetric(
        QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
    )
    properties.setScrollMetric(
        QScrollerProperties.ScrollMetric.VerticalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
    )
    scroller.setScrollerProperties(properties)
