"""The resident's journey through the screens: which screen follows which tap.

Screens only render and emit; the form session decides about questions; this module
connects the two and owns the session's state, so wiping it is one call.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from forms.catalog import Catalog
from forms.eligibility import check_eligibility, profile_values
from forms.session import SHARED, FormSession
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
from kiosk.theme import THEMES, Theme
from kiosk.window import KioskWindow
from sync.store import Receipt
from sync.submission import Submitted

CHECK, APPLY = "check", "apply"
STATUS = "status"
"""The purpose of a visit that only looks at an application made before."""


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
    def __init__(
        self, window: KioskWindow, catalog: Catalog, backend: Backend, defaults: Defaults
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
        backend.saved.connect(self._saved)
        backend.save_failed.connect(self._save_failed)
        backend.receipt_found.connect(self._receipt_found)

    # -- plumbing ------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        return Theme(self.defaults.dpi, self.text_size, self.language, THEMES[self.contrast])

    @property
    def words(self) -> Words:
        return Words(self.language)

    @property
    def active(self) -> FormSession | None:
        return self.check if self.mode == CHECK else self.session

    def _show(
        self,
        screen: QWidget,
        back: Callable[[], None] | None,
        home: bool = True,
        redraw: Callable[[], None] | None = None,
    ) -> None:
        """Show `screen`; `redraw` makes it again, so the bar's tools can come back to it
        (without one, the tools are hidden: a notice or a moment that must not be left)."""
        self.screen = screen
        self.redraw = redraw
        self.window.show_page(
            screen, self.theme, self.words, back, self.ask_start_over if home else None,
            tools=redraw is not None,
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
        _ = self.words._
        back_to = self.redraw
        screen = NoticeScreen(
            self.theme,
            self.words,
            _("Need help?"),
            _(
                "Please ask the staff member here: helping you is their job. You can also "
                "call the Seoul 120 Dasan Call Center, in your language too."
            ),
            confirm=_("Back to where I was"),
        )
        if back_to is not None:
            screen.confirmed.connect(back_to)
        screen.add_tool(_("Text size"), lambda: self._detour_from(back_to, self.show_text_size))
        screen.add_tool(
            _("Normal colours") if self.contrast == "high_contrast" else _("High contrast"),
            lambda: self._contrast_from(back_to),
        )
        self._show(screen, back=back_to)

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

    @Slot()
    def _idle_expired(self) -> None:
        self.end_session()

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
        self._show(screen, back=None, home=False, redraw=self.start)

    def _begin(self, purpose: str) -> None:
        """Either way the resident first picks a language and a text size."""
        self.purpose = purpose
        self._after_setup = None
        self.idle.arm()
        self.show_language()

    @Slot()
    def show_language(self) -> None:
        screen = LanguageScreen(self.theme, self.words)
        screen.chosen.connect(self._language_chosen)
        if not self.idle.armed:  # the bar's language button on the welcome screen
            self.idle.arm()
        self._show(screen, back=self._after_setup or self.start)

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
        self._show(screen, back=self._after_setup or self.show_language)

    @Slot(str)
    def _text_size_picked(self, size: str) -> None:
        self.text_size = size
        self.show_text_size()

    @Slot()
    def show_services(self) -> None:
        screen = ServicesScreen(self.theme, self.words, self.catalog, self.picked)
        screen.quick_check_requested.connect(self.start_check)
        screen.chosen.connect(self.start_applications)
        self._show(screen, back=self.show_text_size, redraw=self.show_services)

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
        self._show(screen, back=self._back, redraw=self.show_findings)

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
        screen = QuestionScreen(
            self.theme,
            self.words,
            page.question,
            session.step,
            session.answer_for(page.question.id, page.scope),
            records=service.records if service else (),
            service_title=self.words.text(service.title)
            if service and len(session.services) > 1
            else "",
        )
        screen.answered.connect(self._answered)
        screen.answered_unknown.connect(self._answered_unknown)
        self._show(screen, back=self._back, redraw=self.show_current)

    @Slot(object)
    def _answered(self, raw: object) -> None:
        session = self.active
        screen = self.screen
        assert session is not None and isinstance(screen, QuestionScreen)
        verdict = session.answer(raw)
        if not verdict.accepted:
            screen.show_problem(problem_text(self.words, screen.question, verdict))
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
        review = ReviewScreen(self.theme, self.words, session.review(), titles)
        review.change_requested.connect(self._change)
        review.submitted.connect(self._submit)
        self._show(review, back=self._back, redraw=self.show_review)

    @Slot(str, str)
    def _change(self, question_id: str, scope: str) -> None:
        assert self.session is not None
        self.session.change(question_id, scope)
        self.show_current()

    @Slot()
    def _submit(self) -> None:
        assert self.session is not None
        _ = self.words._
        payloads = self.session.finalize()
        self._show(NoticeScreen(self.theme, self.words, _("Saving your application…")), None, False)
        self.backend.submit(payloads)

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
        self._show(screen, back=None, home=False, redraw=lambda: self.show_receipt(receipts))

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
            if not where:
                screen.show_printed(_("The receipt could not be printed. Please ask staff."))
            elif where.endswith(".pdf"):
                screen.show_printed(
                    _("There is no printer here: the receipt was kept for staff to print.")
                )
            else:
                screen.show_printed(_("Your receipt is being printed."))

    @Slot(str)
    def _save_failed(self, _reason: str) -> None:
        _ = self.words._
        screen = NoticeScreen(
            self.theme,
            self.words,
            _("Your application could not be saved"),
            _("Nothing has been sent. Please ask a member of staff for help, or try again."),
            confirm=_("Try again"),
            cancel=_("Back to my answers"),
        )
        screen.confirmed.connect(self._submit)
        screen.cancelled.connect(self.show_current)
        self._show(screen, back=None)

    # -- checking an application made before -----------------------------------------
    @Slot()
    def show_status_check(self) -> None:
        """An empty status check: each look-up starts afresh, nothing of the last one kept."""
        self.status_reference = None
        screen = StatusCheckScreen(self.theme, self.words)
        screen.looked_up.connect(self._look_up)
        self._show(screen, back=self.show_text_size, redraw=self.show_status_check)

    @Slot(str)
    def _look_up(self, reference: str) -> None:
        self.status_reference = reference
        self._lookups_asked += 1
        _ = self.words._
        self._show(NoticeScreen(self.theme, self.words, _("Looking for your application…")), None)
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
        )

    # -- ending ----------------------------------------------------------------------
    @Slot()
    def ask_start_over(self) -> None:
        if not self.in_progress:
            self.end_session()
            return
        _ = self.words._
        screen = NoticeScreen(
            self.theme,
            self.words,
            _("Start over?"),
            _("Everything you have entered will be cleared."),
            confirm=_("Yes, start over"),
            cancel=_("No, go back"),
        )
        screen.confirmed.connect(self.end_session)
        screen.cancelled.connect(self._resume)
        self._show(screen, back=None, home=False)

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
    def end_session(self) -> None:
        """Forget the resident: answers, choices, language and text size return to the defaults."""
        self._forget_answers()
        self.idle.disarm()
        self.window.hide_overlay()
        self.language = self.defaults.language
        self.text_size = self.defaults.text_size
        self.contrast = self.defaults.contrast
        self._after_setup = None
        self.start()
