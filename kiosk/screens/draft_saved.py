"""A paused application: the resume code, once, on the screen and as a QR code.

The code is the only key to the draft (it is never stored), so it is shown large, can
be printed on a real printer, and is gone when the resident leaves this screen.
"""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.i18n import Words
from kiosk.qr import QR_MODULE_MM, qr_label
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


def print_resume_code(
    words: Words, theme: Theme, code: str, titles: list[str], kept_until: str
) -> str:
    """Print the code on a real printer (on the GUI thread, as Qt paints); returns what to
    tell the resident. Never a PDF: a file with the code left on the disk would be a key
    lying next to the lock."""
    from kiosk.printing import PaperReceipt, print_receipt

    _ = words._
    paper = PaperReceipt(
        heading=_("Your application is paused"),
        lines_before=titles,
        applications=[("", code)],
        reference_caption=_("Your resume code:"),
        closing=draft_advice(words, kept_until),
        fonts=theme.font_families(),
    )
    try:
        printed = print_receipt(paper, pdf=False)
    except (OSError, RuntimeError):
        return _("The code could not be printed: please write it down.")
    if not printed.printer:
        return _("There is no printer here: please write the code down.")
    return _("The code is being printed.")


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
        self.qr = qr_label(code, theme.px(QR_MODULE_MM), _("QR code of your resume code"))
        self.body.addWidget(self.qr)
        self.body.addWidget(label(draft_advice(words, kept_until)))
        self.printed = label("", "muted")
        self.printed.hide()
        self.body.addWidget(self.printed)
        self.print_button = button(_("Print the code"))
        self.print_button.clicked.connect(self.print_requested)
        self.action_row.addWidget(self.print_button)
        done = button(_("Finish"), "primary")
        done.clicked.connect(self.finished)
        self.action_row.addWidget(done)

    def show_printed(self, text: str) -> None:
        self.printed.setText(text)
        self.printed.show()
        self.scroll_area.ensureWidgetVisible(self.printed)
