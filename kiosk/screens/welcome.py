"""The attract screen: what this kiosk is, a big button to begin, and one to check on an
application made before (quieter, below it)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout

from forms.languages import LANGUAGES
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


def _language_names() -> str:
    """Every language's own name, each in its own font: a resident spots theirs."""
    spans = []
    for lang in LANGUAGES:
        family = lang.font_families[0]
        spans.append(
            f"<span style=\"font-family: '{family}'\">{html.escape(lang.native_name)}</span>"
        )
    return " · ".join(spans)


class WelcomeScreen(Page):
    started = Signal()
    status_check_requested = Signal()
    staff_requested = Signal()

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addSpacing(theme.px(20))
        self.body.addWidget(label(_("Welcome to Ieum"), "hero"))
        self.body.addWidget(
            label(_("Apply for city services here. We will guide you one question at a time."))
        )
        self.body.addSpacing(theme.px(10))
        self.body.addWidget(label(_("Available in:"), "muted"))
        names = label("", "muted")
        names.setTextFormat(Qt.TextFormat.RichText)
        names.setText(_language_names())
        self.body.addWidget(names)
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
