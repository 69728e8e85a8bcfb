"""The attract screen: what this kiosk is, a big button to begin, and one to check on an
application made before (quieter, below it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout

from forms.languages import LANGUAGES
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label, language_button


class WelcomeScreen(Page):
    started = Signal()
    language_chosen = Signal(str)
    """One of the eight language buttons: switch to it and go on with the visit."""
    status_check_requested = Signal()
    staff_requested = Signal()

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        _ = self.words._
        # At the larger text sizes the welcome shrinks to a title and the languages come
        # before the introduction, so that they stay in view.
        standard = theme.text_size == "standard"
        # At Extra-large the title at the screen's own text size (a "title" took two
        # lines of 1280 px in mn and pushed the languages out of view).
        largest = theme.text_size == "extra_large"
        title = "hero" if standard else "section" if largest else "title"
        self.body.addWidget(label(_("Welcome to Ieum"), title))
        intro = label(_("Apply for city services here. We will guide you one question at a time."))
        if standard:
            self.body.addWidget(intro)
        # Eight buttons, each naming its language in its own script and font (issue 18,
        # finding 3): a resident who cannot read this screen's language finds theirs
        # here and taps it, with no need to find a switch first.
        if standard:
            self.body.addWidget(label(_("Choose your language"), "section"))
        grid = self._grid = QGridLayout()
        grid.setSpacing(theme.gap_px * 2)
        # Two rows of four, or one of eight where they fit side by side (see _reflow):
        # in two columns of Extra-large buttons only the first row was in view on
        # 1280x720, and in the low-position layout the second row was cut (issue 18).
        self._columns = 4
        names = _names_style(theme) if largest else ""
        if largest:
            grid.setVerticalSpacing(theme.gap_px)  # 3 mm apart, as in the bar
        self.language_buttons: dict[str, QPushButton] = {}
        for index, lang in enumerate(LANGUAGES):
            choice = language_button(lang, "choice")
            if names:
                choice.setStyleSheet(names)
            choice.clicked.connect(lambda _=False, code=lang.code: self.language_chosen.emit(code))
            self.language_buttons[lang.code] = choice
            grid.addWidget(choice, index // self._columns, index % self._columns)
        self.body.addLayout(grid)
        if not standard:
            self.body.addWidget(intro)
        # For navigators: findable (at the end of the page, on the right; also on the help
        # screen) but quiet: muted words on a dotted button, still a full-size target.
        # Not among the actions, which keep their room for the resident.
        staff_row = QHBoxLayout()
        staff_row.addStretch(1)
        self.staff_button = button(_("Staff"), "staff")
        self.staff_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.staff_button.setStyleSheet(
            f"QPushButton#staff {{ color: {theme.colours.muted}; border-style: dotted; }}"
        )
        self.staff_button.clicked.connect(self.staff_requested)
        staff_row.addWidget(self.staff_button)
        self.body.addLayout(staff_row)
        # Stacked, each the full width, so no language's label is ever cut off; at the
        # larger sizes side by side (the second wraps), which leaves the languages room.
        stack = QVBoxLayout() if standard else QHBoxLayout()
        stack.setSpacing(theme.gap_px * 2)
        start = button(_("Start"), "primary")
        start.clicked.connect(self.started)
        stack.addWidget(start)
        self.status_button = button(_("Check an application I made"), "choice", wrap=True)
        self.status_button.clicked.connect(self.status_check_requested)
        stack.addWidget(self.status_button)
        self.action_row.addLayout(stack)

    def _reflow(self) -> None:
        """All eight on one row when their words fit there (the page's width less its
        margins and the scroll arrows' column), else two rows of four: decided by the
        page's width alone, so it cannot swing with the scroll arrows coming and going."""
        gap = self.theme.gap_px
        room = self.width() - gap * 6 - self.theme.target_px - gap * 2
        buttons = list(self.language_buttons.values())
        needed = sum(b.sizeHint().width() for b in buttons)
        needed += self._grid.horizontalSpacing() * (len(buttons) - 1)
        columns = len(buttons) if needed <= room else 4
        if columns == self._columns:
            return
        self._columns = columns
        for b in buttons:
            self._grid.removeWidget(b)
        for index, b in enumerate(buttons):
            # On one row each keeps the width of its words (equal columns cut "Tiếng Việt").
            b.setMinimumWidth(b.sizeHint().width() if columns > 4 else 0)
            self._grid.addWidget(b, index // columns, index % columns)
        for column in range(len(buttons)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._reflow()


def _names_style(theme: Theme) -> str:
    """The language buttons at Extra-large: their names at Large (still half again as
    large as Standard, on targets 19 mm tall), so that all eight stay in view with
    the title and Start on a 1280x720 screen, the bar on two rows, and in the
    low-position layout on 1920x1080."""
    large = Theme(theme.dpi, "large", theme.language, theme.colours)
    return (
        f"QPushButton#choice {{ font-size: {large.font_px}px; min-height: {large.target_px}px; }}"
    )
