"""The success moment: the applications are saved; a reference and QR code for each."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel

from kiosk.i18n import Words
from kiosk.qr import QR_MODULE_MM, qr_label
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


def receipt_advice(words: Words) -> str:
    """What to do with the receipt: on the screen and on paper alike."""
    return words._(
        "Keep this number. Scan the code with your phone, or show it at any "
        "community center, to see how your application is going. It will be sent "
        "to the city as soon as this kiosk is online."
    )


class ReceiptScreen(Page):
    finished = Signal()
    print_requested = Signal()

    def __init__(self, theme: Theme, words: Words, receipts: list[tuple[str, str]]) -> None:
        """`receipts`: (service title, reference) for each application of the visit."""
        super().__init__(theme, words)
        _ = self.words._
        self.references = [reference for _title, reference in receipts]
        self.qr_codes: list[QLabel] = []
        self.body.addWidget(
            label(
                words.n_("Your application is saved", "Your applications are saved", len(receipts)),
                "title",
            )
        )
        for title, reference in receipts:
            self.body.addWidget(label(title, "section"))
            self.body.addWidget(label(_("Your reference number:"), "muted"))
            self.body.addWidget(label(reference, "reference", selectable=True))
            qr = qr_label(reference, theme.px(QR_MODULE_MM), _("QR code of your reference number"))
            self.qr_codes.append(qr)
            self.body.addWidget(qr)
        self.body.addWidget(label(receipt_advice(words)))
        self.printed = label("", "muted")
        self.printed.hide()
        self.body.addWidget(self.printed)
        self.print_button = button(_("Print the receipt"))
        self.print_button.clicked.connect(self.print_requested)
        self.action_row.addWidget(self.print_button)
        done = button(_("Finish"), "primary")
        done.clicked.connect(self.finished)
        self.action_row.addWidget(done)

    def show_printed(self, text: str) -> None:
        self.printed.setText(text)
        self.printed.show()
        self.scroll_area.ensureWidgetVisible(self.printed)
