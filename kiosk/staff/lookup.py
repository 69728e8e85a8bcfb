"""On the desk: find an application by its reference number and print its receipt again
(a resident who lost the slip). Only what the receipt itself shows is ever read — the
reference, the service, when, how far it has got (sync.lookup) — never the answers."""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.i18n import Words
from kiosk.operations import Device, StoreOp
from kiosk.screens.page import Page
from kiosk.screens.receipt import receipt_advice, receipt_heading, receipt_state
from kiosk.screens.status_check import StatusCheckScreen
from kiosk.screens.status_result import status_words
from kiosk.staff.formats import moment_words
from kiosk.theme import Theme
from kiosk.widgets import button, label
from sync.lookup import SENT, Found, find_application
from sync.store import QUARANTINED

if TYPE_CHECKING:
    from kiosk.printing import PaperReceipt
    from kiosk.staff.desk import StaffDesk

log = logging.getLogger(__name__)


def place_words(words: Words, found: Found) -> str:
    """How far the application has got, for staff."""
    _ = words._
    if found.place == QUARANTINED:
        return _("Refused by the platform, set aside")
    if found.place == SENT:
        return status_words(words, found.status)[0]
    return _("Waiting to be sent")


def copy_receipt(words: Words, found: Found, title: str, fonts: list[str]) -> PaperReceipt:
    """A staff copy of one application's receipt, in the words the resident's receipt
    has: received (the kiosk keeps it) or sent to the city, whichever it is now; marked
    as a copy, with the day it was made and the moment it was printed."""
    from kiosk.printing import PaperReceipt

    sent = found.place == SENT
    made = datetime.datetime.fromtimestamp(found.created).date()
    state = receipt_state(words, 1, sent)
    return PaperReceipt(
        heading=receipt_heading(words, 1, sent),
        lines_before=[
            words.date(made),
            *([state] if state else []),
            words._("Copy printed by staff on {date}").format(
                date=moment_words(words, time.time())
            ),
        ],
        applications=[(title, found.reference)],
        reference_caption=words._("Your reference number:"),
        closing=receipt_advice(words),
        fonts=fonts,
    )


class FoundScreen(Page):
    """One application: reference, service, when, where it is; Print the receipt again."""

    reprint = Signal()
    another = Signal()

    def __init__(self, theme: Theme, words: Words, found: Found, service: str) -> None:
        super().__init__(theme, words)
        _ = words._
        self.found = found
        self.body.addWidget(label(_("Application {reference}").format(
            reference=found.reference), "title"))  # fmt: skip
        self.lines = [service, moment_words(words, found.created), place_words(words, found)]
        for line in self.lines:
            self.body.addWidget(label(line))
        self.printed = label("")
        self.printed.hide()
        self.body.addWidget(self.printed)
        again = button(_("Find another"))
        again.clicked.connect(self.another)
        self.action_row.addWidget(again)
        self.print_button = button(_("Print the receipt again"), "primary")
        self.print_button.clicked.connect(self.reprint)
        self.action_row.addWidget(self.print_button)

    def show_printed(self, text: str) -> None:
        self.printed.setText(text)
        self.printed.show()


class ReceiptLookup(QObject):
    """The desk's look-up by reference, and the reprint."""

    def __init__(self, desk: StaffDesk) -> None:
        super().__init__()
        self.desk = desk

    @Slot()
    def show(self) -> None:
        journey = self.desk.journey
        screen = StatusCheckScreen(journey.theme, journey.words)
        screen.looked_up.connect(self._look_up)
        self.desk._show(screen, self.desk.show_home)

    def _look_up(self, reference: str) -> None:
        screen = self.desk.screen

        def found(result: Found | None) -> None:
            if result is None:
                if isinstance(screen, StatusCheckScreen) and screen is self.desk.screen:
                    screen.show_problem(
                        self.desk.journey.words._(
                            "No application with this reference number was made on this kiosk."
                        )
                    )
                return
            self._show_found(result)

        def work(device: Device) -> Found | None:
            return find_application(device.store, reference)

        StoreOp(self, work, "reference look-up").success(found).run(self.desk.owner)

    def _show_found(self, found: Found) -> None:
        journey = self.desk.journey
        service = journey.catalog.services.get(found.service_id)
        title = journey.words.text(service.title) if service is not None else found.service_id
        screen = FoundScreen(journey.theme, journey.words, found, title)
        screen.another.connect(self.show)
        screen.reprint.connect(lambda: self._reprint(screen, title))
        self.desk._show(screen, self.show)

    def _reprint(self, screen: FoundScreen, title: str) -> None:
        from kiosk.printing import print_or_keep

        journey = self.desk.journey
        words = journey.words
        found = screen.found
        paper = copy_receipt(words, found, title, journey.theme.font_families())
        folder, name = journey.data.printed, "receipt-copy-" + found.reference
        _ = words._

        def printed(where: str) -> None:
            if where.endswith(".pdf"):
                screen.show_printed(_("There is no printer here: the copy was kept as {path}.")
                                    .format(path=where))  # fmt: skip
            else:
                screen.show_printed(_("The copy is being printed on {printer}.")
                                    .format(printer=where))  # fmt: skip

        def failed(error: BaseException) -> None:
            log.error("the receipt copy could not be printed: %s", type(error).__name__)
            screen.show_printed(_("The copy could not be printed."))

        print_or_keep(self.desk.owner, screen, paper, (folder, name), printed, failed)
