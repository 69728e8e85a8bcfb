"""The tools that are in the same place on every screen: Help, Language, Text size and
High contrast — each a detour that comes back to where the resident was."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QGridLayout, QPushButton

from kiosk.journey.calling import StaffCallFlow
from kiosk.screens.notice import NoticeScreen
from kiosk.speech.utterance import Say
from kiosk.spoken import compose
from kiosk.theme import Theme
from kiosk.widgets import button

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey


class BarTools(QObject):
    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        window = journey.window
        window.help_requested.connect(self.show_help)
        window.language_requested.connect(lambda: self.detour(journey.show_language))
        window.text_size_requested.connect(lambda: self.detour(journey.show_text_size))
        window.contrast_requested.connect(self.toggle_contrast)
        self.calls = StaffCallFlow(journey)
        self.call_button: QPushButton | None = None
        """Call staff, on the help screen while it is shown."""

    def detour(self, show: Callable[[], None], back_to: Callable[[], None] | None = None) -> None:
        """Language or text size from the bar (or from Help): afterwards, back to where
        the resident was. From the language or text-size screen itself (they have Help
        too), where the resident was before stays where they go back to."""
        journey = self.journey
        in_setup = journey.redraw in (journey.show_language, journey.show_text_size)
        if not in_setup:
            journey.visit.after_setup = back_to or journey.redraw
        show()

    def _switch_contrast(self) -> None:
        visit = self.journey.visit
        visit.contrast = "normal" if visit.contrast == "high_contrast" else "high_contrast"

    @Slot()
    def toggle_contrast(self) -> None:
        self._switch_contrast()
        if self.journey.redraw is not None:
            self.journey.redraw()

    def _contrast_from(self, back_to: Callable[[], None] | None) -> None:
        self._switch_contrast()
        if back_to is not None:
            back_to()

    @Slot()
    def show_help(self) -> None:
        """Help: Call staff is the main action, Back to where I was beside it; the ways
        to change how the screen looks and speaks (and the quiet staff entrance) in a
        grid above, two to a row so they fit at every text size."""
        journey = self.journey
        N_ = journey.phrases.N_
        back_to = journey.redraw
        title = N_("Need help?")
        text = N_(
            "Tap Call staff to ask a staff member here for help: helping you is their job. "
            "You can also call the Seoul 120 Dasan Call Center, in your language too."
        )
        done, call = N_("Back to where I was"), N_("Call staff")
        screen = NoticeScreen(journey.theme, journey.words, title.text, text.text,
                              confirm=call.text, cancel=done.text)  # fmt: skip
        screen.confirmed.connect(lambda: self.calls.call(back_to))
        if back_to is not None:
            screen.cancelled.connect(back_to)
        self.call_button = screen.findChild(QPushButton, "primary")
        visit = journey.visit
        high = visit.contrast == "high_contrast"
        tools: list[tuple[Say, Callable[[], None]]] = [
            (N_("Text size"), lambda: self.detour(journey.show_text_size, back_to)),
            (N_("Normal colours") if high else N_("High contrast"),
             lambda: self._contrast_from(back_to)),
            (N_("Normal position") if visit.low_position else N_("Low-position layout"),
             lambda: self._low_position_from(back_to)),
        ]  # fmt: skip
        speaking = journey.speaking
        if speaking.speech is not None and speaking.on:
            tools.append((N_("Speech settings"), lambda: speaking.show_settings(back_to)))
        theme = journey.theme
        grid = QGridLayout()
        grid.setSpacing(theme.gap_px * 2)
        # At the larger sizes the tools come first, four to a row (at Extra-large in
        # the words of Large): under the words, two to a row, they needed scrolling at
        # Extra-large on 1280x720 (issue 18).
        standard = theme.text_size == "standard"
        columns = 2 if standard else 4
        style = ""
        if theme.text_size == "extra_large":
            large = Theme(theme.dpi, "large", theme.language, theme.colours)
            style = f"QPushButton {{ font-size: {large.font_px}px; }}"
            # Back to where I was and Call staff too: in mn and ru their words were cut.
            for choice in screen.findChildren(QPushButton):
                if choice.text() in (call.text, done.text):
                    choice.setStyleSheet(style)
        staff = screen.staff_button = button(journey.words._("Staff"), wrap=True)
        staff.clicked.connect(journey.staff_requested.emit)
        buttons = []
        for caption, action in tools:
            tool = button(caption.text, wrap=True)
            tool.clicked.connect(lambda _=False, a=action: a())
            buttons.append(tool)
        for index, tool in enumerate([*buttons, staff]):
            tool.setStyleSheet(style)
            grid.addWidget(tool, index // columns, index % columns)
        if standard:
            screen.body.addLayout(grid)
        else:
            screen.body.insertLayout(1, grid)  # under the title, over the words
        said = [caption for caption, _action in tools]
        journey.show_screen(
            screen, back=back_to, said=lambda: compose(title, text, said, done, call)
        )

    def _low_position_from(self, back_to: Callable[[], None] | None) -> None:
        """Everything the resident touches moves to the lower part of the screen (or
        back): for this visit, until it ends."""
        visit = self.journey.visit
        visit.low_position = not visit.low_position
        if back_to is not None:
            back_to()
        else:
            self.show_help()
