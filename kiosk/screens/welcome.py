"""The attract screen: what this kiosk is, and one big button to begin."""

from __future__ import annotations

from PySide6.QtCore import Signal

from forms.languages import LANGUAGES
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class WelcomeScreen(Page):
    started = Signal()

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Welcome to Ieum"), "title"))
        self.body.addWidget(
            label(_("Apply for city services here. We will guide you one question at a time."))
        )
        self.body.addWidget(
            label(
                _("Available in:") + " " + " · ".join(lang.native_name for lang in LANGUAGES),
                "muted",
            )
        )
        start = button(_("Start"), "primary")
        start.clicked.connect(self.started)
        self.actions.addWidget(start)
