"""A pattern error says what the author wrote in `constraint_message` (issue 19), not
the example, which only shows one valid answer and does not say what is wrong."""

from __future__ import annotations

from forms.answers import check_answer
from forms.definition import Question
from kiosk.i18n import Words
from kiosk.messages import problem_text


def test_a_pattern_error_shows_the_constraint_message_else_the_example() -> None:
    question = Question(
        id="car_number", type="short_text", label={"en": "Car number"},
        pattern=r"\d{2,3}[가-힣]\d{4}",
        example={"en": "For example: 12가3456"},
        constraint_message={"en": "Two or three digits, one Korean letter, four digits."},
    )  # fmt: skip
    verdict = check_answer(question, "ABC")
    assert verdict.reason == "pattern"
    words = Words("en")
    assert problem_text(words, question, verdict) == (
        "“Car number”: Two or three digits, one Korean letter, four digits."
    )
    bare = Question(
        id="car_number", type="short_text", label={"en": "Car number"}, pattern=r"\d+",
        example={"en": "For example: 12가3456"},
    )  # fmt: skip
    assert problem_text(words, bare, verdict) == "“Car number”: For example: 12가3456"
