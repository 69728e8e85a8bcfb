"""Staff sign-in: pick your name, type your PIN on the large pad (or a keyboard).

The screen only asks: `check_pins` hands each PIN to the store's worker (Argon2id takes a
few tenths of a second), where sync.navigators counts failures and locks the account for
a growing while, and the answer comes back to this screen. It says in plain words what
went wrong and, when locked, how long to wait. The PIN is cleared after every attempt
and never leaves this screen except to be checked.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Words
from kiosk.operations import StoreOp, StoreOwner
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import NumberPad, button, label, mark, one_of_many
from sync.navigators import Navigator, SignInRefused, sign_in

MAX_PIN = 64
"""Long enough for a passphrase typed on a keyboard at a desk."""


def wait_text(words: Words, seconds: float) -> str:
    """A lock's remaining time in plain words: seconds under a minute, else minutes (up)."""
    if seconds < 60:
        n = max(1, math.ceil(seconds))
        return words.n_("{n} second", "{n} seconds", n).format(n=n)
    n = math.ceil(seconds / 60)
    return words.n_("{n} minute", "{n} minutes", n).format(n=n)


def refusal_text(words: Words, refused: SignInRefused) -> str:
    _ = words._
    if refused.reason == "wrong_pin":
        return _("That PIN is not right. Please try again.")
    if refused.reason == "locked":
        return _(
            "Too many wrong PINs: this account is locked for now. Try again in {wait}."
        ).format(wait=wait_text(words, refused.wait_seconds))
    return _("This account cannot sign in here. Please ask an administrator.")


class SignInScreen(Page):
    """Emits `pin_entered(navigator_id, pin, when)` to have a PIN checked (`accept` or
    `refuse` answers), `signed_in(Navigator)` once one is accepted, `cancelled()`."""

    pin_entered = Signal(str, str, float)
    signed_in = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        theme: Theme,
        words: Words,
        navigators: list[Navigator],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(theme, words)
        if parent is not None:
            self.setParent(parent)
        _ = self.words._
        self.navigators = navigators
        self.clock: Callable[[], float] = time.time
        """Wall-clock time for the lockout (tests move it on instead of waiting)."""
        self.checking = False
        self.body.addWidget(label(_("Staff sign-in"), "title"))
        columns = QHBoxLayout()
        columns.setSpacing(theme.gap_px * 3)
        names = QVBoxLayout()
        names.setSpacing(theme.gap_px * 2)
        names.addWidget(label(_("Who are you?"), "section"))
        self.name_buttons: dict[str, QPushButton] = {}
        self._group = QButtonGroup(self)
        for navigator in self.navigators:
            choice = button(navigator.name, "choice", checkable=True, wrap=True)
            one_of_many(choice)
            mark(choice, navigator.name, False, many=False)
            choice.toggled.connect(
                lambda on, b=choice, t=navigator.name: mark(b, t, on, many=False)
            )
            self._group.addButton(choice)
            self.name_buttons[navigator.navigator_id] = choice
            names.addWidget(choice)
        if not self.navigators:
            names.addWidget(
                label(
                    _(
                        "There are no staff accounts on this device yet. "
                        "An administrator can add them."
                    )
                )
            )
        if len(self.navigators) == 1:
            self._group.buttons()[0].setChecked(True)
        names.addStretch(1)
        columns.addLayout(names, 1)
        pin = QVBoxLayout()
        pin.setSpacing(theme.gap_px * 2)
        pin.addWidget(label(_("Your PIN"), "section"))
        self.entry = QLineEdit()
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setMaxLength(MAX_PIN)
        # Focus only when tapped: on a kiosk the pad is the way, and a focused field
        # would bring up the on-screen keyboard over it. A desk's physical keyboard
        # types into it anyway (keyPressEvent below).
        self.entry.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.entry.setAccessibleName(_("Your PIN"))
        self.entry.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.pad = NumberPad(MAX_PIN, _("Delete"), _("Clear"), theme.gap_px)
        self.pad.changed.connect(self.entry.setText)
        self.entry.textChanged.connect(self._typed)
        self.entry.returnPressed.connect(self.submit)
        pin.addWidget(self.entry)
        pin.addWidget(self.pad)
        columns.addLayout(pin, 1)
        self.body.addLayout(columns)
        self.error = label("", "error")
        self.error.hide()
        self.body.addWidget(self.error)
        self.cancel_button = button(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancelled)
        self.action_row.addWidget(self.cancel_button)
        self.sign_in_button = button(_("Sign in"), "primary")
        self.sign_in_button.clicked.connect(self.submit)
        self.action_row.addWidget(self.sign_in_button)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys typed anywhere on the screen go into the PIN; Enter signs in."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace:
            self.entry.backspace()
        elif event.text() and event.text().isprintable():
            self.entry.insert(event.text())
        else:
            super().keyPressEvent(event)

    @property
    def chosen(self) -> Navigator | None:
        for navigator in self.navigators:
            if self.name_buttons[navigator.navigator_id].isChecked():
                return navigator
        return None

    @Slot(str)
    def _typed(self, text: str) -> None:
        self.pad.text = text  # a keyboard and the pad edit the same PIN

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.scroll_area.ensureWidgetVisible(self.error)

    @Slot()
    def submit(self) -> None:
        if self.checking:
            return
        _ = self.words._
        navigator = self.chosen
        if navigator is None:
            self.show_problem(_("Choose your name first."))
            return
        pin = self.entry.text()
        if not pin:
            self.show_problem(_("Type your PIN first."))
            return
        self.entry.clear()
        self.pad.text = ""
        self.checking = True
        self.sign_in_button.setEnabled(False)
        self.error.setText(_("Checking…"))
        self.error.show()
        self.pin_entered.emit(navigator.navigator_id, pin, self.clock())

    def accept(self, navigator: Navigator) -> None:
        self.checking = False
        self.sign_in_button.setEnabled(True)
        self.error.hide()
        self.signed_in.emit(navigator)

    def refuse(self, error: BaseException) -> None:
        self.checking = False
        self.sign_in_button.setEnabled(True)
        if isinstance(error, SignInRefused):
            self.show_problem(refusal_text(self.words, error))
        else:
            self.show_problem(self.words._("Signing in did not work. Please try again."))


def check_pins(screen: SignInScreen, owner: StoreOwner) -> None:
    """Each PIN entered on `screen` is checked on the store's worker; the answer goes back
    to that screen (and is dropped if the screen is gone by then)."""

    def check(navigator_id: str, pin: str, now: float) -> None:
        op = StoreOp(
            screen, lambda device: sign_in(device.store, navigator_id, pin, now), "sign-in"
        )
        op.success(screen.accept).failure(screen.refuse).run(owner)

    screen.pin_entered.connect(check)
