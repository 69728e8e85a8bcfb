"""A screen where the resident ticks one or more services, then applies for them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label, mark


class PickingPage(Page):
    chosen = Signal(list)
    """The ids of the services picked, in the order shown."""
    nothing_picked = Signal(str)
    """The main button was tapped while it cannot act: carries what is shown, to be said."""

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words)
        self.buttons: dict[str, QPushButton] = {}
        self.go_on = button("", "primary")
        self.go_on.clicked.connect(self._go_on)
        # A disabled button gets no clicks, but its event filter still sees the tap:
        # a tap that does nothing and says nothing leaves the resident stuck.
        self.go_on.installEventFilter(self)
        self.action_row.addWidget(self.go_on)
        # At the top of the content, scrolled to when shown: not beside the actions,
        # where at the largest text on a small screen it took the room of the services.
        self.hint: QLabel = label("", "error")
        self.hint.hide()
        self.body.insertWidget(0, self.hint)

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
            self.hint.hide()
        if count:
            text = self.words.n_("Apply for {count} service", "Apply for {count} services", count)
            self.go_on.setText(text.format(count=self.words.number(count)))
        else:
            self.go_on.setText(self.words._("Choose at least one service"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.go_on
            and event.type() == QEvent.Type.MouseButtonRelease
            and not self.go_on.isEnabled()
        ):
            self.explain()
        return False

    def explain(self) -> None:
        """Why the main button does nothing yet, shown at the top (and said by the
        journey)."""
        text = self.words._("First tap a service below.")
        self.hint.setText(text)
        self.hint.show()
        self.scroll_area.verticalScrollBar().setValue(0)
        self.nothing_picked.emit(text)

    @Slot()
    def _go_on(self) -> None:
        if self.picked():
            self.chosen.emit(self.picked())
