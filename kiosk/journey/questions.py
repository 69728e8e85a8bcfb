"""The questions, one a page, and the review of every answer: the form session decides
what comes next and whether an answer will do; this shows it and says the problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from forms.session import SHARED
from kiosk import spoken
from kiosk.messages import fix_text, problem_text
from kiosk.screens.question import QuestionScreen
from kiosk.screens.review import ReviewScreen
from kiosk.speech.utterance import Say, Utterance
from kiosk.visit import Mode

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey


class QuestionFlow(QObject):
    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey

    def show_current(self) -> None:
        journey = self.journey
        session = journey.visit.active
        assert session is not None
        page = session.current_page
        if page is None:
            if journey.visit.mode == Mode.CHECK:
                journey.show_findings()
            else:
                self.show_review()
            return
        service = None if page.scope == SHARED else journey.catalog.service(page.scope)
        records = service.records if service else ()
        service_title = (
            journey.words.text(service.title) if service and len(session.services) > 1 else ""
        )
        step = session.step
        screen = QuestionScreen(
            journey.theme,
            journey.words,
            page.question,
            step,
            session.answer_for(page.question.id, page.scope),
            records=records,
            service_title=service_title,
        )
        screen.answered.connect(self._answered)
        screen.answered_unknown.connect(self._answered_unknown)
        for flag in session.flags():  # an answer something else made wrong: say why here
            if (flag.question.id, flag.scope) == (page.question.id, page.scope):
                screen.show_problem(fix_text(journey.words, flag.question, flag.verdict))
        journey.show_screen(
            screen, back=self.back, redraw=self.show_current,
            said=lambda: spoken.question(
                journey.phrases, page.question, step, service_title, records
            ),
        )  # fmt: skip

    @Slot(object)
    def _answered(self, raw: object) -> None:
        journey = self.journey
        session = journey.visit.active
        screen = journey.screen
        assert session is not None and isinstance(screen, QuestionScreen)
        verdict = session.answer(raw)
        if not verdict.accepted:
            # On the page, only the fix (right under the question's title); aloud, the
            # question is named too, as a listener cannot see which one it is about.
            screen.show_problem(fix_text(journey.words, screen.question, verdict))
            journey.speaking.say(
                spoken.problem(problem_text(journey.words, screen.question, verdict))
            )
            return
        session.next()
        self.show_current()

    @Slot()
    def _answered_unknown(self) -> None:
        journey = self.journey
        session = journey.visit.active
        assert session is not None
        if session.answer_unknown().accepted:
            session.next()
            self.show_current()

    def back(self) -> None:
        journey = self.journey
        session = journey.visit.active
        assert session is not None
        if session.back():
            self.show_current()
        else:
            journey.show_services()

    def show_review(self) -> None:
        journey = self.journey
        session = journey.visit.session
        assert session is not None
        titles = {SHARED: journey.words._("About you")}
        titles.update({s.id: journey.words.text(s.title) for s in session.services})
        lines = session.review()
        review = ReviewScreen(journey.theme, journey.words, lines, titles)
        review.change_requested.connect(self._change)
        review.submitted.connect(journey.receipts.submit)

        def said() -> Utterance:
            phrases = journey.phrases
            headings: dict[str, Say | None] = {SHARED: phrases.N_("About you")}
            headings.update({s.id: phrases.text(s.title) for s in session.services})
            return spoken.review(phrases, lines, headings)

        journey.show_screen(review, back=self.back, redraw=self.show_review, said=said)

    @Slot(str, str)
    def _change(self, question_id: str, scope: str) -> None:
        journey = self.journey
        assert journey.visit.session is not None
        journey.visit.session.change(question_id, scope)
        self.show_current()
