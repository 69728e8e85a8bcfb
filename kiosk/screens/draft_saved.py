"""A paused application: the resume code, once, on the screen and as a QR code.

The code is the only key to the draft (it is never stored), so it is shown large, can
be printed on a real printer, and is gone when the resident leaves this screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel

from kiosk.i18n import Words
from kiosk.qr import qr_image
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, label


def draft_advice(words: Words, kept_until: str) -> str:
    """What to do with the code: on the screen and on paper alike."""
    return words._(
        "Keep this code safe: only this code opens your paused application, and nobody "
        "else can see your answers. Bring it to this place before {date} to go on; "
        "after that your answers are wiped."
    ).format(date=kept_until)


class DraftSavedScreen(Page):
    finished = Signal()
    print_requested = Signal()

    def __init__(
        self, theme: Theme, words: Words, code: str, titles: list[str], kept_until: str
    ) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.code = code
        self.body.addWidget(label(_("Your application is paused"), "title"))
        for title in titles:
            self.body.addWidget(label(title, "section"))
        self.body.addWidget(label(_("Your resume code:"), "muted"))
        self.code_label = label(code, "reference", selectable=True)
        self.body.addWidget(self.code_label)
        self.qr = QLabel()
        self.qr.setPixmap(QPixmap.fromImage(qr_image(code, module_px=theme.px(2.0))))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.qr.setAccessibleName(_("QR code of your resume code"))
        self.body.addWidget(self.qr)
        self.body.addWidget(label(draft_advice(words, kept_until)))
        self.printed = label("", "muted")
        self.printed.hide()
        self.body.addWidget(self.printed)
        self.print_button = button(_("Print the code"))
        self.print_button.clicked.connect(self.print_requested)
        self.actions.addWidget(self.print_button)
        done = button(_("Finish"), "primary")
        done.clicked.connect(self.finished)
        self.actions.addWidget(done)

    def show_printed(self, text: str) -> None:
        self.printed.setText(text)
        self.printed.show()
        self.scroll.ensureWidgetVisible(self.printed)
