"""Where one application stands, in plain words; or a kind "not found" and what to do.

Only the one receipt that matches the reference the resident entered is ever shown.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from PySide6.QtCore import Signal

from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.screens.status_check import NO_BREAK_HYPHEN
from kiosk.theme import Theme
from kiosk.widgets import button, label
from sync.store import Receipt


def status_words(words: Words, status: str) -> tuple[str, str]:
    """(what the status means, what to do now) for a platform status; one this release
    does not know reads as in progress (sync/protocol.py STATUSES is extensible)."""
    _ = words._
    wait = _("You do not need to do anything now. Please check again later.")
    if status == "received":
        return _("The city has received your application. It has not been reviewed yet."), wait
    if status == "in_review":
        return _("Your application is being reviewed."), wait
    if status == "needs_information":
        return _("The office needs more information from you."), _(
            "Please contact the office in charge of this service, "
            "or ask a member of staff here for help."
        )
    if status == "approved":
        return _("Your application was approved."), ""
    if status == "rejected":
        return _("Your application was not approved."), _(
            "If you have questions, please contact the office in charge of this service, "
            "or ask a member of staff here."
        )
    # A status added by the platform after this release: the application is somewhere
    # between received and decided, so it reads as being reviewed.
    return _("Your application is being reviewed."), wait


def unbroken(number: str) -> str:
    """A reference or receipt number that a line break can never split at its hyphens."""
    return number.replace("-", NO_BREAK_HYPHEN)


def applied_on(words: Words, created: float) -> str:
    """The day the application was made, on this kiosk's calendar, in the resident's locale."""
    day = dt.datetime.fromtimestamp(created).date()
    return format_date(day, format="long", locale=words.locale)


class StatusResultScreen(Page):
    """The result of one look-up; `receipt` None means nothing matched the reference."""

    check_another = Signal()
    finished = Signal()

    def __init__(
        self,
        theme: Theme,
        words: Words,
        reference: str,
        receipt: Receipt | None,
        service_title: str,
    ) -> None:
        """`service_title`: in the resident's language ("" if the catalog no longer has it)."""
        super().__init__(theme, words)
        _ = self.words._
        self.reference = reference
        if receipt is None:
            self._not_found()
            again = button(_("Try again"), "choice")
        else:
            self._found(receipt, service_title)
            again = button(_("Check another"), "choice")
        again.clicked.connect(self.check_another)
        self.action_row.addWidget(again)
        done = button(_("Finish"), "primary")
        done.clicked.connect(self.finished)
        self.action_row.addWidget(done)

    def _found(self, receipt: Receipt, service_title: str) -> None:
        _ = self.words._
        meaning, next_step = status_words(self.words, receipt.status)
        self.status_label = label(meaning, "title")
        self.body.addWidget(label(service_title or _("Your application"), "section"))
        self.body.addWidget(self.status_label)
        if next_step:
            self.body.addWidget(label(next_step))
        self.body.addSpacing(self.theme.gap_px)
        details = (
            _("Applied on: {date}").format(date=applied_on(self.words, receipt.created)),
            _("City receipt number: {number}").format(number=unbroken(receipt.platform_receipt)),
            _("Reference number: {reference}").format(reference=unbroken(receipt.reference)),
        )
        for line in details:
            self.body.addWidget(label(line, "muted", selectable=True))

    def _not_found(self) -> None:
        _ = self.words._
        self.status_label = label(_("We could not find this application"), "title")
        self.body.addWidget(self.status_label)
        self.body.addWidget(
            label(
                _("You entered: {reference}").format(reference=unbroken(self.reference)), "section"
            )
        )
        self.body.addWidget(label(_("Please check that this is the number on your receipt.")))
        self.body.addWidget(
            label(
                _(
                    "If you applied today, it may still be waiting to be sent to the city. "
                    "Please ask a member of staff here."
                )
            )
        )
