"""The bar's arrangement: every tool in a place of its own that does not move.

On one row when all of them fit (Back and the kiosk's name on the left; Help, Read
aloud, Speech off, the language, Text size, High contrast and Start over on the right),
otherwise on two: the ways on and out above (Back, name · Help, language, Start over),
the ways to see and hear the screen below (Read aloud, Speech off · Text size, High
contrast). Which it is depends only on the window's width and the words' widths —
never on the screen shown — and a tool a screen does not offer keeps its place empty,
so Text size, High contrast and Read aloud are where the resident last saw them at
every text size and in every language (issue 18, finding 8).

Only when even the second row is too narrow (a small screen at the largest text) does
Speech off go (it is in Help's speech settings too), then the kiosk's name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def keep_place(widget: QWidget) -> None:
    """A hidden widget keeps its room, so the ones beside it do not move."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


class TopBar(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("bar")
        # The window may always become narrower: the bar's words, arranged for the last
        # width, must not hold it wider (a window held wider than the screen never gets
        # the resize that would arrange them for the screen). `arrange` follows at once.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._rows = QVBoxLayout(self)
        self.first = QHBoxLayout()
        self.second = QHBoxLayout()
        self._rows.addLayout(self.first)
        self._rows.addLayout(self.second)
        self.two_rows = False
        self._gap = 8
        self.left_tools: Sequence[QWidget] = ()
        self.upper_tools: Sequence[QWidget] = ()
        self.lower_tools: Sequence[QWidget] = ()
        self.extras: Sequence[QWidget] = ()
        self.dropped: list[QWidget] = []
        """Tools left out for want of room (even on two rows)."""

    def set_tools(
        self,
        left: Sequence[QWidget],
        upper: Sequence[QWidget],
        lower: Sequence[QWidget],
        extras: Sequence[QWidget],
    ) -> None:
        """`left`: Back and the name; `upper`: the first row's tools on the right when
        there are two rows; `lower`: the second row's, two on the left and the rest on
        the right (one row: upper's but the last, lower's, then upper's last);
        `extras`: what may go for want of room, least needed first."""
        self.left_tools, self.upper_tools, self.lower_tools, self.extras = (
            left,
            upper,
            lower,
            extras,
        )
        for widget in (*left, *upper, *lower):
            keep_place(widget)

    def set_gap(self, gap: int) -> None:
        self._gap = gap
        self._rows.setContentsMargins(gap * 3, gap, gap * 3, gap)
        self._rows.setSpacing(gap)
        for row in (self.first, self.second):
            row.setSpacing(gap)  # 3 mm between bordered targets: room for one row more often

    def _needed(self, widgets: Sequence[QWidget]) -> int:
        shown = [w for w in widgets if w not in self.dropped]
        widths = sum(max(w.sizeHint().width(), w.minimumWidth()) for w in shown)
        return widths + self._gap * max(len(shown) - 1, 0) + self._gap * 6

    def arrange(self, width: int, offered: Sequence[QWidget]) -> None:
        """Lay the tools out for a window `width` wide; `offered`: the tools that have a
        place at all on this kiosk (Read aloud and Speech off only with speech)."""
        absent = [w for w in (*self.upper_tools, *self.lower_tools) if w not in offered]
        everything = [*self.left_tools, *self.upper_tools, *self.lower_tools]
        self.dropped = list(absent)
        for extra in self.extras:
            if self._needed(everything) <= width:
                break
            self.dropped.append(extra)
        self.two_rows = self._needed(everything) > width
        if self.two_rows:
            self.dropped = list(absent)
            for extra in self.extras:
                rows = ([*self.left_tools, *self.upper_tools], [*self.lower_tools])
                if max(self._needed(row) for row in rows) <= width:
                    break
                self.dropped.append(extra)
        for row in (self.first, self.second):
            while row.count():
                row.takeAt(0)
        self._fill(self.first, self.left_tools)
        self.first.addStretch(1)
        if self.two_rows:
            self._fill(self.first, self.upper_tools)
            self._fill(self.second, self.lower_tools[:2])
            self.second.addStretch(1)
            self._fill(self.second, self.lower_tools[2:])
        else:
            self._fill(
                self.first, [*self.upper_tools[:-1], *self.lower_tools, *self.upper_tools[-1:]]
            )
        for widget in self.dropped:
            widget.setVisible(False)
        self._rows.invalidate()

    def _fill(self, row: QBoxLayout, widgets: Sequence[QWidget]) -> None:
        for widget in widgets:
            if widget not in self.dropped:
                row.addWidget(widget, 0)

    def placed(self, widget: QWidget) -> bool:
        """Whether the bar has a place for `widget` now (visible when its screen offers it)."""
        return widget not in self.dropped


LOW_REACH = 0.4
"""The low-position layout leaves this share of the screen's height empty at the top:
every control starts at or below 40 % of the height (432 px of 1080). KS X 9211 and
the MSIT kiosk guide put what a wheelchair user operates within 400-1,200 mm of the
floor; the lower 60 % of a 21.5-inch panel (268 mm tall) is 161 mm, so it stays below
1,200 mm wherever the panel's lower edge is mounted at up to 1,039 mm."""


class ReachGap(QFrame):
    """The empty top of the screen in the low-position layout (hidden otherwise): a
    quiet note says why, and nothing in it can be touched.

    It takes `LOW_REACH` of the window's height, less whatever the rest of the window
    cannot do without (`others`: the bar, the screen's least height, the keyboard when
    it is up): content scrolls in what is left, and the window never grows past the
    screen. `shortfall` says how much it had to give way."""

    def __init__(self, others: Callable[[], int]) -> None:
        super().__init__()
        self.setObjectName("reach_gap")
        self._others = others
        column = QVBoxLayout(self)
        column.addStretch(1)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        column.addWidget(self.note)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()

    def wanted(self) -> int:
        parent = self.parentWidget()
        return round(parent.height() * LOW_REACH) if parent is not None else 0

    @property
    def shortfall(self) -> int:
        """Pixels the gap is short of LOW_REACH (0 while everything fits under it)."""
        return max(0, self.wanted() - self.height()) if not self.isHidden() else 0

    def set_on(self, on: bool) -> None:
        """Before a new screen: its height comes with `fit`, once the screen is in (with
        the last screen's, the window could grow past the display)."""
        if on and self.isHidden():
            self.setFixedHeight(0)
        self.setVisible(on)

    def set_note(self, text: str) -> None:
        self.note.setText(text)

    def fit(self) -> None:
        """Take LOW_REACH of the height, or what the rest leaves of it: after a new
        screen, a resize, the keyboard coming or going."""
        parent = self.parentWidget()
        if parent is None or self.isHidden():
            return
        height = max(0, min(self.wanted(), parent.height() - self._others()))
        if self.minimumHeight() != height or self.maximumHeight() != height:
            self.setFixedHeight(height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Installed on the keyboard (and the like): when it shows or hides, fit again."""
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.fit()
        return False
