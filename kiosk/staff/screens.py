"""The navigator's own screens on the kiosk: what to do next, resume a paused
application by its code, and the list of paused applications (drafts).

The drafts list shows only what is not personal: the services, when the draft was
started and until when it is kept. Nothing a resident said is ever on these screens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QPushButton

from forms.catalog import Catalog
from kiosk.i18n import Words
from kiosk.screens.page import Page
from kiosk.screens.status_check import CodeEntryPage
from kiosk.staff.formats import moment_words
from kiosk.theme import Theme
from kiosk.widgets import button, label
from sync.drafts import LOCATOR_CHARS, SECRET_CHARS, DraftInfo

CODE_LENGTH = LOCATOR_CHARS + SECRET_CHARS
HALF = CODE_LENGTH // 2


TO_COME = "_"
SPACE = " "
"""Between the places of the code: each place stands apart, so they can be counted (a
run of underscores cannot), and the code still fits its box at the largest text."""


def shown_code(code: str) -> str:
    """A resume code as printed, XXXXX-XXXXX, each place apart and _ for the ones still
    to come: "A 7 K _ _ – _ _ _ _ _" (spaced)."""
    places = list(code[:CODE_LENGTH]) + [TO_COME] * max(0, CODE_LENGTH - len(code))
    return SPACE.join(places[:HALF]) + f"{SPACE}–{SPACE}" + SPACE.join(places[HALF:])


def typed_words(words: Words, code: str) -> str:
    """How far the code is: "3 of 10 typed"."""
    return words._("{count} of {total} typed").format(
        count=words.number(min(len(code), CODE_LENGTH)), total=words.number(CODE_LENGTH)
    )


def when(words: Words, at: float) -> str:
    """A date and time as people write it in this language (local time, CLDR's form)."""
    return moment_words(words, at)


def resume_refusal_text(words: Words, why: str, tries_left: int) -> str:
    """Why a code did not open a draft (kiosk.backend's draft_refused), in plain words."""
    _ = words._
    if why == "wrong_code":
        return words.n_(
            "Wrong code. {n} more wrong try and this paused application is wiped.",
            "Wrong code. {n} more wrong tries and this paused application is wiped.",
            tries_left,
        ).format(n=tries_left)
    texts = {
        "not_found": _("No paused application has this code. Please check it and try again."),
        "locked": _(
            "Too many wrong codes: this paused application was wiped to keep it safe. "
            "The resident needs to apply again."
        ),
        "expired": _(
            "This paused application was kept as long as allowed and has been wiped. "
            "The resident needs to apply again."
        ),
    }
    return texts.get(why, _("The paused application could not be opened. Please try again."))


class StaffMenuScreen(Page):
    """What a signed-in navigator can do here."""

    assist = Signal()
    resume = Signal()
    list_drafts = Signal()
    sign_out = Signal()

    def __init__(self, theme: Theme, words: Words, name: str) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Signed in as {name}").format(name=name), "title"))
        self.buttons: dict[str, QPushButton] = {}
        for key, caption, signal in (
            ("assist", _("Help a resident apply"), self.assist),
            ("resume", _("Continue a paused application"), self.resume),
            ("drafts", _("Paused applications"), self.list_drafts),
        ):
            choice = button(caption, "choice", wrap=True)
            choice.clicked.connect(signal)
            self.buttons[key] = choice
            self.body.addWidget(choice)
        self.sign_out_button = button(_("Sign out"))
        self.sign_out_button.clicked.connect(self.sign_out)
        self.action_row.addWidget(self.sign_out_button)


class ResumeScreen(CodeEntryPage):
    """The resume code from the resident's slip: the pad, a keyboard, or a scanner."""

    entered = Signal(str)

    def __init__(self, theme: Theme, words: Words) -> None:
        super().__init__(theme, words, words._("Resume code"))
        _ = self.words._
        words_column = self.words_column
        words_column.addWidget(label(_("Continue a paused application"), "title"))
        self.error = label("", "error")
        self.error.hide()
        words_column.addWidget(self.error)
        words_column.addWidget(
            label(_("Enter the resume code from the resident's slip: 10 letters and numbers."))
        )
        words_column.addStretch(1)
        self.counter = label("", "muted")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad_column.insertWidget(1, self.counter)  # under the code, over the pad
        self.pad.changed.connect(self._show)
        self._show("")
        self.open_button = button(_("Open"), "primary")
        self.open_button.clicked.connect(self.submit)
        self.action_row.addWidget(self.open_button)

    @Slot(str)
    def _show(self, code: str) -> None:
        self.display.setText(shown_code(code))
        self.counter.setText(typed_words(self.words, code))

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    @Slot()
    def submit(self) -> None:
        code = self.pad.code
        if len(code) != CODE_LENGTH:
            self.show_problem(self.words._("A resume code has 10 letters and numbers."))
            return
        self.pad.code = ""  # the code is not kept on the screen once it is used
        self._show("")
        self.entered.emit(code)


class DraftsScreen(Page):
    """Paused applications on this device: services, started, kept until. Nothing else."""

    def __init__(
        self, theme: Theme, words: Words, drafts: list[DraftInfo], catalog: Catalog
    ) -> None:
        super().__init__(theme, words)
        _ = self.words._
        self.body.addWidget(label(_("Paused applications"), "title"))
        self.rows: list[list[str]] = []
        if not drafts:
            self.body.addWidget(label(_("There are no paused applications on this device.")))
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.gap_px * 3)
        grid.setVerticalSpacing(theme.gap_px * 2)
        headings = (_("Services"), _("Started"), _("Kept until"))
        if drafts:
            for column, heading in enumerate(headings):
                grid.addWidget(label(heading, "section"), 0, column)
        for row, draft in enumerate(drafts, start=1):
            titles = [
                words.text(catalog.services[s].title) if s in catalog.services else s
                for s in draft.services
            ]
            kept = when(words, draft.expires)
            if draft.locked:
                kept = _("Locked after wrong codes: the answers were wiped.")
            cells = [", ".join(titles), when(words, draft.created), kept]
            self.rows.append(cells)
            for column, text in enumerate(cells):
                grid.addWidget(label(text), row, column)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.body.addLayout(grid)
