"""The resident's journey through the screens: which screen follows which tap.

Screens only render and emit; the form session decides about questions; this module
connects the two. Everything of the resident lives in one `Visit` that the journey owns:
ending the visit drops it. Its helpers, in this package, hold the rest: speech controls
(speaking.py), the bar's tools and help (bar.py), the status check (status.py), saving
and the receipt (receipt.py). Other modules use the public methods only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from forms.catalog import Catalog
from forms.session import FormSession
from kiosk import spoken
from kiosk.config import Defaults
from kiosk.i18n import Words
from kiosk.idle import IdleWatch
from kiosk.journey.bar import BarTools
from kiosk.journey.front_door import FrontDoor
from kiosk.journey.not_set_up import show_not_set_up
from kiosk.journey.questions import QuestionFlow
from kiosk.journey.receipt import ReceiptFlow
from kiosk.journey.speaking import SpeechControls
from kiosk.journey.status import StatusLookup
from kiosk.screens.idle_warning import IdleWarning
from kiosk.screens.language import LanguageScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.services import ServicesScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.speech.utterance import Utterance
from kiosk.spoken import Phrases, compose
from kiosk.theme import THEMES, Theme
from kiosk.visit import Mode, Purpose, Visit
from kiosk.window import KioskWindow
from sync.paths import DataFolder
from sync.submission import Assistance

if TYPE_CHECKING:
    from kiosk.backend import Backend
    from kiosk.operations import StoreOwner
    from kiosk.speech.service import SpeechService
    from sync.store import Receipt
    from sync.submission import Submitted

log = logging.getLogger(__name__)


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
        speech_offered: bool | None = None,
    ) -> None:
        """`speech_offered`: show speech controls before the service is attached."""
        super().__init__()
        self.window = window
        self.catalog = catalog
        self.backend = backend
        self.owner: StoreOwner = backend.owner
        self.data: DataFolder = backend.data
        self.defaults = defaults
        self.visit = Visit.starting(defaults)
        self.screen: QWidget | None = None
        self.redraw: Callable[[], None] | None = None
        """Shows the current screen again (after a change of language, size or colours)."""
        self.pending_catalog: Catalog | None = None
        self.idle = IdleWatch(defaults.idle_seconds, defaults.warning_seconds)
        self.idle.warning.connect(self._idle_warning)
        self.idle.resumed.connect(window.hide_overlay)
        self.idle.expired.connect(lambda: self.end_session("idle"))
        offered = speech is not None if speech_offered is None else speech_offered
        self.speaking = SpeechControls(self, speech, offered)
        self.bar = BarTools(self)
        self.status = StatusLookup(self)
        self.receipts = ReceiptFlow(self)
        self.questions = QuestionFlow(self)
        self.front = FrontDoor(self)

    # -- what the screens are drawn with -----------------------------------------------
    @property
    def theme(self) -> Theme:
        visit = self.visit
        return Theme(self.defaults.dpi, visit.text_size, visit.language, THEMES[visit.contrast])

    @property
    def words(self) -> Words:
        return Words(self.visit.language)

    @property
    def phrases(self) -> Phrases:
        return Phrases(self.words)

    # The visit, read-only, for the staff side, the tools and the tests.
    @property
    def language(self) -> str:
        return self.visit.language

    @property
    def text_size(self) -> str:
        return self.visit.text_size

    @property
    def contrast(self) -> str:
        return self.visit.contrast

    @property
    def session(self) -> FormSession | None:
        return self.visit.session

    @property
    def check(self) -> FormSession | None:
        return self.visit.check

    @property
    def picked(self) -> list[str]:
        return list(self.visit.picked)

    @property
    def assistance(self) -> Assistance | None:
        return self.visit.assistance

    @property
    def speech(self) -> SpeechService | None:
        return self.speaking.speech

    @property
    def speech_on(self) -> bool:
        return self.visit.speech_on

    @property
    def in_progress(self) -> bool:
        return self.visit.in_progress

    def show_screen(
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
        self.screen = screen
        self.redraw = redraw
        self.window.set_low_position(self.visit.low_position)
        self.window.show_page(
            screen, self.theme, self.words, back, self.ask_start_over if home else None,
            tools=redraw is not None,
        )  # fmt: skip
        self.speaking.screen_shown(screen, said)

    # -- a visit's beginning -----------------------------------------------------------
    def offer_catalog(self, catalog: Catalog) -> None:
        """A newer catalog arrived: use it from the next resident on, never mid-visit."""
        self.pending_catalog = catalog
        if not self.in_progress and isinstance(self.screen, WelcomeScreen):
            self.start()

    def start(self, shown: WelcomeScreen | None = None) -> None:
        """The welcome screen, between visits (`shown`: already on the window at start)."""
        if self.pending_catalog is not None:
            self.catalog, self.pending_catalog = self.pending_catalog, None
        if not self.backend.platform_url:
            show_not_set_up(self)
            return
        screen = shown or WelcomeScreen(self.theme, self.words)
        screen.started.connect(lambda: self.begin_visit(Purpose.APPLY))
        screen.status_check_requested.connect(lambda: self.begin_visit(Purpose.STATUS))
        screen.language_chosen.connect(lambda code: self.begin_visit(Purpose.APPLY, code=code))
        screen.staff_requested.connect(self.staff_requested)
        self.show_screen(
            screen, back=None, home=False, redraw=self.start,
            said=lambda: spoken.welcome(self.phrases),
        )  # fmt: skip

    def begin_visit(self, purpose: Purpose, then: Callable[[], None] | None = None,
                    code: str = "") -> None:  # fmt: skip
        """Either way the resident picks a language (`code`: tapped on the welcome) and a
        text size; `then` replaces the services after them (an assisted visit's consent)."""
        self.visit.purpose = purpose
        self.visit.after_setup = None
        self.idle.arm()
        self.choose_language(code) if code else self.show_language()
        self.visit.after_setup = then

    def resume_visit(self, session: FormSession, text_size: str) -> None:
        """A paused application, opened from its draft: its answers, language and size
        become the visit's. The caller shows what comes next (the resident's consent)."""
        visit = self.visit
        visit.session = session
        visit.picked = [s.id for s in session.services]
        visit.mode, visit.purpose = Mode.APPLY, Purpose.APPLY
        visit.language = session.language
        visit.text_size = text_size

    def assist(self, assistance: Assistance | None) -> None:
        """A navigator helps with this visit, with the resident's consent (None: no more)."""
        self.visit.assistance = assistance

    @Slot()
    def show_language(self) -> None:
        screen = LanguageScreen(self.theme, self.words)
        screen.chosen.connect(self.choose_language)
        if not self.idle.armed:  # the bar's language button on the welcome screen
            self.idle.arm()
        self.show_screen(
            screen, back=self.visit.after_setup or self.start, redraw=self.show_language,
            said=lambda: spoken.language(self.phrases),
        )  # fmt: skip

    @Slot(str)
    def choose_language(self, code: str) -> None:
        self.visit.language = code
        for session in (self.visit.check, self.visit.session):
            if session is not None:
                session.language = code
        self.show_text_size()

    def show_text_size(self) -> None:
        screen = TextSizeScreen(self.theme, self.words)
        screen.picked.connect(self._text_size_picked)
        screen.confirmed.connect(self._setup_done)
        if self.speech is not None:
            self.speaking.add_choice(screen)
        self.show_screen(
            screen, back=self.visit.after_setup or self.show_language,
            redraw=self.show_text_size,
            said=lambda: spoken.text_size(self.phrases, *self.speaking.choice_parts()),
        )  # fmt: skip

    @Slot(str)
    def _text_size_picked(self, size: str) -> None:
        self.visit.text_size = size
        self.show_text_size()

    def _setup_done(self) -> None:
        after, self.visit.after_setup = self.visit.after_setup, None
        if after is not None:
            after()
        elif self.visit.purpose == Purpose.STATUS:
            self.status.show_check()
        else:
            self.show_services()

    # -- choosing services -------------------------------------------------------------
    @Slot()
    def show_services(self) -> None:
        """The way in (front_door.py): the ranked list asked for in this visit, if any."""
        self.front.show_ranked() if self.front.wish else self.front.show()

    def show_service_list(self) -> None:
        """Every service, for a resident who knows which one they want."""
        screen = ServicesScreen(self.theme, self.words, self.catalog, self.visit.picked)
        screen.quick_check_requested.connect(self.start_check)
        screen.chosen.connect(self.start_applications)
        self.show_screen(
            screen, back=self.front.show, redraw=self.show_service_list,
            said=lambda: spoken.services(self.phrases, self.catalog),
        )  # fmt: skip

    @Slot()
    def start_check(self) -> None:
        """The eligibility quick check: the profile questions, then the findings."""
        self.visit.mode = Mode.CHECK
        self.visit.check = FormSession(
            [], self.catalog.profile, self.visit.language, known=None, profile_only=True
        )
        self.show_current()

    def show_findings(self) -> None:
        """After the quick check: the services asked for (or all of them) ranked, each
        card with its own reasons; Back goes to the last question."""
        check = self.visit.check
        assert check is not None
        self.visit.profile_answers = dict(check.profile_answers())
        if self.front.wish is not None:
            return self.front.show_ranked()
        self.front.show_ranked(back=self.questions.back)

    @Slot(list)
    def start_applications(self, service_ids: list[str]) -> None:
        visit = self.visit
        visit.picked = list(service_ids)
        visit.mode = Mode.APPLY
        services = [self.catalog.service(sid) for sid in service_ids]
        visit.session = FormSession(
            services, self.catalog.profile, visit.language, known=visit.profile_answers
        )
        self.show_current()

    # -- questions (questions.py) ----------------------------------------------------
    def show_current(self) -> None:
        """The question the resident is on (or the findings, or the review, after the last)."""
        self.questions.show_current()

    def show_review(self) -> None:
        self.questions.show_review()

    # -- the other ways through ---------------------------------------------------------
    def show_receipts(self, submitted: list[Submitted]) -> None:
        """The receipt for applications just saved (the answers are forgotten first)."""
        self.receipts.show_for(submitted)

    def show_status_check(self) -> None:
        self.status.show_check()

    def show_status_result(self, reference: str, receipt: Receipt | None) -> None:
        self.status.show_result(reference, receipt)

    def show_help(self) -> None:
        self.bar.show_help()

    def show_speech_settings(self, back_to: Callable[[], None] | None) -> None:
        self.speaking.show_settings(back_to)

    # -- idle ------------------------------------------------------------------------------
    @Slot(int)
    def _idle_warning(self, seconds: int) -> None:
        overlay = self.window.overlay
        if isinstance(overlay, IdleWarning):
            overlay.set_seconds(seconds)
            return
        warning = IdleWarning(self.theme, self.words, seconds)
        warning.more_time.connect(self.idle.touch)
        self.window.show_overlay(warning)
        self.speaking.say(spoken.idle_warning(self.phrases, seconds))

    # -- ending ----------------------------------------------------------------------------
    @Slot()
    def ask_start_over(self) -> None:
        if not self.in_progress:
            self.end_session()
            return
        N_ = self.phrases.N_
        title, text = N_("Start over?"), N_("Everything you have entered will be cleared.")
        yes, no = N_("Yes, start over"), N_("No, go back")
        screen = NoticeScreen(self.theme, self.words, title.text, text.text, confirm=yes.text,
                              cancel=no.text, safe_first=True)  # fmt: skip
        screen.confirmed.connect(self.end_session)
        screen.cancelled.connect(self.return_to_visit)
        self.show_screen(screen, back=None, home=False, said=lambda: compose(title, text, no, yes))

    def return_to_visit(self) -> None:
        """Back to the question the resident was on (or the services, before any)."""
        if self.visit.active is not None:
            self.show_current()
        else:
            self.show_services()

    def forget_answers(self) -> None:
        """The answers are saved or in a draft: forget them, keep the visit's language."""
        self.visit.forget_answers()

    @Slot()
    def end_session(self, why: str = "finished") -> None:
        """Forget the resident and show the welcome screen again."""
        self.wipe_resident()
        self.session_ended.emit(why)  # staff sign out first: the welcome shows no strip
        self.start()

    def wipe_resident(self) -> None:
        """Drop the visit: answers, choices, language and text size return to the
        defaults; speech goes silent and off, at the default rate and volume."""
        self.visit.forget_answers()
        self.visit = Visit.starting(self.defaults)
        self.front.wish = None
        self.idle.disarm()
        self.window.hide_overlay()
        self.window.reset_input()
        self.speaking.reset()  # also deletes the session's audio
