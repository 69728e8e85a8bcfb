"""On the desk: find an application by its reference number and print its receipt again
(a resident who lost the slip). Only what the receipt itself shows is ever read — the
reference, the service, when, how far it has got (sync.lookup) — never the answers."""

from __future__ import annotations

import datetime
import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QPushButton

from forms.languages import LANGUAGES, language
from kiosk.i18n import Words
from kiosk.operations import Device, StoreOp
from kiosk.screens.page import Page
from kiosk.screens.receipt import receipt_advice, receipt_heading, receipt_state
from kiosk.screens.status_check import StatusCheckScreen
from kiosk.screens.status_result import status_words
from kiosk.staff.formats import moment_words
from kiosk.theme import Theme
from kiosk.widgets import button, label, language_button, mark, one_of_many
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
    """One application: reference, service, when, where it is; Print the receipt again,
    in the language the navigator picks: the resident's (the kiosk keeps no language
    with a receipt, and a copy in the desk's Korean is no use to a Mongolian reader)."""

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
        self.body.addWidget(label(_("Language of the printed copy"), "section"))
        grid = QGridLayout()
        grid.setSpacing(theme.gap_px * 2)
        self.language_buttons: dict[str, QPushButton] = {}
        for index, lang in enumerate(LANGUAGES):
            choice = language_button(lang, "choice", checkable=True)
            choice.toggled.connect(
                lambda on, b=choice, name=lang.native_name: mark(b, name, on, many=False)
            )
            self.language_buttons[lang.code] = choice
            grid.addWidget(choice, index // 4, index % 4)
        one_of_many(*self.language_buttons.values())
        self.language_buttons[words.code].setChecked(True)
        self.body.addLayout(grid)
        self.printed = label("")
        self.printed.hide()
        self.body.addWidget(self.printed)
        again = button(_("Find another"), wrap=True)
        again.clicked.connect(self.another)
        self.action_row.addWidget(again)
        self.print_button = button(_("Print the receipt again"), "primary", wrap=True)
        self.print_button.clicked.connect(self.reprint)
        self.action_row.addWidget(self.print_button)

    @property
    def copy_language(self) -> str:
        """The language the copy is printed in (the desk's until another is picked)."""
        return next(code for code, b in self.language_buttons.items() if b.isChecked())

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
        screen = FoundScreen(journey.theme, journey.words, found, self._title(found, journey.words))
        screen.another.connect(self.show)
        screen.reprint.connect(lambda: self._reprint(screen))
        self.desk._show(screen, self.show)

    def _title(self, found: Found, words: Words) -> str:
        service = self.desk.journey.catalog.services.get(found.service_id)
        return words.text(service.title) if service is not None else found.service_id

    def _reprint(self, screen: FoundScreen) -> None:
        from kiosk.printing import print_or_keep

        journey = self.desk.journey
        found = screen.found
        code = screen.copy_language
        # The copy in the resident's words; what the desk is told, in the desk's.
        resident = journey.words if code == journey.words.code else Words(code)
        paper = copy_receipt(
            resident, found, self._title(found, resident), list(language(code).font_families)
        )
        folder, name = journey.data.printed, "receipt-copy-" + found.reference
        _ = journey.words._

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
