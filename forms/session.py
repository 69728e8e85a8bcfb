"""FormSession: the resident's way through one visit's applications, one question per page.

A visit may apply to several services at once. The shared questions (the resident's
profile) come first and are asked once, whatever the services; then each service's
own questions. Questions whose relevance is not met are skipped, and their answers are
cleared when they stop being relevant. The kiosk renders whatever is current and
turns taps into `answer()`, `next()`, `back()`, `change()` and finally `finalize()`,
which gives one payload per service. Answers live in memory only; `clear()` forgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms import expressions as ex
from forms.answers import Answer, Verdict, check_answer
from forms.definition import Profile, Question, Service
from forms.union import answer_key, union

PAYLOAD_FORMAT = "ieum.application/1"
SNAPSHOT_FORMAT = "ieum.session/1"
SHARED = ""
"""The scope of shared questions; a service's own questions are scoped by its id."""


@dataclass(frozen=True)
class Page:
    question: Question
    scope: str
    """SHARED, or the id of the service that asks it."""


@dataclass(frozen=True)
class ReviewLine:
    question: Question
    scope: str
    answer: Answer


@dataclass(frozen=True)
class Flag:
    """An answer that is no longer acceptable because something it depends on changed
    (income lowered below a pension "at most income"): the review page shows
    `problem_text(question, verdict)` beside it and submission waits until it is fixed."""

    question: Question
    scope: str
    verdict: Verdict


class InvalidAnswers(ValueError):
    """finalize() was asked for while some answers are flagged."""

    def __init__(self, flags: Sequence[Flag]) -> None:
        super().__init__("answers to fix: " + ", ".join(f.question.id for f in flags))
        self.flags = tuple(flags)


class FormSession:
    """Which question is current, which answers are accepted, and what comes next."""

    def __init__(
        self,
        services: Sequence[Service],
        profile: Profile,
        language: str,
        today: dt.date | None = None,
        known: Mapping[str, Answer] | None = None,
        profile_only: bool = False,
    ) -> None:
        """`known` holds shared answers given earlier in the visit (the eligibility check):
        they are not asked again, but they are on the review page. `profile_only` asks
        every shared question and nothing else: the eligibility quick check."""
        if not services and not profile_only:
            raise ValueError("a session needs at least one service")
        self.services = tuple(services)
        self.profile = profile
        self.language = language
        self.today = today or dt.date.today()
        shared_ids = {q.id for s in services for q in s.questions if q.shared}
        if profile_only:
            shared_ids = {q.id for q in profile.questions}
        asked, self.aliases = union(services)
        self._members = {(a.scope, a.question.id): a.services for a in asked}
        self.pages: tuple[Page, ...] = tuple(
            [Page(q, SHARED) for q in profile.questions if q.id in shared_ids]
            + [Page(a.question, a.scope) for a in asked]
        )
        self._answers: dict[tuple[str, str], Answer] = {}
        self._asked_before: set[str] = set()
        for qid, value in (known or {}).items():
            if qid in shared_ids:
                self._answers[(SHARED, qid)] = value
                self._asked_before.add(qid)
        self._on_review = False
        self._return_to_review = False
        first = self._following(-1)
        self._index = 0 if first is None else first
        self._on_review = first is None

    # -- values and relevance ---------------------------------------------------------
    def values(self, scope: str) -> dict[str, Any]:
        """What expressions of `scope` see: shared answers, its own, and calculations."""
        values: dict[str, Any] = {t.id: list(t.values) for t in self.profile.tables}
        values.update({qid: v for (s, qid), v in self._answers.items() if s == SHARED})
        for calc in self.profile.calculations:
            values[calc.id] = ex.evaluate(calc.expression, values, self.today)
        if scope != SHARED:
            values.update({qid: v for (s, qid), v in self._answers.items() if s == scope})
            for (service_id, qid), key in self.aliases.items():
                if service_id == scope and key in self._answers:
                    values[qid] = self._answers[key]
            for calc in self._service(scope).calculations:
                values[calc.id] = ex.evaluate(calc.expression, values, self.today)
        return values

    def _service(self, service_id: str) -> Service:
        return next(s for s in self.services if s.id == service_id)

    def services_for(self, page: Page) -> tuple[str, ...]:
        """The services a page's answer goes to: several for a shared meaning, every
        chosen one that places a profile question, else the page's own service."""
        if page.scope == SHARED:
            return tuple(
                s.id for s in self.services if any(q.id == page.question.id for q in s.questions)
            )
        return self._members.get((page.scope, page.question.id), (page.scope,))

    def is_relevant(self, page: Page) -> bool:
        if page.question.relevant is None:
            return True
        return ex.evaluate(page.question.relevant, self.values(page.scope), self.today) is True

    def _skipped(self, i: int) -> bool:
        page = self.pages[i]
        return page.scope == SHARED and page.question.id in self._asked_before

    def _following(self, i: int) -> int | None:
        for j in range(i + 1, len(self.pages)):
            if not self._skipped(j) and self.is_relevant(self.pages[j]):
                return j
        return None

    def _preceding(self, i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            if not self._skipped(j) and self.is_relevant(self.pages[j]):
                return j
        return None

    def _clear_irrelevant(self) -> None:
        for page in self.pages:
            key = (page.scope, page.question.id)
            if key in self._answers and not self.is_relevant(page):
                del self._answers[key]

    # -- where we are -----------------------------------------------------------------
    @property
    def on_review(self) -> bool:
        return self._on_review

    @property
    def current_page(self) -> Page | None:
        return None if self._on_review else self.pages[self._index]

    @property
    def current(self) -> Question | None:
        """The question to show, or None on the review page."""
        page = self.current_page
        return None if page is None else page.question

    @property
    def step(self) -> tuple[int, int]:
        """(N, M) for "step N of M": M is fixed when the session starts and never moves.

        M counts every page that could be asked (all but the shared questions answered
        before the session began, which are fixed then too), whatever the answers: if
        it counted only the pages relevant to the answers so far, an answer that makes
        more questions relevant would make the total jump ("Step 22 of 39" becoming
        "Step 35 of 43"), and the resident could no longer trust it. A page that stops
        being relevant is passed over, so N may step forward by more than one; it never
        goes back unless the resident does, and the review is step M of M."""
        counted = [i for i in range(len(self.pages)) if not self._skipped(i)]
        total = max(len(counted), 1)
        if self._on_review or self._index not in counted:
            return (total, total)
        return (counted.index(self._index) + 1, total)

    def answer_for(self, question_id: str, scope: str | None = None) -> Answer:
        page = self.current_page
        scope = scope if scope is not None else (page.scope if page else SHARED)
        return self._answers.get((scope, question_id))

    def is_answered(self, question_id: str, scope: str) -> bool:
        return (scope, question_id) in self._answers

    def profile_answers(self) -> dict[str, Answer]:
        """The shared answers given so far, for the eligibility check and the next session."""
        return {qid: v for (scope, qid), v in self._answers.items() if scope == SHARED}

    # -- what the resident does ---------------------------------------------------------
    def answer(self, raw: object) -> Verdict:
        """Record an answer to the current question if it is acceptable."""
        page = self.current_page
        if page is None:
            raise RuntimeError("no question is current on the review page")
        verdict = self._judge(page, raw)
        if verdict.accepted:
            self._answers[(page.scope, page.question.id)] = verdict.value
            self._clear_irrelevant()
        return verdict

    def _judge(self, page: Page, raw: object) -> Verdict:
        """The answer's own checks, then its constraint against every current value."""
        verdict = check_answer(page.question, raw)
        if verdict.accepted and page.question.constraint is not None and verdict.value is not None:
            values = self.values(page.scope)
            values[page.question.id] = verdict.value
            if ex.evaluate(page.question.constraint, values, self.today) is not True:
                verdict = Verdict("invalid", reason="constraint")
        return verdict

    def flags(self) -> list[Flag]:
        """Every recorded answer that its question would refuse now, in page order.

        Constraints may name other answers; rather than track who depends on whom, every
        answer is judged again against today's values, so nothing can go stale."""
        found = []
        for page in self.pages:
            key = (page.scope, page.question.id)
            value = self._answers.get(key)
            if value is None or not self.is_relevant(page):
                continue
            verdict = self._judge(page, value)
            if not verdict.accepted:
                found.append(Flag(page.question, page.scope, verdict))
        return found

    def answer_unknown(self) -> Verdict:
        """ "I don't know" / "skip", where the question allows it."""
        page = self.current_page
        if page is None or not (page.question.allow_unknown or not page.question.required):
            return Verdict("invalid", reason="unknown_not_allowed")
        self._answers[(page.scope, page.question.id)] = None
        self._clear_irrelevant()
        return Verdict("accepted", None)

    def next(self) -> bool:
        """Go on if the current page is answered (or only informs); False means stay."""
        page = self.current_page
        if page is None:
            return False
        if page.question.type != "info" and (page.scope, page.question.id) not in self._answers:
            return False
        following = self._following(self._index)
        if self._return_to_review or following is None:
            returning, self._return_to_review = self._return_to_review, False
            if self.complete:
                self._on_review = True
                return True
            following = self._first_open()
            if following is None:
                self._on_review = True
                return True
            # Sent from review to fix a flagged answer: fixed, or backed out of, it is
            # back to the review page.
            self._return_to_review = returning and self._first_unanswered() is None
        self._index = following
        return True

    def _first_unanswered(self) -> int | None:
        for i, page in enumerate(self.pages):
            if self._skipped(i) or not self.is_relevant(page) or page.question.type == "info":
                continue
            if (page.scope, page.question.id) not in self._answers:
                return i
        return None

    def back(self) -> bool:
        """Go to the previous page; False on the first one (the caller leaves the form)."""
        if self._on_review:
            self._on_review = False
            last = self._preceding(len(self.pages))
            self._index = last if last is not None else 0
            return True
        if self._return_to_review:
            self._return_to_review = False
            self._on_review = True
            return True
        previous = self._preceding(self._index)
        if previous is None:
            return False
        self._index = previous
        return True

    def change(self, question_id: str, scope: str = SHARED) -> None:
        """From the review page, open one question; `next()` comes back to review."""
        for i, page in enumerate(self.pages):
            if page.question.id == question_id and page.scope == scope:
                self._index = i
                self._on_review = False
                self._return_to_review = True
                return
        raise KeyError(question_id)

    # -- the end --------------------------------------------------------------------------
    def review(self) -> list[ReviewLine]:
        """Every answer given, in page order (asked-before ones included)."""
        return [
            ReviewLine(p.question, p.scope, self._answers[(p.scope, p.question.id)])
            for p in self.pages
            if (p.scope, p.question.id) in self._answers and self.is_relevant(p)
        ]

    def _first_open(self) -> int | None:
        """The first page still to do: unanswered, else flagged."""
        missing = self._first_unanswered()
        if missing is not None:
            return missing
        flags = self.flags()
        return self.pages.index(Page(flags[0].question, flags[0].scope)) if flags else None

    @property
    def complete(self) -> bool:
        """Everything answered and every answer still acceptable: submission may go."""
        return self._first_unanswered() is None and not self.flags()

    def finalize(self) -> list[dict[str, Any]]:
        """One canonical payload per service, ready to be sealed; ValueError (InvalidAnswers
        for flagged ones) while anything is missing or no longer acceptable."""
        missing = self._first_unanswered()
        if missing is not None:
            raise ValueError(f"unanswered question: {self.pages[missing].question.id}")
        flags = self.flags()
        if flags:
            raise InvalidAnswers(flags)
        payloads = []
        for service in self.services:
            answers: dict[str, Answer] = {}
            unknown: list[str] = []
            for question in service.questions:
                page = Page(question, SHARED if question.shared else service.id)
                if question.type == "info" or not self.is_relevant(page):
                    continue
                value = self._answers.get(answer_key(service.id, question, self.aliases))
                answers[question.id] = value
                if value is None:
                    unknown.append(question.id)
            values = self.values(service.id)
            payloads.append({
                "format": PAYLOAD_FORMAT,
                "service": {"id": service.id, "version": service.version},
                "language": self.language,
                "answers": answers,
                "unknown": unknown,
                "calculated": {c.id: values[c.id] for c in service.calculations if c.in_payload},
                "visit_services": [s.id for s in self.services],
            })  # fmt: skip
        return payloads

    # -- pausing ------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """Where the resident is and what they answered, as plain JSON values: what a
        draft keeps (encrypted) so that the visit can go on later."""
        page = self.current_page
        return {
            "format": SNAPSHOT_FORMAT,
            "services": [s.id for s in self.services],
            "language": self.language,
            "answers": [[scope, qid, value] for (scope, qid), value in self._answers.items()],
            "asked_before": sorted(self._asked_before),
            "at": None if page is None else [page.scope, page.question.id],
        }

    @classmethod
    def resume(
        cls, snapshot: Mapping[str, Any], services: Sequence[Service], profile: Profile
    ) -> FormSession:
        """The session a snapshot was taken of, with today's definitions of its services.

        If a definition changed meanwhile, answers to questions it no longer asks are
        dropped, and the resident goes on at the first question still unanswered.
        ValueError if the snapshot is not one.
        """
        if not isinstance(snapshot, Mapping) or snapshot.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("not a session snapshot")
        session = cls(services, profile, str(snapshot.get("language", "ko")))
        asked = set(snapshot.get("asked_before", []))
        keys = {(p.scope, p.question.id) for p in session.pages}
        for scope, qid, value in snapshot.get("answers", []):
            if (scope, qid) in keys:
                session._answers[(scope, qid)] = value
        session._asked_before = {qid for qid in asked if (SHARED, qid) in session._answers}
        session._clear_irrelevant()
        at = snapshot.get("at")
        index = next(
            (i for i, p in enumerate(session.pages) if at == [p.scope, p.question.id]), None
        )
        if (
            index is None
            or session._skipped(index)
            or not session.is_relevant(session.pages[index])
        ):
            index = session._first_open()
        session._on_review = index is None
        session._index = 0 if index is None else index
        return session

    def clear(self) -> None:
        """Forget every answer: the kiosk calls this when the session ends."""
        self._answers.clear()
        self._asked_before.clear()
        self._index = 0
        self._on_review = False
        self._return_to_review = False
