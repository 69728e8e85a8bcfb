"""The success moment: the applications are received (or already sent); a reference
and QR code for each, what the code is for, and what happens next."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.i18n import Words
from kiosk.qr import QR_MODULE_MM, qr_label
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


def receipt_heading(words: Words, count: int, sent: bool) -> str:
    """What happened, no more: the kiosk has it (queued), or the city has it (sent)."""
    if sent:
        return words.n_(
            "Your application has been sent to the city",
            "Your applications have been sent to the city",
            count,
        )
    return words.n_(
        "Your application has been received", "Your applications have been received", count
    )


def receipt_state(words: Words, count: int, sent: bool) -> str:
    """Said under a heading of "received": it is not at the city yet (empty once sent)."""
    if sent:
        return ""
    return words.n_(
        "This kiosk keeps it safely and sends it to the city as soon as it is online.",
        "This kiosk keeps them safely and sends them to the city as soon as it is online.",
        count,
    )


def receipt_advice(words: Words) -> str:
    """What the number and the code are for, on the screen and on paper alike: the code
    holds the bare reference, so it promises no more than the number does."""
    return words._(
        "Keep your reference number; the code holds the same number. To see how your "
        "application is going, show it to staff at any community center, or tap “Check "
        "an application I made” on this kiosk."
    )


def next_steps(words: Words) -> str:
    return words._(
        "City staff look at your application and decide. If they need more information, "
        "that is what you will see when you check it."
    )


class ReceiptScreen(Page):
    finished = Signal()
    print_requested = Signal()
    sync_passed = Signal()
    """A sync pass ended (connected by the journey): time to ask whether it is sent."""

    def __init__(
        self, theme: Theme, words: Words, receipts: list[tuple[str, str]], sent: bool = False
    ) -> None:
        """`receipts`: (service title, reference) for each application of the visit;
        `sent`: the platform has acknowledged them all."""
        super().__init__(theme, words)
        _ = self.words._
        self.references = [reference for _title, reference in receipts]
        self.qr_codes: list[QLabel] = []
        # At the larger sizes the heading at the screen's text size and each code beside
        # its number, at the top: at Extra-large on 1280x720 the number was cut off at
        # the fold (ko) and the codes were a screen further down (issue 18).
        standard = theme.text_size == "standard"
        self.heading = label("", "title" if standard else "section")
        self.body.addWidget(self.heading)
        for title, reference in receipts:
            qr = qr_label(reference, theme.px(QR_MODULE_MM), _("QR code of your reference number"))
            self.qr_codes.append(qr)
            column = QVBoxLayout()
            column.setSpacing(theme.gap_px * (2 if standard else 1))
            parts = [label(_("Your reference number:"), "muted"),
                     label(reference, "reference", selectable=True)]  # fmt: skip
            # Beside its code, the number first: which service it is comes under it.
            parts.insert(0 if standard else 2, label(title, "section"))
            for part in parts:
                column.addWidget(part)
            column.addStretch(1)
            if standard:  # the words above, the codes side by side at the end
                self.body.addLayout(column)
                continue
            row = QHBoxLayout()
            row.setSpacing(theme.gap_px * 3)
            row.addWidget(qr, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(column, 1)
            self.body.addLayout(row)
        self.state = label("")
        self.body.addWidget(self.state)
        self.body.addWidget(label(receipt_advice(self.words)))
        self.body.addWidget(label(_("What happens next"), "section"))
        self.body.addWidget(label(next_steps(self.words)))
        if standard:
            # The codes last, side by side: the words above are what the resident needs
            # to read; the codes are for the scanner (and are on the paper receipt too).
            codes = QHBoxLayout()
            codes.setSpacing(theme.gap_px * 4)
            for qr, (_title, reference) in zip(self.qr_codes, receipts, strict=True):
                code = QVBoxLayout()  # each code with its number under it: which is which
                code.addWidget(qr)
                code.addWidget(label(reference, "muted"))
                codes.addLayout(code)
            codes.addStretch(1)
            self.body.addLayout(codes)
        self.printed = label("", "muted")
        self.printed.hide()
        self.body.addWidget(self.printed)
        self.set_sent(sent)
        # Finish wipes the visit: it is the quiet choice, and the big one keeps the
        # reference (issue 18, finding 6).
        self.finish_button = button(_("Finish"))
        self.finish_button.clicked.connect(self.finished)
        self.action_row.addWidget(self.finish_button)
        self.print_button = button(_("Print the receipt"), "primary")
        self.print_button.clicked.connect(self.print_requested)
        self.action_row.addWidget(self.print_button)

    def set_sent(self, sent: bool) -> None:
        """The heading and the line under it, for applications queued or delivered."""
        self.sent = sent
        count = len(self.references)
        self.heading.setText(receipt_heading(self.words, count, sent))
        state = receipt_state(self.words, count, sent)
        self.state.setText(state)
        self.state.setVisible(bool(state))

    def show_printed(self, text: str) -> None:
        self.printed.setText(text)
        self.printed.show()
        self.scroll_area.ensureWidgetVisible(self.printed)
