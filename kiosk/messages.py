"""Plain-language wording of the form engine's reasons, in the resident's language."""

from __future__ import annotations

from forms.answers import Answer, Verdict
from forms.definition import Question
from forms.text import pick
from kiosk.i18n import Words


def problem_text(words: Words, question: Question, verdict: Verdict) -> str:
    """What is wrong with the answer, and how to fix it, naming the question."""
    _ = words._
    asked = pick(question.label, words.code).text
    reason = verdict.reason
    if reason == "required":
        fix = _("Please answer this question to go on.")
    elif reason == "too_small":
        fix = _("Please enter {minimum} or more.").format(
            minimum=words.number(verdict.params["minimum"])
        )
    elif reason == "too_large":
        fix = _("Please enter {maximum} or less.").format(
            maximum=words.number(verdict.params["maximum"])
        )
    elif reason == "not_a_number":
        fix = _("Please enter a number using the number keys.")
    elif reason == "too_long":
        fix = _("Please make it shorter: at most {count} characters.").format(
            count=words.number(verdict.params["max_length"])
        )
    elif reason == "bad_characters":
        fix = _("Some characters cannot be used. Please type letters and numbers only.")
    else:
        fix = _("Please choose one of the answers shown.")
    return _("“{question}”: {fix}").format(question=asked, fix=fix)


def answer_text(words: Words, question: Question, answer: Answer) -> str:
    """An answer as the review page shows it."""
    _ = words._
    if question.type == "yes_no":
        return _("Yes") if answer else _("No")
    if question.type == "single_choice":
        for choice in question.choices:
            if choice.value == answer:
                return pick(choice.label, words.code).text
    if question.type == "number" and isinstance(answer, int):
        return words.number(answer)
    return str(answer)
