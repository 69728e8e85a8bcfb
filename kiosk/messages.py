"""Plain-language wording of the form engine's reasons and answers, in the resident's language."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from forms.answers import Answer, Verdict, masked, phone_text
from forms.definition import Question
from kiosk.i18n import Words


def problem_text(words: Words, question: Question, verdict: Verdict) -> str:
    """What is wrong with the answer, and how to fix it, naming the question: what is
    said aloud (a listener needs to hear which question it is about)."""
    _ = words._
    fix = fix_text(words, question, verdict)
    return _("“{question}”: {fix}").format(question=words.text(question.label), fix=fix)


def fix_text(words: Words, question: Question, verdict: Verdict) -> str:
    """How to fix the answer, without the question: what the page shows right under the
    question's title (repeating the whole question there would, at the largest text,
    push the number pad or the choices out of view)."""
    _ = words._
    reason, params = verdict.reason, verdict.params
    if reason == "consent_needed" or (reason == "required" and question.type == "consent"):
        fix = _("To apply, please tap “I agree”.")
    elif reason == "required":
        fix = _("Please answer this question to go on.")
    elif reason == "too_small":
        fix = _("Please enter {minimum} or more.").format(minimum=words.number(params["minimum"]))
    elif reason == "too_large":
        fix = _("Please enter {maximum} or less.").format(maximum=words.number(params["maximum"]))
    elif reason == "not_a_number":
        fix = _("Please enter a number using the number keys.")
    elif reason == "too_long":
        fix = _("Please make it shorter: at most {count} characters.").format(
            count=words.number(params["max_length"])
        )
    elif reason == "bad_characters":
        fix = _("Some characters cannot be used. Please type letters and numbers only.")
    elif reason == "not_a_date":
        fix = _("Please enter a real date: year, month and day.")
    elif reason == "too_early":
        fix = _("Please enter a year from {year} on.").format(year=params["minimum"])
    elif reason == "too_late":
        fix = _("Please enter a year up to {year}.").format(year=params["maximum"])
    elif reason == "not_a_phone":
        fix = _("Please enter the whole phone number, starting with 0.")
    elif reason == "not_a_resident_number":
        fix = _("Please enter all 13 digits of the resident registration number.")
    elif reason == "pattern":
        fix = (
            words.text(question.constraint_message)
            or words.text(question.example)
            or _("Please check the format of your answer.")
        )
    elif reason == "constraint" and question.constraint_message:
        fix = words.text(question.constraint_message)
    elif reason in ("not_a_choice", "not_yes_no"):
        fix = _("Please choose one of the answers shown.")
    else:
        fix = _("Please check your answer.")
    return fix


def answer_text(words: Words, question: Question, answer: Answer, in_clear: bool = False) -> str:
    """An answer as the review page shows it; personal ones masked unless `in_clear`."""
    _ = words._
    if answer is None:
        return _("I don't know") if question.allow_unknown else _("Skipped")
    if question.is_personal and not in_clear:
        return masked(question, answer)
    if question.type in ("yes_no", "consent", "records_consent"):
        return _("Yes") if answer else _("No")
    if question.type in ("single_choice", "multiple_choice"):
        values = answer if isinstance(answer, list) else [answer]
        labels = []
        for value in values:
            choice = question.choice(str(value))
            labels.append(words.text(choice.label) if choice else str(value))
        return ", ".join(labels)
    if question.type == "number" and question.hint == "year":
        return str(answer)  # 1950, never "1,950"
    if question.type == "number" and isinstance(answer, int | float):
        unit = words.text(question.unit) if question.unit else ""
        return f"{words.number(answer)} {unit}".strip()
    if question.type == "date" and isinstance(answer, str):
        return format_date(dt.date.fromisoformat(answer), format="long", locale=words.locale)
    if question.type == "phone" and isinstance(answer, str):
        return phone_text(answer)  # 010-1234-5678, as the resident knows their number
    return str(answer)
