"""The resident's journey through the screens: which screen follows which tap.

Screens only render and emit; the form session decides about questions; this module
connects the two and owns the session's state, so wiping it is one call.

Speech: the resident turns it on on the text-size screen (every session passes it) or
with Read aloud in the bar, on any screen. While it is on, each screen is read when it is
shown, in the words it shows (kiosk.spoken composes them); errors and the idle warning
are read when they appear. Any tap stops it. It is off again, at the default rate and
volume, when the session ends.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from forms.catalog import Catalog
from forms.eligibility import check_eligibility, profile_values
from forms.session import SHARED, FormSession
from kiosk import spoken
from kiosk.backend import Backend
from kiosk.i18n import Words
from kiosk.idle import IdleWatch
from kiosk.messages import problem_text
from kiosk.screens.eligibility import EligibilityScreen
from kiosk.screens.idle_warning import IdleWarning
from kiosk.screens.language import LanguageScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen, receipt_advice
from kiosk.screens.review import ReviewScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.status_check import StatusCheckScreen
from kiosk.screens.status_result import StatusResultScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.speech.service import RATE_FAST, RATE_NORMAL, RATE_SLOW, RATE_SLOWEST, SpeechService
from kiosk.speech.taps import SPEECH_CONTROL
from kiosk.speech.utterance import Say, Utterance
from kiosk.speech.voices import NO_VOICE, PACK_INCOMPLETE
from kiosk.spoken import Phrases, compose
from kiosk.theme import THEMES, Theme
from kiosk.widgets import button, label
from kiosk.window import IDLE, PAUSED, SPEAKING, KioskWindow
from sync.store import Receipt
from sync.submission import Assistance, Submitted

log = logging.getLogger(__name__)

CHECK, APPLY = "check", "apply"
STATUS = "status"
"""The purpose of a visit that only looks at an application made before."""

RATES = (RATE_SLOWEST, RATE_SLOW, RATE_NORMAL, RATE_FAST)
"""Speaking rates the resident can step through (Slower / Faster)."""
VOLUMES = (0.4, 0.6, 0.8, 1.0)
"""Volumes the resident can step through (Quieter / Louder); the default is among them."""
_NOT_FOR_THE_RESIDENT = ("personal_refused", "nothing_to_say", "unknown_language")
"""Reasons nothing was said that are the kiosk's business, not a notice for the resident."""


@dataclass(frozen=True)
class Defaults:
    """What every session starts from, and returns to when it ends."""

    language: str = "ko"
    text_size: str = "standard"
    dpi: float = 102.0
    contrast: str = "normal"
    idle_seconds: float = 120.0
    """How long a visit may sit untouched before the warning."""
    warning_seconds: float = 30.0
    """How long the warning shows before the session is wiped (never under 20 s)."""


class Journey(QObject):
    staff_requested = Signal()
    """The staff entrance was tapped (welcome or help screen): kiosk.staff takes over."""
    session_ended = Signal(str)
    """The visit was wiped and the welcome screen is back; why: "finished" or "idle"."""

    def __init__(
        self,
        window: KioskWindow,
        catalog: Catalog,
        backend: Backend,
        defaults: Defaults,
        speech: SpeechService | None = None,
    ) -> None:
        super().__init__()
        self.window = window
        self.catalog = catalog
        self.backend = backend
        self.defaults = defaults
        self.language = defaults.language
        self.text_size = defaults.text_size
        self.contrast = defaults.contrast
        self.redraw: Callable[[], None] | None = None
        """Shows the current screen again (after a change of language, size or colours)."""
        self._after_setup: Callable[[], None] | None = None
        self.idle = IdleWatch(defaults.idle_seconds, defaults.warning_seconds)
        self.idle.warning.connect(self._idle_warning)
        self.idle.resumed.connect(window.hide_overlay)
        self.idle.expired.connect(self._idle_expired)
        window.help_requested.connect(self.show_help)
        window.language_requested.connect(lambda: self._detour(self.show_language))
        window.text_size_requested.connect(lambda: self._detour(self.show_text_size))
        window.contrast_requested.connect(self.toggle_contrast)
        self.picked: list[str] = []
        self.profile_answers: dict[str, object] = {}
        self.check: FormSession | None = None
        self.session: FormSession | None = None
        self.mode = APPLY
        self.purpose = APPLY
        self.screen: QWidget | None = None
        self.status_reference: str | None = None
        """The reference being looked up, while the resident waits for the answer."""
        self._lookups_asked = self._lookups_answered = 0
        self.pending_catalog: Catalog | None = None
        self.assistance: Assistance | None = None
        """Set by kiosk.staff while a navigator helps, with the resident's consent."""
        backend.saved.connect(self._saved)
        backend.save_failed.connect(self._save_failed)
        backend.receipt_found.connect(self._receipt_found)
        self.speech = speech
        """None on a kiosk without speech: then no speech control is shown."""
        self.speech_on = False
        """The resident asked for the screens to be read aloud (until the session ends)."""
        self._said: Callable[[], Utterance] | None = None
        """What the current screen says, composed afresh each time (Read aloud)."""
        self._told: set[tuple[str, str]] = set()
        """(language, kind) of the "not available" notices shown this session."""
        self._explicit = False
        """The resident asked for speech just now: a notice shows again if need be."""
        self._speech_toggles: tuple[QWidget, QPushButton, QPushButton] | None = None
        """(the text-size screen, Read the screens aloud, Read more slowly)."""
        if speech is not None:
            speech.unavailable.connect(self._speech_unavailable)
            speech.started.connect(self._speech_changed)
            speech.finished.connect(self._speech_changed)
            window.read_aloud_requested.connect(self.read_aloud)
            window.speech_off_requested.connect(self.turn_speech_off)
        window.set_speech(speech is not None, False)

    # -- plumbing ------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        return Theme(self.defaults.dpi, self.text_size, self.language, THEMES[self.contrast])

    @property
    def words(self) -> Words:
        return Words(self.language)

    @property
    def phrases(self) -> Phrases:
        return Phrases(self.words)

    @property
    def active(self) -> FormSession | None:
        return self.check if self.mode == CHECK else self.session

    def _show(
        self,
        screen: QWidget,
        back: Callable[[], None] | None,
        home: bool = True,
        redraw: Callable[[], None] | None = None,
        said: Callable[[], Utterance] | None = None,
    ) -> None:
        """Show `screen`; `redraw` makes it again, so the bar's tools can come back to it
        (without one, the tools are hidden: a notice or a moment that must not be left).
        `said` composes what the screen says aloud; it is said now if speech is on."""
        if self._speech_toggles is not None and self._speech_toggles[0] is not screen:
            self._speech_toggles = None  # they went with the text-size screen
        self.screen = screen
        self.redraw = redraw
        self._said = said
        self.window.show_page(
            screen, self.theme, self.words, back, self.ask_start_over if home else None,
            tools=redraw is not None,
        )  # fmt: skip
        self._speak_screen()

    # -- speech ----------------------------------------------------------------------
    def _current_utterance(self) -> Utterance | None:
        """The current screen's words, an error it shows first."""
        if self._said is None:
            return None
        said = self._said()
        error = getattr(self.screen, "error", None)
        if isinstance(error, QLabel) and not error.isHidden() and error.text():
            said = compose(Say(error.text()), said.parts)
        return said

    def _speak_screen(self, explicit: bool = False) -> None:
        if self.speech is None or not self.speech_on:
            return
        said = self._current_utterance()
        if said is None:
            self.speech.stop()
        else:
            self._say(said, explicit)
        self._speech_changed()

    def _say(self, what: Utterance, explicit: bool = False) -> None:
        """Say this now, in the resident's language, replacing whatever was being said;
        where that cannot be done, the resident is told so, once."""
        if self.speech is None or not self.speech_on:
            return
        self._explicit = explicit
        try:
            availability = self.speech.available(self.language)
            if availability.ok:
                self.speech.speak(what, self.language)  # may still refuse: `unavailable`
            else:
                self.speech.stop()
                self._tell_unavailable(availability.reason)
        finally:
            self._explicit = False
        self._speech_changed()

    @Slot(str, str)
    def _speech_unavailable(self, language: str, reason: str) -> None:
        if language == self.language:
            self._tell_unavailable(reason)

    def _tell_unavailable(self, reason: str) -> None:
        """A notice, in the resident's language, that nothing will be read aloud: once a
        session for each language, or again when the resident asks for speech again."""
        if reason in _NOT_FOR_THE_RESIDENT:
            log.info("nothing read aloud on this screen: %s", reason)
            return
        kind = "language" if reason in (NO_VOICE, PACK_INCOMPLETE) else "kiosk"
        if (self.language, kind) in self._told and not self._explicit:
            return
        self._told.add((self.language, kind))
        N_ = self.phrases.N_
        if kind == "language":
            title = N_("Spoken guidance is not available in this language.")
        else:
            title = N_("Spoken guidance is not working on this kiosk right now.")
        notice = NoticeScreen(
            self.theme,
            self.words,
            title.text,
            N_("Please ask a member of staff here for help.").text,
            confirm=N_("OK").text,
        )
        # Over the screen, which stays as it is: painted opaque, in the screens' colour.
        notice.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        notice.confirmed.connect(self.window.hide_overlay)
        self.window.show_overlay(notice)

    def _speech_changed(self, *_signal: object) -> None:
        """The bar's speech controls follow what speech is doing."""
        state = IDLE
        if self.speech is not None and self.speech.speaking:
            state = PAUSED if self.speech.paused else SPEAKING
        self.window.set_speech(self.speech is not None, self.speech_on, state)
        self._mark_speech_toggles()

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
            self._speech_changed()
            return
        if not self.idle.armed:  # turned on at the welcome screen: it ends with the session
            self.idle.arm()
        self.speech_on = True
        self._speak_screen(explicit=True)

    @Slot()
    def turn_speech_off(self) -> None:
        """Silence, and the default rate and volume again."""
        self.speech_on = False
        if self.speech is not None:
            self.speech.reset()
        self._speech_changed()

    def _add_speech_choice(self, screen: TextSizeScreen) -> None:
        """Speech on or off, and slower, at the start of every session: two large
        tick boxes under the text sizes."""
        N_ = self.phrases.N_
        screen.body.addWidget(label(N_("Spoken guidance").text, "section"))
        toggles = []
        for action in (self._toggle_speech, self._toggle_slow):
            toggle = button("", "choice", checkable=True)
            toggle.setProperty(SPEECH_CONTROL, True)
            toggle.clicked.connect(action)
            screen.body.addWidget(toggle)
            toggles.append(toggle)
        self._speech_toggles = (screen, toggles[0], toggles[1])
        self._mark_speech_toggles()

    def _speech_choice_parts(self) -> list[Say]:
        N_ = self.phrases.N_
        parts = [N_("Spoken guidance"), N_("Read the screens aloud")]
        if self.speech_on:
            parts.append(N_("Read more slowly"))
        return parts

    def _mark_speech_toggles(self) -> None:
        if self._speech_toggles is None:
            return
        _screen, on, slow = self._speech_toggles
        _ = self.words._
        is_slow = self.speech is not None and self.speech.rate < RATE_NORMAL
        for toggle, text, checked in ((on, _("Read the screens aloud"), self.speech_on),
                                      (slow, _("Read more slowly"), is_slow)):  # fmt: skip
            toggle.setChecked(checked)
            toggle.setText(("☑ " if checked else "☐ ") + text)
        slow.setVisible(self.speech_on)

    @Slot()
    def _toggle_speech(self) -> None:
        if self.speech_on:
            self.turn_speech_off()
        else:
            self.speech_on = True
            self._speak_screen(explicit=True)

    @Slot()
    def _toggle_slow(self) -> None:
        if self.speech is None:
            return
        slow = self.speech.rate < RATE_NORMAL
        self.speech.set_rate(self.speech.settings.rate if slow else RATE_SLOW)
        self._speak_screen()  # heard at once at the new rate

    def show_speech_settings(self, back_to: Callable[[], None] | None) -> None:
        """How fast and how loud: a step at a time, each heard at once."""
        assert self.speech is not None
        speech = self.speech
        N_ = self.phrases.N_
        title = N_("Spoken guidance")
        text = N_("Change how fast and how loud the screens are read aloud.")
        done, off = N_("Back to where I was"), N_("Speech off")
        screen = NoticeScreen(
            self.theme, self.words, title.text, text.text, confirm=done.text, cancel=off.text
        )
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
            self.show_speech_settings(back_to)  # redrawn, and read at the new rate or volume

        def step(change: Callable[[], None]) -> Callable[..., None]:
            return lambda *_clicked: (change(), again())

        for caption, possible, change in steps:
            tool = screen.add_tool(caption.text, step(change))
            tool.setProperty(SPEECH_CONTROL, True)
            tool.setEnabled(possible)

        def finish(turn_off: bool) -> None:
            if turn_off:
                self.turn_speech_off()
            (back_to or self.start)()

        screen.confirmed.connect(lambda: finish(False))
        screen.cancelled.connect(lambda: finish(True))
        self._show(
            screen, back=back_to, redraw=again,
            said=lambda: compose(title, text, [s[0] for s in steps], done, off),
        )  # fmt: skip

    # -- the bar's tools -------------------------------------------------------------
    def _detour(self, show: Callable[[], None]) -> None:
        """Language or text size from the bar: afterwards, back to where the resident was."""
        self._after_setup = self.redraw
        show()

    def _setup_done(self) -> None:
        after, self._after_setup = self._after_setup, None
        if after is not None:
            after()
        elif self.purpose == STATUS:
            self.show_status_check()
        else:
            self.show_services()

    @Slot()
    def toggle_contrast(self) -> None:
        self.contrast = "normal" if self.contrast == "high_contrast" else "high_contrast"
        if self.redraw is not None:
            self.redraw()

    @Slot()
    def show_help(self) -> None:
        N_ = self.phrases.N_
        back_to = self.redraw
        title = N_("Need help?")
        text = N_(
            "Please ask the staff member here: helping you is their job. You can also "
            "call the Seoul 120 Dasan Call Center, in your language too."
        )
        done = N_("Back to where I was")
        screen = NoticeScreen(self.theme, self.words, title.text, text.text, confirm=done.text)
        if back_to is not None:
            screen.confirmed.connect(back_to)
        tools = [
            N_("Text size"),
            N_("Normal colours") if self.contrast == "high_contrast" else N_("High contrast"),
        ]
        screen.add_tool(tools[0].text, lambda: self._detour_from(back_to, self.show_text_size))
        screen.add_tool(tools[1].text, lambda: self._contrast_from(back_to))
        if self.speech is not None and self.speech_on:
            tools.append(N_("Speech settings"))
            screen.add_tool(tools[2].text, lambda: self.show_speech_settings(back_to))
        screen.staff_button = screen.add_tool(self.words._("Staff"), self.staff_requested.emit)
        self._show(screen, back=back_to, said=lambda: compose(title, text, done, tools))

    def _detour_from(self, back_to: Callable[[], None] | None, show: Callable[[], None]) -> None:
        self._after_setup = back_to
        show()

    def _contrast_from(self, back_to: Callable[[], None] | None) -> None:
        self.contrast = "normal" if self.contrast == "high_contrast" else "high_contrast"
        if back_to is not None:
            back_to()

    # -- idle ------------------------------------------------------------------------
    @Slot(int)
    def _idle_warning(self, seconds: int) -> None:
        overlay = self.window.overlay
        if isinstance(overlay, IdleWarning):
            overlay.set_seconds(seconds)
            return
        warning = IdleWarning(self.theme, self.words, seconds)
        warning.more_time.connect(self.idle.touch)
        self.window.show_overlay(warning)
        self._say(spoken.idle_warning(self.phrases, seconds))

    @Slot()
    def _idle_expired(self) -> None:
        self.end_session("idle")

    @property
    def in_progress(self) -> bool:
        return bool(self.session or self.check or self.picked or self.profile_answers)

    def offer_catalog(self, catalog: Catalog) -> None:
        """A newer catalog arrived: use it from the next resident on, never mid-visit."""
        self.pending_catalog = catalog
        if not self.in_progress and isinstance(self.screen, WelcomeScreen):
            self.start()

    # -- choosing ------------------------------------------------------------------
    def start(self) -> None:
        if self.pending_catalog is not None:
            self.catalog, self.pending_catalog = self.pending_catalog, None
        screen = WelcomeScreen(self.theme, self.words)
        screen.started.connect(lambda: self._begin(APPLY))
        screen.status_check_requested.connect(lambda: self._begin(STATUS))
        screen.staff_requested.connect(self.staff_requested)
        self._show(
            screen, back=None, home=False, redraw=self.start,
            said=lambda: spoken.welcome(self.phrases),
        )  # fmt: skip

    def _begin(self, purpose: str, then: Callable[[], None] | None = None) -> None:
        """Either way the resident first picks a language and a text size; `then` shows
        what comes after them instead of the services (an assisted visit's consent)."""
        self.purpose = purpose
        self._after_setup = None
        self.idle.arm()
        self.show_language()
        self._after_setup = then

    @Slot()
    def show_language(self) -> None:
        screen = LanguageScreen(self.theme, self.words)
        screen.chosen.connect(self._language_chosen)
        if not self.idle.armed:  # the bar's language button on the welcome screen
            self.idle.arm()
        self._show(
            screen, back=self._after_setup or self.start,
            said=lambda: spoken.language(self.phrases),
        )  # fmt: skip

    @Slot(str)
    def _language_chosen(self, code: str) -> None:
        self.language = code
        for session in (self.check, self.session):
            if session is not None:
                session.language = code
        self.show_text_size()

    def show_text_size(self) -> None:
        screen = TextSizeScreen(self.theme, self.words)
        screen.picked.connect(self._text_size_picked)
        screen.confirmed.connect(self._setup_done)
        if self.speech is not None:
            self._add_speech_choice(screen)
        self._show(
            screen, back=self._after_setup or self.show_language,
            said=lambda: spoken.text_size(self.phrases, *self._speech_choice_parts()),
        )  # fmt: skip

    @Slot(str)
    def _text_size_picked(self, size: str) -> None:
        self.text_size = size
        self.show_text_size()

    @Slot()
    def show_services(self) -> None:
        screen = ServicesScreen(self.theme, self.words, self.catalog, self.picked)
        screen.quick_check_requested.connect(self.start_check)
        screen.chosen.connect(self.start_applications)
        self._show(
            screen, back=self.show_text_size, redraw=self.show_services,
            said=lambda: spoken.services(self.phrases, self.catalog),
        )  # fmt: skip

    @Slot()
    def start_check(self) -> None:
        """The eligibility quick check: the profile questions, then the findings."""
        self.mode = CHECK
        self.check = FormSession(
            [], self.catalog.profile, self.language, known=None, profile_only=True
        )
        self.show_current()

    def show_findings(self) -> None:
        assert self.check is not None
        self.profile_answers = dict(self.check.profile_answers())
        today = self.check.today
        findings = check_eligibility(
            self.catalog.services.values(), self.catalog.profile, self.profile_answers, today
        )
        values = profile_values(self.catalog.profile, self.profile_answers, today)
        screen = EligibilityScreen(self.theme, self.words, findings, self.catalog.profile, values)
        screen.chosen.connect(self.start_applications)
        profile = self.catalog.profile
        self._show(
            screen, back=self._back, redraw=self.show_findings,
            said=lambda: spoken.eligibility(self.phrases, findings, profile, values),
        )  # fmt: skip

    @Slot(list)
    def start_applications(self, service_ids: list[str]) -> None:
        self.picked = list(service_ids)
        self.mode = APPLY
        services = [self.catalog.service(sid) for sid in service_ids]
        self.session = FormSession(
            services, self.catalog.profile, self.language, known=self.profile_answers
        )
        self.show_current()

    # -- questions -------------------------------------------------------------------
    def show_current(self) -> None:
        session = self.active
        assert session is not None
        page = session.current_page
        if page is None:
            if self.mode == CHECK:
                self.show_findings()
            else:
                self.show_review()
            return
        service = None if page.scope == SHARED else self.catalog.service(page.scope)
        records = service.records if service else ()
        service_title = (
            self.words.text(service.title) if service and len(session.services) > 1 else ""
        )
        step = session.step
        screen = QuestionScreen(
            self.theme,
            self.words,
            page.question,
            step,
            session.answer_for(page.question.id, page.scope),
            records=records,
            service_title=service_title,
        )
        screen.answered.connect(self._answered)
        screen.answered_unknown.connect(self._answered_unknown)
        self._show(
            screen, back=self._back, redraw=self.show_current,
            said=lambda: spoken.question(
                self.phrases, page.question, step, service_title, records
            ),
        )  # fmt: skip

    @Slot(object)
    def _answered(self, raw: object) -> None:
        session = self.active
        screen = self.screen
        assert session is not None and isinstance(screen, QuestionScreen)
        verdict = session.answer(raw)
        if not verdict.accepted:
            problem = problem_text(self.words, screen.question, verdict)
            screen.show_problem(problem)
            self._say(spoken.problem(problem))
            return
        session.next()
        self.show_current()

    @Slot()
    def _answered_unknown(self) -> None:
        session = self.active
        assert session is not None
        if session.answer_unknown().accepted:
            session.next()
            self.show_current()

    def _back(self) -> None:
        session = self.active
        assert session is not None
        if session.back():
            self.show_current()
        else:
            self.show_services()

    def show_review(self) -> None:
        session = self.session
        assert session is not None
        titles = {SHARED: self.words._("About you")}
        titles.update({s.id: self.words.text(s.title) for s in session.services})
        lines = session.review()
        review = ReviewScreen(self.theme, self.words, lines, titles)
        review.change_requested.connect(self._change)
        review.submitted.connect(self._submit)

        def said() -> Utterance:
            phrases = self.phrases
            headings = {SHARED: phrases.N_("About you")}
            headings.update({s.id: phrases.text(s.title) for s in session.services})
            return spoken.review(phrases, lines, headings)

        self._show(review, back=self._back, redraw=self.show_review, said=said)

    @Slot(str, str)
    def _change(self, question_id: str, scope: str) -> None:
        assert self.session is not None
        self.session.change(question_id, scope)
        self.show_current()

    @Slot()
    def _submit(self) -> None:
        assert self.session is not None
        saving = self.phrases.N_("Saving your application…")
        payloads = self.session.finalize()
        screen = NoticeScreen(self.theme, self.words, saving.text)
        self._show(screen, None, False, said=lambda: compose(saving))
        self.backend.submit(payloads, self.assistance)

    @Slot(object)
    def _saved(self, submitted: list[Submitted]) -> None:
        # Committed: only now does the resident see a receipt, and the answers in
        # memory are no longer needed.
        receipts = [
            (self.words.text(self.catalog.service(s.service_id).title), s.reference)
            for s in submitted
        ]
        self._forget_answers()
        self.show_receipt(receipts)

    def show_receipt(self, receipts: list[tuple[str, str]]) -> None:
        """References and titles only: nothing the resident answered is left by now."""
        screen = ReceiptScreen(self.theme, self.words, receipts)
        screen.finished.connect(self.end_session)
        screen.print_requested.connect(lambda: self._print(receipts))

        def said() -> Utterance:
            printed = "" if screen.printed.isHidden() else screen.printed.text()
            return spoken.receipt(self.phrases, receipts, printed)

        self._show(
            screen, back=None, home=False, redraw=lambda: self.show_receipt(receipts), said=said
        )

    def _print(self, receipts: list[tuple[str, str]]) -> None:
        from kiosk.printing import PaperReceipt, print_receipt

        _ = self.words._
        paper = PaperReceipt(
            heading=self.words.n_(
                "Your application is saved", "Your applications are saved", len(receipts)
            ),
            lines_before=[self.words.date(datetime.date.today())],
            applications=receipts,
            reference_caption=_("Your reference number:"),
            closing=receipt_advice(self.words),
            fonts=self.theme.font_families(),
        )
        try:
            where = print_receipt(paper, self.backend.store_path.parent / "printed",
                                  "receipt-" + receipts[0][1])  # fmt: skip
        except OSError:
            where = ""
        screen = self.screen
        if isinstance(screen, ReceiptScreen):
            N_ = self.phrases.N_
            if not where:
                printed = N_("The receipt could not be printed. Please ask staff.")
            elif where.endswith(".pdf"):
                printed = N_("There is no printer here: the receipt was kept for staff to print.")
            else:
                printed = N_("Your receipt is being printed.")
            screen.show_printed(printed.text)
            self._say(compose(printed))

    @Slot(str)
    def _save_failed(self, _reason: str) -> None:
        N_ = self.phrases.N_
        title = N_("Your application could not be saved")
        text = N_("Nothing has been sent. Please ask a member of staff for help, or try again.")
        again, back = N_("Try again"), N_("Back to my answers")
        screen = NoticeScreen(
            self.theme, self.words, title.text, text.text, confirm=again.text, cancel=back.text
        )
        screen.confirmed.connect(self._submit)
        screen.cancelled.connect(self.show_current)
        self._show(screen, back=None, said=lambda: compose(title, text, again, back))

    # -- checking an application made before -----------------------------------------
    @Slot()
    def show_status_check(self) -> None:
        """An empty status check: each look-up starts afresh, nothing of the last one kept."""
        self.status_reference = None
        screen = StatusCheckScreen(self.theme, self.words)
        screen.looked_up.connect(self._look_up)
        # After the screen's own check: a number that cannot be a reference is explained
        # on the screen, and said.
        screen.look_up_button.clicked.connect(lambda: self._say_problem_of(screen))
        self._show(
            screen, back=self.show_text_size, redraw=self.show_status_check,
            said=lambda: spoken.status_check(self.phrases),
        )  # fmt: skip

    def _say_problem_of(self, screen: QWidget) -> None:
        error = getattr(screen, "error", None)
        if screen is self.screen and isinstance(error, QLabel) and not error.isHidden():
            self._say(spoken.problem(error.text()))

    @Slot(str)
    def _look_up(self, reference: str) -> None:
        self.status_reference = reference
        self._lookups_asked += 1
        looking = self.phrases.N_("Looking for your application…")
        screen = NoticeScreen(self.theme, self.words, looking.text)
        self._show(screen, None, said=lambda: compose(looking))
        self.backend.find_receipt(reference)

    @Slot(object)
    def _receipt_found(self, receipt: Receipt | None) -> None:
        # Answers come in the order asked; only the newest one, still awaited, is shown.
        self._lookups_answered += 1
        reference = self.status_reference
        if reference is None or self._lookups_answered != self._lookups_asked:
            return
        self.show_status_result(reference, receipt)

    def show_status_result(self, reference: str, receipt: Receipt | None) -> None:
        """The one application with this reference, and nothing about any other."""
        self.status_reference = None
        if receipt is not None and receipt.reference != reference:
            receipt = None
        service = self.catalog.services.get(receipt.service_id) if receipt else None
        title = self.words.text(service.title) if service else ""
        screen = StatusResultScreen(self.theme, self.words, reference, receipt, title)
        screen.check_another.connect(self.show_status_check)
        screen.finished.connect(self.end_session)
        self._show(
            screen,
            back=self.show_status_check,
            redraw=lambda: self.show_status_result(reference, receipt),
            said=lambda: spoken.status_result(self.phrases, reference, receipt, title),
        )

    # -- ending ----------------------------------------------------------------------
    @Slot()
    def ask_start_over(self) -> None:
        if not self.in_progress:
            self.end_session()
            return
        N_ = self.phrases.N_
        title = N_("Start over?")
        text = N_("Everything you have entered will be cleared.")
        yes, no = N_("Yes, start over"), N_("No, go back")
        screen = NoticeScreen(
            self.theme, self.words, title.text, text.text, confirm=yes.text, cancel=no.text
        )
        screen.confirmed.connect(self.end_session)
        screen.cancelled.connect(self._resume)
        self._show(screen, back=None, home=False, said=lambda: compose(title, text, no, yes))

    def _resume(self) -> None:
        if self.active is not None:
            self.show_current()
        else:
            self.show_services()

    def _forget_answers(self) -> None:
        for session in (self.check, self.session):
            if session is not None:
                session.clear()
        self.check = self.session = None
        self.profile_answers = {}
        self.picked = []
        self.mode = APPLY
        self.purpose = APPLY
        self.status_reference = None

    @Slot()
    def end_session(self, why: str = "finished") -> None:
        """Forget the resident and show the welcome screen again."""
        self.wipe_resident()
        self.session_ended.emit(why)  # staff sign out first: the welcome shows no strip
        self.start()

    def wipe_resident(self) -> None:
        """Forget the resident: answers, choices, language and text size return to the
        defaults; speech goes silent and off, at the default rate and volume."""
        self._forget_answers()
        self.idle.disarm()
        self.window.hide_overlay()
        self.window.reset_input()
        if self.speech is not None:
            self.speech.reset()  # also deletes the session's audio
        self.speech_on = False
        self._told.clear()
        self._speech_changed()
        self.language = self.defaults.language
        self.text_size = self.defaults.text_size
        self.contrast = self.defaults.contrast
        self._after_setup = None


def _nearest(steps: tuple[float, ...], value: float) -> int:
    """The index of the step closest to `value`."""
    return min(range(len(steps)), key=lambda i: abs(steps[i] - value))
