"""A screen where the resident ticks one or more services, then applies for them."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QPushButton

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, mark


class PickingPage(Page):
    chosen = Signal(list)
    """The ids of the services picked, in the order shown."""

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        self.buttons: dict[str, QPushButton] = {}
        self.go_on = button("", "primary")
        self.go_on.clicked.connect(self._go_on)
        self.action_row.addWidget(self.go_on)

    def add_service(self, service_id: str, title: str, checked: bool) -> QPushButton:
        """A tick box as a large button; ticked is shown by ☑, not by colour alone."""
        choice = button("", "choice", checkable=True, wrap=True)
        choice.toggled.connect(lambda on: mark(choice, title, on, many=True))
        choice.setChecked(checked)
        mark(choice, title, checked, many=True)
        choice.clicked.connect(self._update)
        self.buttons[service_id] = choice
        self.body.addWidget(choice)
        return choice

    def picked(self) -> list[str]:
        return [sid for sid, b in self.buttons.items() if b.isChecked()]

    @Slot()
    def _update(self) -> None:
        count = len(self.picked())
        self.go_on.setEnabled(count > 0)
        if count:
            text = self.words.n_("Apply for {count} service", "Apply for {count} services", count)
            self.go_on.setText(text.format(count=self.words.number(count)))
        else:
            self.go_on.setText(self.words._("Choose at least one service"))

    @Slot()
    def _go_on(self) -> None:
        if self.picked():
            self.chosen.emit(self.picked())
