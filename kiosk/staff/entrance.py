"""The staff entrance on the kiosk, and what a signed-in navigator does there.

Staff (welcome or help screen) → sign-in → if a resident's visit is open: leave it as it
is and help with it, or clear it → the resident is asked, in their language, whether
they agree to be helped (recorded in the audit log now and in the sealed application
later) → the journey, with "assisted by" under the bar and Save for later / Stop helping.

The navigator is signed out when they ask, when the resident declines, when the visit
ends, and when the kiosk is left idle (the journey's idle watch, armed throughout).
The desktop client lends its signed-in navigator instead (`assist_as`, `resume_as`,
`drafts_as`): the same screens, and the desk gets its screen back when the visit ends.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Slot

from kiosk.drafting import DraftUnusable, draft_content, draft_services, resume_draft
from kiosk.i18n import Words
from kiosk.journey import Journey
from kiosk.operations import Device, StoreOp
from kiosk.screens.draft_saved import DraftSavedScreen, draft_advice, print_resume_code
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.review import ReviewScreen
from kiosk.speech.utterance import Say
from kiosk.spoken import compose
from kiosk.staff.screens import (
    DraftsScreen,
    ResumeScreen,
    StaffMenuScreen,
    resume_refusal_text,
)
from kiosk.staff.sign_in import SignInScreen, check_pins
from kiosk.visit import Purpose
from sync import drafts, navigators
from sync.drafts import DEFAULT_TTL, DraftError, DraftInfo, WrongCode
from sync.navigators import Navigator
from sync.submission import Assistance, record_consent

log = logging.getLogger(__name__)


class StaffEntrance(QObject):
    def __init__(self, journey: Journey, draft_ttl: float = DEFAULT_TTL) -> None:
        super().__init__()
        self.journey = journey
        self.owner = journey.owner
        self.draft_ttl = draft_ttl
        self.navigator: Navigator | None = None
        self._return_to: Callable[[], None] | None = None
        self._lent_back: Callable[[], None] | None = None
        """Set while a navigator signed in elsewhere (the desk) is lent to the journey:
        where the screen goes when the visit ends; their sign-in is not ours to end."""
        journey.staff_requested.connect(self.open)
        journey.session_ended.connect(self._session_ended)

    @property
    def assisting(self) -> bool:
        return self.journey.assistance is not None

    def _show(self, screen: Any, back: Callable[[], None] | None, home: bool = True,
              said: Callable[[], Any] | None = None) -> None:  # fmt: skip
        self.journey.show_screen(screen, back=back, home=home, said=said)

    # -- signing in and out -------------------------------------------------------------
    @Slot()
    def open(self) -> None:
        """The staff button: sign in (or, when signed in already, the staff menu)."""
        journey = self.journey
        # Back to where the resident was (from the help screen: their question).
        back = journey.redraw or journey.return_to_visit
        self._return_to = back if journey.in_progress else None
        if not journey.idle.armed:
            journey.idle.arm()  # a navigator who walks away is signed out too
        if self.navigator is not None:
            self._after_sign_in()
            return
        op = StoreOp(self, lambda device: navigators.list_navigators(device.store), "staff list")
        op.success(self._show_sign_in).run(self.owner)

    def _show_sign_in(self, staff: list[Navigator]) -> None:
        journey = self.journey
        screen = SignInScreen(journey.theme, journey.words, staff)
        check_pins(screen, self.owner)
        screen.signed_in.connect(self._signed_in)
        screen.cancelled.connect(self._leave)
        self._show(screen, back=self._leave, home=False)

    @Slot()
    def _leave(self) -> None:
        if self._return_to is not None:
            self._return_to()
        else:
            self.journey.end_session()

    @Slot(object)
    def _signed_in(self, navigator: Navigator) -> None:
        self.navigator = navigator
        self._update_strip()
        self._after_sign_in()

    def _after_sign_in(self) -> None:
        if self._return_to is None:
            self.show_menu()
            return
        _ = self.journey.words._
        screen = NoticeScreen(
            self.journey.theme, self.journey.words,
            _("A resident's visit is open on this kiosk"),
            _("You can help with it as it is, or clear it first. Clearing cannot be undone."),
            confirm=_("Help with this visit"), cancel=_("Clear it"),
        )  # fmt: skip
        back_to = self._return_to
        screen.confirmed.connect(lambda: self.ask_consent(back_to))
        screen.cancelled.connect(self._clear_visit)
        self._show(screen, back=back_to, home=False)

    @Slot()
    def _clear_visit(self) -> None:
        self.journey.wipe_resident()
        self.journey.idle.arm()
        self._return_to = None
        self.show_menu()

    def sign_out(self, why: str = "asked") -> None:
        navigator, self.navigator = self.navigator, None
        self.journey.assist(None)
        self._update_strip()
        lent_back, self._lent_back = self._lent_back, None
        if lent_back is not None:
            QTimer.singleShot(0, lent_back)  # after the journey has shown its welcome
        elif navigator is not None:
            now = time.time()
            StoreOp(
                None, lambda device: navigators.sign_out(device.store, navigator, now, why),
                "recording a sign-out",
            ).run(self.owner)  # fmt: skip

    @Slot(str)
    def _session_ended(self, why: str) -> None:
        """The visit is over (or the kiosk was left idle): nobody stays signed in."""
        if self.navigator is not None:
            self.sign_out("idle" if why == "idle" else "visit_ended")

    # -- for the desk: a navigator signed in there ----------------------------------------
    def lend(self, navigator: Navigator, back: Callable[[], None]) -> None:
        """The desk's navigator works in the journey; when the visit ends (finished,
        Stop helping, or idle) `back` is called instead of signing them out."""
        self.navigator = navigator
        self._lent_back = back
        self._return_to = None
        if not self.journey.idle.armed:
            self.journey.idle.arm()
        self._update_strip()

    def assist_as(self, navigator: Navigator, back: Callable[[], None]) -> None:
        """An assisted visit (language, text size, the resident's consent, services)."""
        self.lend(navigator, back)
        self.journey.begin_visit(Purpose.APPLY, then=self._consent_then_services)

    def resume_as(self, navigator: Navigator, back: Callable[[], None]) -> None:
        """Continue a paused application by its code."""
        self.lend(navigator, back)
        self.show_resume()

    def drafts_as(self, navigator: Navigator, back: Callable[[], None]) -> None:
        """The list of paused applications (services and dates only)."""
        self.lend(navigator, back)
        self.list_drafts()

    def _update_strip(self) -> None:
        navigator = self.navigator
        if navigator is None:
            self.journey.window.staff_strip.set_content(None)
            return

        def content(words: Words) -> tuple[str, list[tuple[str, str, Callable[[], None]]]]:
            _ = words._
            if self.assisting:
                actions = []
                if isinstance(self.journey.screen, (QuestionScreen, ReviewScreen)):
                    actions.append(("pause", _("Save for later"), self.pause))
                actions.append(("stop", _("Stop helping"), self._stop))
                return _("Assisted by {name}").format(name=navigator.name), actions
            return (
                _("Staff: {name}").format(name=navigator.name),
                [("sign_out", _("Sign out"), self._stop)],
            )

        self.journey.window.staff_strip.set_content(content)

    @Slot()
    def _stop(self) -> None:
        """Stop helping / Sign out: the navigator goes; the resident's visit is wiped."""
        self.sign_out("asked")
        self.journey.end_session()

    # -- the menu -------------------------------------------------------------------------
    def show_menu(self) -> None:
        navigator = self.navigator
        assert navigator is not None
        journey = self.journey
        screen = StaffMenuScreen(journey.theme, journey.words, navigator.name)
        screen.assist.connect(
            lambda: journey.begin_visit(Purpose.APPLY, then=self._consent_then_services)
        )
        screen.resume.connect(self.show_resume)
        screen.list_drafts.connect(self.list_drafts)
        screen.sign_out.connect(self._stop)
        self._show(screen, back=None)

    def _consent_then_services(self) -> None:
        self.ask_consent(self.journey.show_services)

    # -- consent --------------------------------------------------------------------------
    def ask_consent(self, then: Callable[[], None] | None) -> None:
        """Asked of the resident, in their language, before any help is given (once a
        visit: a navigator coming back to the visit they help is not asked about again)."""
        navigator = self.navigator
        assert navigator is not None
        journey = self.journey
        if (
            journey.assistance is not None
            and journey.assistance.navigator_id == navigator.navigator_id
        ):
            (then or journey.show_services)()
            return
        _ = journey.words._
        title = _("May {name} help you?").format(name=navigator.name)
        text = _(
            "{name} works here as a digital navigator and can help you apply. They will "
            "see your answers while helping. Your application will record that you were "
            "helped, by whom, and that you agreed."
        ).format(name=navigator.name)
        yes, no = _("Yes, please help me"), _("No, I will go on alone")
        screen = NoticeScreen(journey.theme, journey.words, title, text, confirm=yes, cancel=no)
        screen.confirmed.connect(lambda: self._consented(then))
        screen.cancelled.connect(lambda: self._declined(then))
        self._show(
            screen, back=None, said=lambda: compose(Say(title), Say(text), Say(yes), Say(no))
        )

    def _consented(self, then: Callable[[], None] | None) -> None:
        navigator = self.navigator
        assert navigator is not None
        now = time.time()
        navigator_id = navigator.navigator_id
        self.journey.assist(Assistance(navigator_id, navigator.name, now))
        StoreOp(
            None, lambda device: record_consent(device.store, navigator_id, now),
            "recording consent",
        ).run(self.owner)  # fmt: skip
        self._update_strip()
        (then or self.journey.show_services)()

    def _declined(self, then: Callable[[], None] | None) -> None:
        if self._lent_back is not None:  # at a desk the resident does not go on alone
            self.journey.wipe_resident()
            self.sign_out("resident_declined")
            return
        self.sign_out("resident_declined")
        self.journey.idle.arm()
        (then or self.journey.show_services)()

    # -- drafts ---------------------------------------------------------------------------
    @Slot()
    def pause(self) -> None:
        """Save for later: the visit goes into an encrypted draft; the code is shown once."""
        journey = self.journey
        session = journey.session
        navigator = self.navigator
        if session is None or navigator is None:
            return
        saving = journey.phrases.N_("Saving your application for later…")
        screen = NoticeScreen(journey.theme, journey.words, saving.text)
        self._show(screen, back=None, home=False, said=lambda: compose(saving))
        content, services = draft_content(session, journey.text_size), draft_services(session)
        navigator_id, ttl = navigator.navigator_id, self.draft_ttl
        titles = [journey.words.text(s.title) for s in session.services]

        def work(device: Device) -> tuple[str, float]:
            now = time.time()
            code = drafts.save_draft(
                device.store, device.secret, content, services, now,
                navigator=navigator_id, ttl=ttl,
            )  # fmt: skip
            return code, now + ttl

        def saved(done: tuple[str, float]) -> None:
            journey.forget_answers()  # the answers are in the draft now, and only there
            self._show_code(done[0], titles, done[1])

        StoreOp(self, work, "saving a draft").success(saved).failure(self._draft_failed).run(
            self.owner
        )

    def _show_code(self, code: str, titles: list[str], expires: float) -> None:
        journey = self.journey
        words = journey.words
        kept_until = words.date(dt.date.fromtimestamp(expires))
        screen = DraftSavedScreen(journey.theme, words, code, titles, kept_until)
        screen.finished.connect(journey.end_session)
        screen.print_requested.connect(lambda: self._print(screen, code, titles, kept_until))
        _ = words._
        self._show(
            screen, back=None, home=False,
            # The code itself is not read out: it is a key, and others may be listening.
            said=lambda: compose(
                Say(_("Your application is paused")), Say(draft_advice(words, kept_until))
            ),
        )  # fmt: skip

    def _print(self, screen: DraftSavedScreen, code: str, titles: list[str], kept: str) -> None:
        journey = self.journey
        screen.show_printed(print_resume_code(journey.words, journey.theme, code, titles, kept))

    def _draft_failed(self, error: BaseException) -> None:
        log.error("could not save a draft: %s", type(error).__name__)
        journey = self.journey
        _ = journey.words._
        screen = NoticeScreen(
            journey.theme, journey.words, _("The application could not be saved for later"),
            _("Nothing was lost: the answers are still here. Please try again."),
            confirm=_("Back to the application"),
        )  # fmt: skip
        screen.confirmed.connect(journey.show_current)
        self._show(screen, back=None)

    def show_resume(self) -> None:
        screen = ResumeScreen(self.journey.theme, self.journey.words)
        screen.entered.connect(self._resume_code)
        self._show(screen, back=self._back_to_menu)

    def _back_to_menu(self) -> None:
        if self._lent_back is not None:
            self.sign_out("asked")  # lent: back to the desk, still signed in there
            self.journey.wipe_resident()
        else:
            self.show_menu()

    @Slot(str)
    def _resume_code(self, code: str) -> None:
        screen = self.journey.screen
        if isinstance(screen, ResumeScreen):
            screen.open_button.setEnabled(False)
            screen.show_problem(self.journey.words._("Opening…"))

        def work(device: Device) -> dict[str, Any]:
            return drafts.resume_draft(device.store, device.secret, code, time.time())

        StoreOp(self, work, "opening a draft").success(self._draft_resumed).failure(
            self._draft_refused
        ).run(self.owner)

    def _draft_refused(self, error: BaseException) -> None:
        kinds = {
            drafts.DraftNotFound: "not_found",
            drafts.WrongCode: "wrong_code",
            drafts.DraftLocked: "locked",
            drafts.DraftExpired: "expired",
        }
        why = kinds.get(type(error), "failed")
        if not isinstance(error, DraftError):
            log.error("could not resume a draft: %s", type(error).__name__)
        left = error.tries_left if isinstance(error, WrongCode) else 0
        screen = self.journey.screen
        if not isinstance(screen, ResumeScreen):
            return
        text = resume_refusal_text(self.journey.words, why, left)
        screen.open_button.setEnabled(True)
        screen.show_problem(text)

    def _draft_resumed(self, content: dict[str, Any]) -> None:
        journey = self.journey
        if self.navigator is None or not isinstance(journey.screen, ResumeScreen):
            # Signed out meanwhile (idle): nobody is here to continue it with.
            log.warning("a resumed draft arrived after the navigator left; it is dropped")
            return
        try:
            resumed = resume_draft(content, journey.catalog)
        except DraftUnusable as problem:
            log.warning("a resumed draft cannot go on: %s", problem)
            screen = journey.screen
            if isinstance(screen, ResumeScreen):
                screen.open_button.setEnabled(True)
                screen.show_problem(journey.words._(
                    "The services of this paused application are not offered here now. "
                    "The resident needs to apply again."
                ))  # fmt: skip
            return
        journey.resume_visit(resumed.session, resumed.text_size)
        self.ask_consent(journey.show_current)

    def list_drafts(self) -> None:
        """The paused applications: services and dates, nothing the resident said."""

        def work(device: Device) -> list[DraftInfo]:
            drafts.wipe_expired(device.store)
            return drafts.list_drafts(device.store)

        def failed(error: BaseException) -> None:
            log.error("could not list drafts: %s", type(error).__name__)
            self._drafts_listed([])

        StoreOp(self, work, "listing drafts").success(self._drafts_listed).failure(failed).run(
            self.owner
        )

    def _drafts_listed(self, paused: list[DraftInfo]) -> None:
        if self.navigator is None:
            return
        journey = self.journey
        screen = DraftsScreen(journey.theme, journey.words, paused, journey.catalog)
        self._show(screen, back=self._back_to_menu)
