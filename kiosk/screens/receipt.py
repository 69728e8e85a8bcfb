"""The success moment: the application is saved; the reference and a QR code to keep."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from forms.definition import Service
from forms.text import pick
from kiosk.i18n import Words
from kiosk.qr import qr_image
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


class ReceiptScreen(Page):
    finished = Signal()

    def __init__(self, theme: Theme, words: Words, service: Service, reference: str) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.reference = reference
        self.body.addWidget(label(_("Your application is saved"), "title"))
        self.body.addWidget(label(pick(service.title, words.code).text))
        self.body.addWidget(label(_("Your reference number:"), "muted"))
        self.body.addWidget(label(reference, "reference", selectable=True))
        self.qr = QLabel()
        self.qr.setObjectName("qr")
        self.qr.setPixmap(QPixmap.fromImage(qr_image(reference, module_px=theme.px(2.0))))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.qr.setAccessibleName(_("QR code of your reference number"))
        self.body.addWidget(self.qr)
        self.body.addWidget(
            label(
                _(
                    "Keep this number. Scan the code with your phone, or show it at any "
                    "community center, to see how your application is going. It will be sent "
                    "to the city as soon as this kiosk is online."
                )
            )
        )
        done = button(_("Finish"), "primary")
        done.clicked.connect(self.finished)
        self.actions.addWidget(done)
