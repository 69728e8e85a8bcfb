"""What do you need? Find services by a quick eligibility check, or pick one or several."""

from __future__ import annotations

from PySide6.QtCore import Signal

from forms.catalog import Catalog
from kiosk.i18n import Words
from kiosk.screens.picking import PickingPage
from kiosk.theme import Theme
from kiosk.widgets import button, label


class ServicesScreen(PickingPage):
    quick_check_requested = Signal()

    def __init__(self, theme: Theme, words: Words, catalog: Catalog, picked: list[str]) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("What do you need?"), "title"))
        self.body.addWidget(
            label(
                _("Not sure? Answer a few short questions and we will show what you may get."),
                "muted",
            )
        )
        self.check_button = button(_("Find services I may be eligible for"), "choice", wrap=True)
        self.check_button.clicked.connect(self.quick_check_requested)
        self.body.addWidget(self.check_button)
        self.body.addWidget(label(_("Or choose one or more services:"), "muted"))
        for category in catalog.categories:
            services = catalog.in_category(category.id)
            if not services:
                continue
            self.body.addWidget(label(words.text(category.title), "section"))
            for service in services:
                self.add_service(service.id, words.text(service.title), service.id in picked)
                self.body.addWidget(label(words.text(service.summary), "muted"))
        self._update()
