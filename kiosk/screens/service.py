"""What the service is, before the first question."""

from __future__ import annotations

from PySide6.QtCore import Signal

from forms.definition import Service
from forms.text import pick
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class ServiceScreen(Page):
    started = Signal()

    def __init__(self, theme: Theme, words: Words, service: Service) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(pick(service.title, words.code).text, "title"))
        self.body.addWidget(label(pick(service.summary, words.code).text))
        count = len(service.questions)
        self.body.addWidget(
            label(
                words.n_(
                    "There is {count} question. It takes about two minutes.",
                    "There are {count} questions. It takes about two minutes.",
                    count,
                ).format(count=words.number(count)),
                "muted",
            )
        )
        begin = button(_("Start the application"), "primary")
        begin.clicked.connect(self.started)
        self.actions.addWidget(begin)
