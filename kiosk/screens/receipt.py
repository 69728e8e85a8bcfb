"""The success moment: the applications are received (or already sent); a reference
and QR code for each, what the code is for, and what happens next."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import Words
from kiosk.qr import QR_MODULE_MM, qr_label
from kiosk.screens.page import Page
from kiosk.theme import Theme
from kiosk.widgets import button, card, label


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
        # At the larger sizes the heading at the screen's text size, and each code beside
        # its number, at the top: at Extra-large on 1280x720 the number was cut off at the
        # fold (ko) and the codes were a screen further down.
        standard = theme.text_size == "standard"
        self.heading = label("", "title" if standard else "section")
        self.body.addWidget(self.heading)
        self.code_cells: list[QWidget] = []
        self.codes = QGridLayout()
        self._per_row = 0
        if not standard:  # each code beside its number, one application to a row
            # (each row says what its number is: no caption above them all, which took
            # two lines at Extra-large and pushed the first code below the fold)
            for title, reference in receipts:
                self._code_beside_number(theme, title, reference)
            self._words_after()
        else:
            self._numbers_then_codes(theme, receipts)
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

    def _code_beside_number(self, theme: Theme, title: str, reference: str) -> None:
        _ = self.words._
        qr = qr_label(reference, theme.px(QR_MODULE_MM), _("QR code of your reference number"))
        self.qr_codes.append(qr)
        column = QVBoxLayout()
        # Half gaps, in the card too: the caption and its number read as one, and at
        # Extra-large on 1280x720 a whole gap more put the first number under the fold.
        column.setSpacing(theme.gap_px // 2)
        column.addWidget(label(_("Your reference number:"), "muted"))
        column.addWidget(label(reference, "reference", selectable=True))
        column.addWidget(label(title, "section"))  # which service it is, under it
        column.addStretch(1)
        # In a card of its own: under a number, a title that wraps reached down beside
        # the next service's code and read as its title.
        frame, row = card(theme, horizontal=True)
        row.setContentsMargins(theme.gap_px, theme.gap_px // 2, theme.gap_px, theme.gap_px // 2)
        row.setSpacing(theme.gap_px * 3)
        row.addWidget(qr, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(column, 1)
        self.body.addWidget(frame)

    def _words_after(self) -> None:
        self.state = label("")
        self.body.addWidget(self.state)
        self.body.addWidget(label(receipt_advice(self.words)))
        self.body.addWidget(label(self.words._("What happens next"), "section"))
        self.body.addWidget(label(next_steps(self.words)))

    def _numbers_then_codes(self, theme: Theme, receipts: list[tuple[str, str]]) -> None:
        _ = self.words._
        if len(receipts) > 1:  # one line per service (issue 19), under one caption
            self.body.addWidget(label(_("Your reference numbers, one for each service:"), "muted"))
        for title, reference in receipts:
            if len(receipts) == 1:
                self.body.addWidget(label(title, "section"))
                self.body.addWidget(label(_("Your reference number:"), "muted"))
                self.body.addWidget(label(reference, "reference", selectable=True))
                continue
            # Its title, its number under it: side by side, at the larger text sizes the
            # number pushed the title into a column a word wide.
            self.body.addWidget(label(title, "section"))
            self.body.addWidget(label(reference, "reference", selectable=True))
        self._words_after()
        # The codes last, side by side: the words above are what the resident needs to
        # read; the codes are for the scanner (and are on the paper receipt too).
        # Rows of codes, as many to a row as fit (`_reflow`): in one row, eight services'
        # codes ran 1,600 px off the side of the page.
        self.codes.setSpacing(theme.gap_px * 4)
        for _title, reference in receipts:
            qr = qr_label(reference, theme.px(QR_MODULE_MM), _("QR code of your reference number"))
            self.qr_codes.append(qr)
            cell = QWidget()
            code = QVBoxLayout(cell)  # each code with its number under it: which is which
            code.setContentsMargins(0, 0, 0, 0)
            code.addWidget(qr)
            number = label(reference, "muted")
            number.setWordWrap(False)  # a number broken at its hyphens reads as two
            code.addWidget(number)
            self.code_cells.append(cell)
        self._reflow()
        self.scroll_area.viewport().installEventFilter(self)
        self.body.addLayout(self.codes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._reflow()
        return super().eventFilter(watched, event)

    def _reflow(self) -> None:
        """As many codes to a row as the page's width holds (at least one)."""
        if not self.code_cells:
            return
        spacing = self.codes.horizontalSpacing()
        cell = max((c.sizeHint().width() for c in self.code_cells), default=1) + spacing
        margins = self.body.contentsMargins()
        room = self.scroll_area.viewport().width() - margins.left() - margins.right()
        per_row = max(1, min(len(self.code_cells), (room + spacing) // cell))
        if per_row == self._per_row:
            return
        self._per_row = per_row
        for n, cell_widget in enumerate(self.code_cells):
            self.codes.removeWidget(cell_widget)
            self.codes.addWidget(cell_widget, n // per_row, n % per_row)
        for column in range(len(self.code_cells) + 1):
            self.codes.setColumnStretch(column, 1 if column == per_row else 0)

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
