""" "Call staff" from the help screen: the desk is called (kiosk.staffcall), and the
resident is told, in their language and aloud, what happens next — someone is coming
only once the desk has answered; otherwise, or on a kiosk with no desk set up, to ask
at the front desk. Never a promise the kiosk cannot keep."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from kiosk.screens.notice import NoticeScreen
from kiosk.speech.utterance import Say
from kiosk.spoken import compose

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.journey.flow import Journey
    from kiosk.staffcall import StaffCaller


class StaffCallFlow(QObject):
    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        self.caller: StaffCaller | None = None
        """None: no desk is set up in this kiosk's settings."""
        self._identity: tuple[str, Ed25519PrivateKey] | None = None
        self._waiting: NoticeScreen | None = None
        self._back_to: Callable[[], None] | None = None

    def set_identity(self, device_id: str, key: Ed25519PrivateKey, desk: str) -> None:
        """The kiosk's identity its calls are signed with, and the desk from its
        configuration ("" for none)."""
        self._identity = (device_id, key)
        self.set_desk(desk)

    def set_desk(self, desk: str) -> None:
        """The desk Call staff reaches (settings saved by an administrator apply at once:
        nobody is waiting on a call then); "" or an unusable address: none."""
        from kiosk.staffcall import StaffCaller

        if self.caller is not None:
            self.caller.answered.disconnect(self._answered)
            self.caller.deleteLater()
            self.caller = None
        if not desk or self._identity is None:
            return
        try:
            self.caller = StaffCaller(desk, *self._identity)
        except ValueError:
            log.error("the staff desk's address in the settings cannot be used")
            return
        self.caller.answered.connect(self._answered)

    def call(self, back_to: Callable[[], None] | None) -> None:
        """The resident tapped Call staff; `back_to` is where they were before Help."""
        self._back_to = back_to
        if self.caller is None:
            N_ = self.journey.phrases.N_
            self._tell(
                N_("Please ask at the front desk"),
                N_("This kiosk cannot call the staff by itself. The staff at the front desk "
                   "will be glad to help you."),
            )  # fmt: skip
            return
        N_ = self.journey.phrases.N_
        title = N_("Calling the staff…")
        text = N_("Please wait a moment.")
        screen = NoticeScreen(self.journey.theme, self.journey.words, title.text, text.text)
        self._waiting = screen
        self.journey.show_screen(screen, back=None, home=False,
                                 said=lambda: compose(title, text))  # fmt: skip
        self.caller.call()

    @Slot(bool)
    def _answered(self, answered: bool) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is None or self.journey.screen is not waiting:
            return  # the visit moved on (or ended) meanwhile
        N_ = self.journey.phrases.N_
        if answered:
            self._tell(
                N_("Someone is coming to help you"),
                N_("A staff member has been called and is on the way. Please stay here."),
            )
        else:
            self._tell(
                N_("Please ask at the front desk"),
                N_("The staff could not be reached from this kiosk just now. Please ask at "
                   "the front desk."),
            )  # fmt: skip

    def _tell(self, title: Say, text: Say) -> None:
        journey = self.journey
        done = journey.phrases.N_("Back to where I was")
        screen = NoticeScreen(journey.theme, journey.words, title.text, text.text,
                              confirm=done.text)  # fmt: skip
        back_to = self._back_to
        if back_to is not None:
            screen.confirmed.connect(back_to)
        journey.show_screen(screen, back=back_to, said=lambda: compose(title, text, done))
