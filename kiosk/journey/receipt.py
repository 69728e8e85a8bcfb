"""The end of an application: saving it, the receipt on screen, and the receipt on
paper (printed on the store's worker: painting a PDF or a print job is disk work)."""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from kiosk import spoken
from kiosk.operations import Device, StoreOp
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.receipt import (
    ReceiptScreen,
    next_steps,
    receipt_advice,
    receipt_heading,
    receipt_state,
)
from kiosk.speech.utterance import Say, Utterance
from kiosk.spoken import compose
from sync.enrollment import current_platform_key
from sync.store import StoreError
from sync.submission import Submitted, submit_applications

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey

log = logging.getLogger(__name__)


class ReceiptFlow(QObject):
    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        self.last_error = ""
        """What the last failed save was, for staff: a kind and a log-safe message."""

    @Slot()
    def submit(self) -> None:
        """Seal and queue the visit's applications; the receipt shows once they are
        committed, and only to the visit that asked."""
        journey = self.journey
        visit = journey.visit
        assert visit.session is not None
        flags = visit.session.flags()
        if flags:  # an answer no longer holds (issue 19): to its page, which says why
            visit.session.change(flags[0].question.id, flags[0].scope)
            journey.questions.show_current()
            return
        saving = journey.phrases.N_("Saving your application…")
        payloads = visit.session.finalize()
        assistance = visit.assistance
        screen = NoticeScreen(journey.theme, journey.words, saving.text)
        journey.show_screen(screen, None, False, said=lambda: compose(saving))

        def work(device: Device) -> list[Submitted]:
            key = current_platform_key(device.store)
            return submit_applications(device.store, payloads, key, time.time(), assistance)

        def saved(submitted: list[Submitted]) -> None:
            journey.backend.sync_now()
            if journey.visit is not visit:
                log.warning("applications saved after their visit ended; receipt not shown")
                return
            self.show_for(submitted)

        StoreOp(self, work, "saving an application").success(saved).failure(
            lambda error: self._save_failed(error) if journey.visit is visit else None
        ).run(journey.owner)

    def show_for(self, submitted: list[Submitted]) -> None:
        """Committed: only now does the resident see a receipt, and the answers in
        memory are no longer needed."""
        journey = self.journey
        receipts = [
            (journey.words.text(journey.catalog.service(s.service_id).title), s.reference)
            for s in submitted
        ]
        journey.forget_answers()
        self.show(receipts)

    def show(self, receipts: list[tuple[str, str]], sent: bool = False) -> None:
        """References and titles only: nothing the resident answered is left by now.
        The heading says "received" until the platform has them all, then "sent"."""
        journey = self.journey
        screen = ReceiptScreen(journey.theme, journey.words, receipts, sent)
        screen.finished.connect(journey.end_session)
        screen.print_requested.connect(lambda: self._print(screen, receipts))

        def said() -> Utterance:
            printed = "" if screen.printed.isHidden() else screen.printed.text()
            return spoken.receipt(journey.phrases, receipts, printed, screen.sent)

        journey.show_screen(
            screen, back=None, home=False, redraw=lambda: self.show(receipts, screen.sent),
            said=said,
        )  # fmt: skip
        if not sent:
            # Signal to signal: the link goes when the screen does.
            journey.backend.synced.connect(screen.sync_passed)
            screen.sync_passed.connect(lambda: self._check_sent(screen))
            self._check_sent(screen)

    def _check_sent(self, screen: ReceiptScreen) -> None:
        """After a sync pass: has the platform acknowledged every application shown?"""
        if screen.sent or screen is not self.journey.screen or self.journey.owner.closed:
            return
        references = list(screen.references)

        def look_up(device: Device) -> bool:
            return all(device.store.receipt(ref) is not None for ref in references)

        def found(sent: bool) -> None:
            if sent and screen is self.journey.screen and not screen.sent:
                screen.set_sent(True)

        op = StoreOp(screen, look_up, "receipt delivered?")
        op.success(found).failure(lambda _error: None).run(self.journey.owner)

    def _print(self, screen: ReceiptScreen, receipts: list[tuple[str, str]]) -> None:
        from kiosk.printing import PaperReceipt, print_or_keep

        journey = self.journey
        words = journey.words
        paper = PaperReceipt(
            heading=receipt_heading(words, len(receipts), screen.sent),
            lines_before=[
                line
                for line in (
                    words.date(datetime.date.today()),
                    receipt_state(words, len(receipts), screen.sent),
                )
                if line
            ],
            applications=receipts,
            reference_caption=words._("Your reference number:"),
            closing="\n\n".join(
                [receipt_advice(words), words._("What happens next"), next_steps(words)]
            ),
            fonts=journey.theme.font_families(),
            page_of=words._("Page {page} of {pages}"),
        )
        folder, name = journey.data.printed, "receipt-" + receipts[0][1]
        N_ = journey.phrases.N_

        def printed(where: str) -> None:
            if where.endswith(".pdf"):
                told = N_("There is no printer here: the receipt was kept for staff to print.")
            else:
                told = N_("Your receipt is being printed.")
            self._tell(screen, told)

        def failed(error: BaseException) -> None:
            log.error("the receipt could not be printed: %s", type(error).__name__)
            self._tell(screen, N_("The receipt could not be printed. Please ask staff."))

        print_or_keep(journey.owner, screen, paper, (folder, name), printed, failed)

    def _tell(self, screen: ReceiptScreen, told: Say) -> None:
        screen.show_printed(told.text)
        if screen is self.journey.screen:
            self.journey.speaking.say(compose(told))

    def _save_failed(self, error: BaseException) -> None:
        # StoreError messages are written to be log-safe; other errors are named only.
        detail = str(error) if isinstance(error, StoreError) else ""
        self.last_error = f"{type(error).__name__}: {detail}".rstrip(": ")
        log.error("could not save an application: %s", self.last_error)
        journey = self.journey
        N_ = journey.phrases.N_
        title = N_("Your application could not be saved")
        text = N_("Nothing has been sent. Please ask a member of staff for help, or try again.")
        again, back = N_("Try again"), N_("Back to my answers")
        screen = NoticeScreen(
            journey.theme, journey.words, title.text, text.text, confirm=again.text,
            cancel=back.text,
        )  # fmt: skip
        screen.confirmed.connect(self.submit)
        screen.cancelled.connect(journey.show_current)
        journey.show_screen(screen, back=None, said=lambda: compose(title, text, again, back))
