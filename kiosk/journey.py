"""The resident's journey through the screens: which screen follows which tap.

Screens only render and emit; the form session decides about questions; this module
connects the two and owns the session's state, so wiping it is one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from forms.definition import Service
from forms.session import FormSession
from kiosk.backend import Backend
from kiosk.i18n import Words
from kiosk.messages import problem_text
from kiosk.screens.language import LanguageScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.question import QuestionScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.review import ReviewScreen
from kiosk.screens.service import ServiceScreen
from kiosk.screens.text_size import TextSizeScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.theme import Theme
from kiosk.window import KioskWindow
from sync.submission import Submitted


@dataclass(frozen=True)
class Defaults:
    """What every session starts from, and returns to when it ends."""

    language: str = "ko"
    text_size: str = "standard"
    dpi: float = 102.0


class Journey(QObject):
    def __init__(
        self, window: KioskWindow, service: Service, backend: Backend, defaults: Defaults
    ) -> None:
        super().__init__()
        self.window = window
        self.service = service
        self.backend = backend
        self.defaults = defaults
        self.language = defaults.language
        self.text_size = defaults.text_size
        self.session: FormSession | None = None
        self.screen: QWidget | None = None
        backend.saved.connect(self._saved)
        backend.save_failed.connect(self._save_failed)

    # -- plumbing ------------------------------------------------------------------
    @property
    def theme(self) -> Theme:
        return Theme(self.defaults.dpi, self.text_size, self.language)

    @property
    def words(self) -> Words:
        return Words(self.language)

    def _show(self, screen: QWidget, back: Callable[[], None] | None, home: bool = True) -> None:
        self.screen = screen
        self.window.show_page(
            screen, self.theme, self.words, back, self.ask_start_over if home else None
        )

    # -- screens -------------------------------------------------------------------
    def start(self) -> None:
        screen = WelcomeScreen(self.theme, self.words)
        screen.started.connect(self.show_language)
        self._show(screen, back=None, home=False)

    @Slot()
    def show_language(self) -> None:
        screen = LanguageScreen(self.theme, self.words)
        screen.chosen.connect(self._language_chosen)
        self._show(screen, back=self.start)

    @Slot(str)
    def _language_chosen(self, code: str) -> None:
        self.language = code
        self.show_text_size()

    def show_text_size(self) -> None:
        screen = TextSizeScreen(self.theme, self.words)
        screen.picked.connect(self._text_size_picked)
        screen.confirmed.connect(self.show_service)
        self._show(screen, back=self.show_language)

    @Slot(str)
    def _text_size_picked(self, size: str) -> None:
        self.text_size = size
        self.show_text_size()

    @Slot()
    def show_service(self) -> None:
        screen = ServiceScreen(self.theme, self.words, self.service)
        screen.started.connect(self._begin)
        self._show(screen, back=self.show_text_size)

    @Slot()
    def _begin(self) -> None:
        if self.session is None:
            self.session = FormSession(self.service, self.language)
        self.session.language = self.language
        self.show_current()

    def show_current(self) -> None:
        session = self.session
        assert session is not None
        question = session.current
        if question is None:
            review = ReviewScreen(self.theme, self.words, session.review())
            review.change_requested.connect(self._change)
            review.submitted.connect(self._submit)
            self._show(review, back=self._back)
            return
        screen = QuestionScreen(
            self.theme, self.words, question, session.step, session.answer_for(question.id)
        )
        screen.answered.connect(self._answered)
        self._show(screen, back=self._back)

    @Slot(object)
    def _answered(self, raw: object) -> None:
        session = self.session
        screen = self.screen
        assert session is not None and isinstance(screen, QuestionScreen)
        verdict = session.answer(raw)
        if not verdict.accepted:
            screen.show_problem(problem_text(self.words, screen.question, verdict))
            return
        session.next()
        self.show_current()

    def _back(self) -> None:
        assert self.session is not None
        if self.session.back():
            self.show_current()
        else:
            self.show_service()

    @Slot(str)
    def _change(self, question_id: str) -> None:
        assert self.session is not None
        self.session.change(question_id)
        self.show_current()

    @Slot()
    def _submit(self) -> None:
        assert self.session is not None
        _ = self.words._
        payload = self.session.finalize()
        self._show(NoticeScreen(self.theme, self.words, _("Saving your application…")), None, False)
        self.backend.submit(payload)

    @Slot(object)
    def _saved(self, submitted: Submitted) -> None:
        # The application is committed: only now does the resident see a receipt,
        # and the answers in memory are no longer needed.
        if self.session is not None:
            self.session.clear()
            self.session = None
        screen = ReceiptScreen(self.theme, self.words, self.service, submitted.reference)
        screen.finished.connect(self.end_session)
        self._show(screen, back=None, home=False)

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

    # -- ending ----------------------------------------------------------------------
    @Slot()
    def ask_start_over(self) -> None:
        if self.session is None:
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
        screen.cancelled.connect(self.show_current)
        self._show(screen, back=None, home=False)

    @Slot()
    def end_session(self) -> None:
        """Forget the resident: answers, language and text size return to the defaults."""
        if self.session is not None:
            self.session.clear()
        self.session = None
        self.language = self.defaults.language
        self.text_size = self.defaults.text_size
        self.start()
