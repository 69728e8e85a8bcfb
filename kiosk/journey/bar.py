"""The tools that are in the same place on every screen: Help, Language, Text size and
High contrast — each a detour that comes back to where the resident was."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QPushButton

from kiosk.journey.calling import StaffCallFlow
from kiosk.screens.notice import NoticeScreen
from kiosk.spoken import compose

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
        the resident was."""
        self.journey.visit.after_setup = back_to or self.journey.redraw
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
        journey = self.journey
        N_ = journey.phrases.N_
        back_to = journey.redraw
        title = N_("Need help?")
        text = N_(
            "Tap Call staff to ask a staff member here for help: helping you is their job. "
            "You can also call the Seoul 120 Dasan Call Center, in your language too."
        )
        done = N_("Back to where I was")
        screen = NoticeScreen(journey.theme, journey.words, title.text, text.text,
                              confirm=done.text)  # fmt: skip
        if back_to is not None:
            screen.confirmed.connect(back_to)
        call = N_("Call staff")
        self.call_button = screen.add_tool(call.text, lambda: self.calls.call(back_to))
        high = journey.visit.contrast == "high_contrast"
        tools = [call, N_("Text size"), N_("Normal colours") if high else N_("High contrast")]
        screen.add_tool(tools[1].text, lambda: self.detour(journey.show_text_size, back_to))
        screen.add_tool(tools[2].text, lambda: self._contrast_from(back_to))
        speaking = journey.speaking
        if speaking.speech is not None and speaking.on:
            tools.append(N_("Speech settings"))
            screen.add_tool(tools[3].text, lambda: speaking.show_settings(back_to))
        screen.staff_button = screen.add_tool(
            journey.words._("Staff"), journey.staff_requested.emit
        )
        journey.show_screen(screen, back=back_to, said=lambda: compose(title, text, done, tools))
