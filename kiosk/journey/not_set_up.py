"""The screen of a kiosk with no platform configured (an installed kiosk before its
administrator has set it up): it takes no applications, and says so to staff, in its
language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.screens.notice import NoticeScreen
from kiosk.spoken import compose

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey


def show_not_set_up(journey: Journey) -> None:
    N_ = journey.phrases.N_
    title = N_("This kiosk is not set up yet")
    text = N_(
        "It cannot take applications until it is connected to the city's platform. "
        "Staff: set the platform's address in /etc/ieum/ieum.conf and enroll this "
        "kiosk (ieum enroll). Residents: please ask a member of staff for help."
    )
    screen = NoticeScreen(journey.theme, journey.words, title.text, text.text)
    screen.staff_button = screen.add_tool(journey.words._("Staff"), journey.staff_requested.emit)
    journey.show_screen(
        screen, back=None, home=False, redraw=journey.start, said=lambda: compose(title, text)
    )
