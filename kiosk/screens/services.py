"""What do you need? Find services by a quick eligibility check, or pick one or several."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal

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
        self.title = label(_("What do you need?"), "title")
        self.body.addWidget(self.title)
        # The services first, the quick check after them: at the larger text sizes the
        # offer and its explanation filled the screen, and no service was in view. At
        # the largest text the category headings go too (a flat list, in the same
        # order), or the first heading alone would fill what is left above the actions.
        headings = theme.text_size != "extra_large"
        for category in catalog.categories:
            services = catalog.in_category(category.id)
            if not services:
                continue
            if headings:
                self.body.addWidget(label(words.text(category.title), "section"))
            for service in services:
                self.add_service(service.id, words.text(service.title), service.id in picked)
                self.body.addWidget(label(words.text(service.summary), "muted"))
        self.body.addWidget(
            label(
                _("Not sure? Answer a few short questions and we will show what you may get."),
                "section",
            )
        )
        self.check_button = button(_("Find services I may be eligible for"), "choice", wrap=True)
        self.check_button.clicked.connect(self.quick_check_requested)
        self.body.addWidget(self.check_button)
        self._update()
        self.scroll_area.viewport().installEventFilter(self)
        first = next(iter(self.buttons.values()), None)
        if first is not None:
            first.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        first = next(iter(self.buttons.values()), None)
        watched_sizes = (self.scroll_area.viewport(), first)
        if watched in watched_sizes and event.type() == QEvent.Type.Resize:
            self._fit_first_service()
        return super().eventFilter(watched, event)

    def _fit_first_service(self) -> None:
        """Where the title and the first service do not both fit above the actions (the
        largest text, on a small screen, in a language whose names take two lines), the
        title gives way: the main button's own words ("Choose at least one service")
        still say what to do, and the title is still said aloud. Measured on the laid
        out button (its wrapped height is only known once it has its width)."""
        first = next(iter(self.buttons.values()), None)
        if first is None:
            return
        # The title is as wide as the button (both span the column), shown or not.
        title = self.title.heightForWidth(first.width())
        need = max(title, self.title.sizeHint().height()) + self.body.spacing() + first.height()
        if not self.hint.isHidden():
            need += self.hint.heightForWidth(first.width()) + self.body.spacing()
        self.title.setVisible(need <= self.scroll_area.viewport().height())

    def explain(self) -> None:
        super().explain()
        self._fit_first_service()
