"""FormSession: the resident's way through one application, one question at a time.

The kiosk renders whatever the session says is current and turns taps into calls:
`answer()`, `next()`, `back()`, `change()` from the review page, `finalize()`.
Answers live in memory only, and `clear()` forgets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from forms.answers import Answer, Verdict, check_answer
from forms.definition import Question, Service

PAYLOAD_FORMAT = "ieum.application/1"


@dataclass(frozen=True)
class ReviewLine:
    question: Question
    answer: Answer


class FormSession:
    """Which question is current, which answers are accepted, and what comes next."""

    def __init__(self, service: Service, language: str) -> None:
        self.service = service
        self.language = language
        self._answers: dict[str, Answer] = {}
        self._index = 0
        self._on_review = False
        self._changing_from_review = False

    # -- where we are -------------------------------------------------------
    @property
    def questions(self) -> tuple[Question, ...]:
        return self.service.questions

    @property
    def on_review(self) -> bool:
        return self._on_review

    @property
    def current(self) -> Question | None:
        """The question to show, or None on the review page."""
        return None if self._on_review else self.questions[self._index]

    @property
    def step(self) -> tuple[int, int]:
        """(N, M) for "step N of M"; on the review page N is M."""
        total = len(self.questions)
        return (total, total) if self._on_review else (self._index + 1, total)

    def answer_for(self, question_id: str) -> Answer | None:
        return self._answers.get(question_id)

    # -- what the resident does ----------------------------------------------
    def answer(self, raw: object) -> Verdict:
        """Record an answer to the current question if it is acceptable."""
        question = self.current
        if question is None:
            raise RuntimeError("no question is current on the review page")
        verdict = check_answer(question, raw)
        if verdict.accepted:
            assert verdict.value is not None
            self._answers[question.id] = verdict.value
        return verdict

    def next(self) -> bool:
        """Go on if the current question has an accepted answer; False means stay."""
        question = self.current
        if question is None:
            return False
        if question.id not in self._answers:
            return False
        if self._changing_from_review or self._index == len(self.questions) - 1:
            self._on_review = True
            self._changing_from_review = False
        else:
            self._index += 1
        return True

    def back(self) -> bool:
        """Go to the previous page; False on the first question (the caller leaves the form)."""
        if self._on_review:
            self._on_review = False
            self._index = len(self.questions) - 1
            return True
        if self._changing_from_review:
            self._changing_from_review = False
            self._on_review = True
            return True
        if self._index == 0:
            return False
        self._index -= 1
        return True

    def change(self, question_id: str) -> None:
        """From the review page, open one question; `next()` comes back to review."""
        for i, question in enumerate(self.questions):
            if question.id == question_id:
                self._index = i
                self._on_review = False
                self._changing_from_review = True
                return
        raise KeyError(question_id)

    def review(self) -> list[ReviewLine]:
        return [ReviewLine(q, self._answers[q.id]) for q in self.questions if q.id in self._answers]

    @property
    def complete(self) -> bool:
        return all(q.id in self._answers for q in self.questions)

    def finalize(self) -> dict[str, Any]:
        """The canonical payload of this application, ready to be sealed."""
        if not self.complete:
            missing = [q.id for q in self.questions if q.id not in self._answers]
            raise ValueError(f"unanswered questions: {', '.join(missing)}")
        return {
            "format": PAYLOAD_FORMAT,
            "service": {"id": self.service.id, "version": self.service.version},
            "language": self.language,
            "answers": {q.id: self._answers[q.id] for q in self.questions},
        }

    def clear(self) -> None:
        """Forget every answer: the kiosk calls this when the session ends."""
        self._answers.clear()
        self._index = 0
        self._on_review = False
        self._changing_from_review = False
