"""Looking at an application made before: the reference typed or scanned, looked up in
the local receipts on the store's worker, and the one application shown — nobody else's."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QWidget

from kiosk import spoken
from kiosk.operations import StoreOp
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.status_check import StatusCheckScreen
from kiosk.screens.status_result import StatusResultScreen
from kiosk.spoken import compose
from sync.store import Receipt

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey

log = logging.getLogger(__name__)


class StatusLookup(QObject):
    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey

    @Slot()
    def show_check(self) -> None:
        """An empty status check: each look-up starts afresh, nothing of the last one kept."""
        journey = self.journey
        journey.visit.status_reference = None
        screen = StatusCheckScreen(journey.theme, journey.words)
        screen.looked_up.connect(self.look_up)
        # After the screen's own check: a number that cannot be a reference is explained
        # on the screen, and said.
        screen.look_up_button.clicked.connect(lambda: self._say_problem_of(screen))
        journey.show_screen(
            screen, back=journey.show_text_size, redraw=self.show_check,
            said=lambda: spoken.status_check(journey.phrases),
        )  # fmt: skip

    def _say_problem_of(self, screen: QWidget) -> None:
        error = getattr(screen, "error", None)
        if screen is self.journey.screen and isinstance(error, QLabel) and not error.isHidden():
            self.journey.speaking.say(spoken.problem(error.text()))

    @Slot(str)
    def look_up(self, reference: str) -> None:
        journey = self.journey
        visit = journey.visit
        visit.status_reference = reference
        looking = journey.phrases.N_("Looking for your application…")
        screen = NoticeScreen(journey.theme, journey.words, looking.text)
        journey.show_screen(screen, None, said=lambda: compose(looking))

        def found(receipt: Receipt | None) -> None:
            # Only the look-up still awaited, in the visit that asked, is shown.
            if journey.visit is visit and visit.status_reference == reference:
                self.show_result(reference, receipt)

        def failed(error: BaseException) -> None:
            log.error("could not look up a receipt: %s", type(error).__name__)
            found(None)

        op = StoreOp(self, lambda device: device.store.receipt(reference), "receipt look-up")
        op.success(found).failure(failed).run(journey.owner)

    def show_result(self, reference: str, receipt: Receipt | None) -> None:
        """The one application with this reference, and nothing about any other."""
        journey = self.journey
        journey.visit.status_reference = None
        if receipt is not None and receipt.reference != reference:
            receipt = None
        service = journey.catalog.services.get(receipt.service_id) if receipt else None
        title = journey.words.text(service.title) if service else ""
        screen = StatusResultScreen(journey.theme, journey.words, reference, receipt, title)
        screen.check_another.connect(self.show_check)
        screen.finished.connect(journey.end_session)
        journey.show_screen(
            screen,
            back=self.show_check,
            redraw=lambda: self.show_result(reference, receipt),
            said=lambda: spoken.status_result(journey.phrases, reference, receipt, title),
        )
