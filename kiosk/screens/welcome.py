"""The attract screen: what this kiosk is, a big button to begin, and one to check on an
application made before (quieter, below it)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout

from forms.languages import LANGUAGES
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


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
        self.body.addWidget(label(_("Welcome to Ieum"), "hero" if standard else "title"))
        intro = label(_("Apply for city services here. We will guide you one question at a time."))
        if standard:
            self.body.addWidget(intro)
        # Eight buttons, each naming its language in its own script and font (issue 18,
        # finding 3): a resident who cannot read this screen's language finds theirs
        # here and taps it, with no need to find a switch first.
        if standard:
            self.body.addWidget(label(_("Choose your language"), "section"))
        grid = QGridLayout()
        grid.setSpacing(theme.gap_px * 2)
        columns = 2 if theme.text_size == "extra_large" else 4
        self.language_buttons: dict[str, QPushButton] = {}
        for index, lang in enumerate(LANGUAGES):
            choice = button(lang.native_name, "choice")
            font = QFont(choice.font())
            font.setFamilies(list(lang.font_families))
            choice.setFont(font)
            choice.clicked.connect(lambda _=False, code=lang.code: self.language_chosen.emit(code))
            self.language_buttons[lang.code] = choice
            grid.addWidget(choice, index // columns, index % columns)
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
        # Stacked, each the full width, so no language's label is ever cut off.
        stack = QVBoxLayout()
        stack.setSpacing(theme.gap_px * 2)
        start = button(_("Start"), "primary")
        start.clicked.connect(self.started)
        stack.addWidget(start)
        self.status_button = button(_("Check an application I made"), "choice", wrap=True)
        self.status_button.clicked.connect(self.status_check_requested)
        stack.addWidget(self.status_button)
        self.action_row.addLayout(stack)
