"""The questions, one a page, and the review of every answer: the form session decides
what comes next and whether an answer will do; this shows it and says the problem."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from forms.catalog import Catalog
from forms.definition import Question, Record
from forms.session import SHARED, FormSession, Page, ReviewLine
from kiosk import spoken
from kiosk.amounts import choice_amounts
from kiosk.i18n import Words
from kiosk.messages import fix_text, problem_text
from kiosk.screens.question import QuestionScreen
from kiosk.screens.review import ReviewScreen, key_of, used_for
from kiosk.speech.utterance import Say, Utterance
from kiosk.visit import Mode

if TYPE_CHECKING:
    from kiosk.journey.flow import Journey

SEVERAL = "*"
"""The review's topic of the answers that go to more than one service (no service id
is "*": ids are lowercase words and hyphens)."""


def by_topic(session: FormSession) -> tuple[list[ReviewLine], dict[str, str]]:
    """The review's lines grouped by topic, and each line's topic by its key: about you,
    then the answers shared by several services (phone, records, the agreement: asked
    once, wherever the first service placed them), then each service's own."""
    lines = session.review()
    several = len(session.services) > 1

    def topic(line: ReviewLine) -> str:
        if line.scope == SHARED:
            return SHARED
        shared = several and len(session.services_for(Page(line.question, line.scope))) > 1
        return SEVERAL if shared else line.scope

    order = [SHARED, SEVERAL, *(s.id for s in session.services)]
    topics = {key_of(line): topic(line) for line in lines}
    grouped = sorted(lines, key=lambda line: order.index(topics[key_of(line)]))  # stable
    return grouped, topics


def shown(
    words: Words, catalog: Catalog, session: FormSession, page: Page
) -> tuple[Question, tuple[Record, ...]]:
    """A page's question as the kiosk shows it, with the records it asks to look up.

    A page asked once for several services (issue 19) speaks for all of them: its
    records are every service's, each named with its service ("Emergency welfare:
    Your household income"); its help is each service's own, named the same way; its
    words are the catalog's for the meaning (`asked`) when it has them, and an agreement
    without them asks for each service's conditions, not only the first one's."""
    members = session.services_for(page) if page.scope != SHARED else ()
    if len(members) < 2:
        service = None if page.scope == SHARED else catalog.service(page.scope)
        return page.question, service.records if service else ()
    question = page.question
    services = [catalog.service(sid) for sid in members]
    own = {s.id: next(q for q in s.questions if q.shares == question.shares) for s in services}
    records = tuple(
        Record(r.id, {words.code: f"{words.text(s.title)}: {words.text(r.label)}"})
        for s in services
        for r in s.records
    )
    helps: list[str] = []
    for s in services:
        told = words.text(own[s.id].help) if own[s.id].help else ""
        if told and not any(told in h for h in helps):
            helps.append(f"{words.text(s.title)}: {told}")
    meaning = next((m for m in catalog.meanings if m.id == question.shares), None)
    if meaning is not None and meaning.asked:  # the catalog's words for all of them
        question = replace(question, label=meaning.asked, speech={})
    elif question.type == "consent":  # its own words, not the first service's (nor their sound)
        agree = words._("Do you agree to the conditions of each of these services?")
        question = replace(question, label={words.code: agree}, speech={})
    help_text = {words.code: "\n".join(helps)} if helps else {}
    return replace(question, help=help_text), records


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
        question, records = shown(journey.words, journey.catalog, session, page)
        service = None if page.scope == SHARED else journey.catalog.service(page.scope)
        service_title = (
            journey.words.text(service.title)
            if service and len(session.services) > 1 and len(session.services_for(page)) < 2
            else ""
        )  # a page for several services names them in its words, not one of them here
        step = session.step
        screen = QuestionScreen(
            journey.theme,
            journey.words,
            question,
            step,
            session.answer_for(page.question.id, page.scope),
            records=records,
            service_title=service_title,
            amounts=choice_amounts(
                journey.words, session.profile, page.question, session.values(page.scope)
            ),
        )
        screen.answered.connect(self._answered)
        screen.answered_unknown.connect(self._answered_unknown)
        screen.answers_turned.connect(
            lambda values: journey.speaking.say(
                spoken.answers_turned(journey.phrases, question, values)
            )
        )
        for flag in session.flags():  # an answer something else made wrong: say why here
            if (flag.question.id, flag.scope) == (page.question.id, page.scope):
                screen.show_problem(fix_text(journey.words, flag.question, flag.verdict))
        journey.show_screen(
            screen, back=self.back, redraw=self.show_current,
            said=lambda: spoken.question(journey.phrases, question, step, service_title, records),
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
        words = journey.words
        several = words._("Answers for more than one service")
        titles = {SHARED: words._("About you"), SEVERAL: several}
        titles.update({s.id: words.text(s.title) for s in session.services})
        lines, topics = by_topic(session)
        shown_lines = [
            ReviewLine(
                shown(words, journey.catalog, session, Page(ln.question, ln.scope))[0],
                ln.scope,
                ln.answer,
            )
            for ln in lines
        ]
        short = {s.id: words.text(s.short) for s in session.services}  # a line names many
        goes_to = {  # shown under each answer, and said after it
            key_of(ln): used_for(
                words,
                [short[s] for s in session.services_for(Page(ln.question, ln.scope))],
                len(session.services),
            )
            for ln in lines
        }
        flagged = {
            key_of(Page(f.question, f.scope)): problem_text(words, f.question, f.verdict)
            for f in session.flags()
        }
        # With several services, each one's own answers fold behind its title.
        folding = [s.id for s in session.services] if len(session.services) > 1 else []
        opened = journey.visit.review_open
        review = ReviewScreen(journey.theme, words, shown_lines, titles, topics, goes_to,
                              flagged, folding, opened)  # fmt: skip
        opened.update(t for t, fold in review.sections.items() if fold.isChecked())
        review.change_requested.connect(self._change)
        review.submitted.connect(journey.receipts.submit)
        review.send_blocked.connect(lambda text: journey.speaking.say(spoken.problem(text)))

        phrases = journey.phrases
        headings: dict[str, Say | None] = {
            SHARED: phrases.N_("About you"),
            SEVERAL: phrases.N_("Answers for more than one service"),
        }
        headings.update({s.id: phrases.text(s.title) for s in session.services})
        spoken_lines = [
            ReviewLine(ln.question, topics[key_of(ln)], ln.answer) for ln in shown_lines
        ]
        goes = [goes_to.get(key_of(ln), "") for ln in shown_lines]

        def toggled(topic: str, on: bool) -> None:
            if on:
                opened.add(topic)
                mine = [n for n, ln in enumerate(spoken_lines) if ln.scope == topic]
                journey.speaking.say(spoken.review_section(
                    phrases, headings.get(topic), [spoken_lines[n] for n in mine],
                    [goes[n] for n in mine]))  # fmt: skip
            else:
                opened.discard(topic)

        review.section_toggled.connect(toggled)

        def said() -> Utterance:
            said_review = spoken.review(phrases, spoken_lines, headings, goes, review.folded)
            if not flagged:
                return said_review
            notice = phrases.N_(
                "Some answers no longer fit together. Please change the marked answers first."
            )  # first, with what is wrong: Send waits for them
            return spoken.compose([notice, *(Say(t) for t in flagged.values())], said_review.parts)

        journey.show_screen(review, back=self.back, redraw=self.show_review, said=said)

    @Slot(str, str)
    def _change(self, question_id: str, scope: str) -> None:
        journey = self.journey
        assert journey.visit.session is not None
        journey.visit.session.change(question_id, scope)
        self.show_current()
