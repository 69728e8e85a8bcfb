"""The journey's speech controls: Read aloud, Pause, Speech off, the choice at the
text-size step, the speed and volume screen, and the notice when nothing can be said.

Speech is on for a visit when the resident turns it on on the text-size screen (every
visit passes it) or with Read aloud in the bar, on any screen. While it is on, each
screen is read when it is shown, in the words it shows (kiosk.spoken composes them);
errors and the idle warning are read when they appear. Any tap stops it. It is off
again, at the default rate and volume, when the visit ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.screens.notice import NoticeScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.speech.settings import (
    RATE_FAST,
    RATE_NORMAL,
    RATE_SLOW,
    RATE_SLOWEST,
    SPEECH_CONTROL,
)
from kiosk.speech.utterance import Say, Utterance
from kiosk.speech.voices import NO_VOICE, PACK_INCOMPLETE
from kiosk.spoken import compose, problem
from kiosk.widgets import button, label, mark
from kiosk.window import IDLE, PAUSED, SPEAKING

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey
    from kiosk.speech.service import SpeechService

log = logging.getLogger(__name__)

RATES = (RATE_SLOWEST, RATE_SLOW, RATE_NORMAL, RATE_FAST)
"""Speaking rates the resident can step through (Slower / Faster)."""
VOLUMES = (0.4, 0.6, 0.8, 1.0)
"""Volumes the resident can step through (Quieter / Louder); the default is among them."""
_NOT_FOR_THE_RESIDENT = ("personal_refused", "nothing_to_say", "unknown_language")
"""Reasons nothing was said that are the kiosk's business, not a notice for the resident."""


class SpeechControls(QObject):
    def __init__(self, journey: Journey, speech: SpeechService | None, offered: bool) -> None:
        super().__init__()
        self.journey = journey
        self.speech: SpeechService | None = None
        """None on a kiosk without speech, or until the service has started."""
        self.offered = offered
        """Whether this kiosk speaks at all: the speech controls are shown."""
        self.said: Callable[[], Utterance] | None = None
        """What the current screen says, composed afresh each time (Read aloud)."""
        self._explicit = False
        """The resident asked for speech just now: a notice shows again if need be."""
        self.toggles: tuple[QWidget, QPushButton, QPushButton] | None = None
        """(the text-size screen, Read the screens aloud, Read more slowly)."""
        window = journey.window
        if offered:
            window.read_aloud_requested.connect(self.read_aloud)
            window.speech_off_requested.connect(self.turn_off)
        window.set_speech(offered, False)
        if speech is not None:
            self.attach(speech)

    def attach(self, speech: SpeechService) -> None:
        """The speech service, started (a moment after the first screen)."""
        self.speech = speech
        speech.unavailable.connect(self._unavailable)
        speech.started.connect(self.changed)
        speech.finished.connect(self.changed)

    @property
    def on(self) -> bool:
        return self.journey.visit.speech_on

    def screen_shown(self, screen: QWidget, said: Callable[[], Utterance] | None) -> None:
        """A new screen: what it says, said now if speech is on."""
        if self.toggles is not None and self.toggles[0] is not screen:
            self.toggles = None  # they went with the text-size screen
        self.said = said
        self.speak_screen()
        # A tap that cannot act yet (no service chosen): its explanation is said too.
        nothing_picked = getattr(screen, "nothing_picked", None)
        if nothing_picked is not None:
            nothing_picked.connect(lambda text: self.say(problem(text)))

    def _current_utterance(self) -> Utterance | None:
        """The current screen's words, an error it shows first."""
        if self.said is None:
            return None
        said = self.said()
        error = getattr(self.journey.screen, "error", None)
        if isinstance(error, QLabel) and not error.isHidden() and error.text():
            said = compose(Say(error.text()), said.parts)
        return said

    def speak_screen(self, explicit: bool = False) -> None:
        if self.speech is None or not self.on:
            return
        said = self._current_utterance()
        if said is None:
            self.speech.stop()
        else:
            self.say(said, explicit)
        self.changed()

    def say(self, what: Utterance, explicit: bool = False) -> None:
        """Say this now, in the resident's language, replacing whatever was being said;
        where that cannot be done, the resident is told so, once."""
        if self.speech is None or not self.on:
            return
        language = self.journey.visit.language
        self._explicit = explicit
        try:
            availability = self.speech.available(language)
            if availability.ok:
                self.speech.speak(what, language)  # may still refuse: `unavailable`
            else:
                self.speech.stop()
                self._tell_unavailable(availability.reason)
        finally:
            self._explicit = False
        self.changed()

    @Slot(str, str)
    def _unavailable(self, language: str, reason: str) -> None:
        if language == self.journey.visit.language:
            self._tell_unavailable(reason)

    def _tell_unavailable(self, reason: str) -> None:
        """A notice, in the resident's language, that nothing will be read aloud: once a
        visit for each language, or again when the resident asks for speech again."""
        if reason in _NOT_FOR_THE_RESIDENT:
            log.info("nothing read aloud on this screen: %s", reason)
            return
        journey = self.journey
        kind = "language" if reason in (NO_VOICE, PACK_INCOMPLETE) else "kiosk"
        told = journey.visit.told
        if (journey.visit.language, kind) in told and not self._explicit:
            return
        told.add((journey.visit.language, kind))
        N_ = journey.phrases.N_
        if kind == "language":
            title = N_("Spoken guidance is not available in this language.")
        else:
            title = N_("Spoken guidance is not working on this kiosk right now.")
        notice = NoticeScreen(
            journey.theme,
            journey.words,
            title.text,
            N_("Please ask a member of staff here for help.").text,
            confirm=N_("OK").text,
        )
        # Over the screen, which stays as it is: painted opaque, in the screens' colour.
        notice.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        notice.confirmed.connect(journey.window.hide_overlay)
        journey.window.show_overlay(notice)

    def changed(self, *_signal: object) -> None:
        """The bar's speech controls follow what speech is doing."""
        state = IDLE
        if self.speech is not None and self.speech.speaking:
            state = PAUSED if self.speech.paused else SPEAKING
        self.journey.window.set_speech(self.offered, self.on, state)
        self._mark_toggles()

    @Slot()
    def read_aloud(self) -> None:
        """The bar's Read aloud: speech on, and this screen read from the start; while
        speaking it pauses, while paused it goes on."""
        speech = self.speech
        if speech is None:
            return
        if speech.speaking:
            if speech.paused:
                speech.resume()
            else:
                speech.pause()
            self.changed()
            return
        idle = self.journey.idle
        if not idle.armed:  # turned on at the welcome screen: it ends with the visit
            idle.arm()
        self.journey.visit.speech_on = True
        self.speak_screen(explicit=True)

    @Slot()
    def turn_off(self) -> None:
        """Silence, and the default rate and volume again."""
        self.journey.visit.speech_on = False
        if self.speech is not None:
            self.speech.reset()
        self.changed()

    def reset(self) -> None:
        """The visit ended: silent, off, the session's audio deleted."""
        if self.speech is not None:
            self.speech.reset()
        self.changed()

    def add_choice(self, screen: TextSizeScreen) -> None:
        """Speech on or off, and slower, at the start of every visit: two large tick
        boxes under the text sizes."""
        N_ = self.journey.phrases.N_
        screen.body.addWidget(label(N_("Spoken guidance").text, "section"))
        toggles = []
        for action in (self._toggle_speech, self._toggle_slow):
            toggle = button("", "choice", checkable=True)
            toggle.setProperty(SPEECH_CONTROL, True)
            toggle.clicked.connect(action)
            screen.body.addWidget(toggle)
            toggles.append(toggle)
        self.toggles = (screen, toggles[0], toggles[1])
        self._mark_toggles()

    def choice_parts(self) -> list[Say]:
        N_ = self.journey.phrases.N_
        parts = [N_("Spoken guidance"), N_("Read the screens aloud")]
        if self.on:
            parts.append(N_("Read more slowly"))
        return parts

    def _mark_toggles(self) -> None:
        if self.toggles is None:
            return
        _screen, on, slow = self.toggles
        _ = self.journey.words._
        is_slow = self.speech is not None and self.speech.rate < RATE_NORMAL
        for toggle, text, checked in ((on, _("Read the screens aloud"), self.on),
                                      (slow, _("Read more slowly"), is_slow)):  # fmt: skip
            toggle.setChecked(checked)
            mark(toggle, text, checked, many=True)
        slow.setVisible(self.on)

    @Slot()
    def _toggle_speech(self) -> None:
        if self.on:
            self.turn_off()
        else:
            self.journey.visit.speech_on = True
            self.speak_screen(explicit=True)

    @Slot()
    def _toggle_slow(self) -> None:
        if self.speech is None:
            return
        slow = self.speech.rate < RATE_NORMAL
        self.speech.set_rate(self.speech.settings.rate if slow else RATE_SLOW)
        self.speak_screen()  # heard at once at the new rate

    def show_settings(self, back_to: Callable[[], None] | None) -> None:
        """How fast and how loud: a step at a time, each heard at once."""
        assert self.speech is not None
        speech = self.speech
        journey = self.journey
        N_ = journey.phrases.N_
        title = N_("Spoken guidance")
        text = N_("Change how fast and how loud the screens are read aloud.")
        done, off = N_("Back to where I was"), N_("Speech off")
        screen = NoticeScreen(
            journey.theme, journey.words, title.text, text.text, confirm=done.text,
            cancel=off.text,
        )  # fmt: skip
        rate = _nearest(RATES, speech.rate)
        volume = _nearest(VOLUMES, speech.volume)
        steps = (
            (N_("Slower"), rate > 0, lambda: speech.set_rate(RATES[rate - 1])),
            (N_("Faster"), rate < len(RATES) - 1, lambda: speech.set_rate(RATES[rate + 1])),
            (N_("Quieter"), volume > 0, lambda: speech.set_volume(VOLUMES[volume - 1])),
            (N_("Louder"), volume < len(VOLUMES) - 1,
             lambda: speech.set_volume(VOLUMES[volume + 1])),
        )  # fmt: skip

        def again() -> None:
            self.show_settings(back_to)  # redrawn, and read at the new rate or volume

        def step(change: Callable[[], None]) -> Callable[..., None]:
            def changed(*_clicked: object) -> None:
                change()
                again()

            return changed

        for caption, possible, change in steps:
            tool = screen.add_tool(caption.text, step(change))
            tool.setProperty(SPEECH_CONTROL, True)
            tool.setEnabled(possible)

        def finish(turn_off: bool) -> None:
            if turn_off:
                self.turn_off()
            (back_to or journey.start)()

        screen.confirmed.connect(lambda: finish(False))
        screen.cancelled.connect(lambda: finish(True))
        journey.show_screen(
            screen, back=back_to, redraw=again,
            said=lambda: compose(title, text, [s[0] for s in steps], done, off),
        )  # fmt: skip


def _nearest(steps: tuple[float, ...], value: float) -> int:
    """The index of the step closest to `value`."""
    return min(range(len(steps)), key=lambda i: abs(steps[i] - value))
