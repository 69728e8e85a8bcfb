"""Checking one answer against its question: accepted, required, or invalid with a reason.

Reasons are codes with parameters, not sentences: the kiosk words them in the
resident's language, and tests can assert on them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from forms.definition import Question

Answer = str | int | bool


@dataclass(frozen=True)
class Verdict:
    """What the session thinks of an answer. `value` is the normalised answer when accepted."""

    status: str  # "accepted" | "required" | "invalid"
    value: Answer | None = None
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def _accepted(value: Answer) -> Verdict:
    return Verdict("accepted", value)


REQUIRED = Verdict("required", reason="required")


def _invalid(reason: str, **params: Any) -> Verdict:
    return Verdict("invalid", reason=reason, params=params)


def _clean_text(raw: str) -> str:
    """Normalise to NFC and fold runs of white space; control characters are refused earlier."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


def _has_control(raw: str) -> bool:
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in raw if ch not in "\t\n"
    )


def check_answer(question: Question, raw: object) -> Verdict:
    """Judge a raw answer from the screen (a choice value, a bool, digits or text)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return REQUIRED
    if question.type == "single_choice":
        values = {c.value for c in question.choices}
        if isinstance(raw, str) and raw in values:
            return _accepted(raw)
        return _invalid("not_a_choice")
    if question.type == "yes_no":
        if isinstance(raw, bool):
            return _accepted(raw)
        return _invalid("not_yes_no")
    if question.type == "number":
        return _check_number(question, raw)
    if question.type == "short_text":
        if not isinstance(raw, str):
            return _invalid("not_text")
        if _has_control(raw):
            return _invalid("bad_characters")
        text = _clean_text(raw)
        if len(text) > question.max_length:
            return _invalid("too_long", max_length=question.max_length)
        return _accepted(text)
    return _invalid("unknown_type")


def _check_number(question: Question, raw: object) -> Verdict:
    if isinstance(raw, bool):
        return _invalid("not_a_number")
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str):
        digits = unicodedata.normalize("NFKC", raw.strip())
        if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
            return _invalid("not_a_number")
        number = int(digits)
    else:
        return _invalid("not_a_number")
    if question.minimum is not None and number < question.minimum:
        return _invalid("too_small", minimum=question.minimum)
    if question.maximum is not None and number > question.maximum:
        return _invalid("too_large", maximum=question.maximum)
    return _accepted(number)
