"""Checking one answer against its question: accepted, required, or invalid with a reason.

Reasons are codes with parameters, not sentences: the kiosk words them in the
resident's language, and tests can assert on them. Nothing here ever raises on a
strange answer; the worst an answer can get is "invalid".
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from forms.definition import Question

Answer = str | int | float | bool | list[str] | None
"""None is "I don't know" or "skip": an answer, but no value."""

PATTERN_TIMEOUT = 0.05
"""Seconds a definition's pattern may take on one answer before it counts as no match."""


@dataclass(frozen=True)
class Verdict:
    """What the session thinks of an answer. `value` is the normalised answer when accepted."""

    status: str  # "accepted" | "required" | "invalid"
    value: Answer = None
    reason: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


REQUIRED = Verdict("required", reason="required")


def _accepted(value: Answer) -> Verdict:
    return Verdict("accepted", value)


def _invalid(reason: str, **params: Any) -> Verdict:
    return Verdict("invalid", reason=reason, params=params)


def _digits(raw: object, allowed: str = " -") -> str | None:
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch for ch in text if ch not in allowed)
    return text if text.isascii() and text.isdigit() else None


def _has_control(raw: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in raw)


def is_empty(raw: object) -> bool:
    return (
        raw is None
        or (isinstance(raw, str | list | tuple) and not raw)
        or (isinstance(raw, str) and not raw.strip())
    )


def check_answer(question: Question, raw: object) -> Verdict:
    """Judge a raw answer from the screen: a choice value, a list, a bool, digits, text."""
    if question.type == "info":
        return _accepted(None)
    if is_empty(raw):
        return REQUIRED if question.required else _accepted(None)
    checker = _CHECKS.get(question.type)
    if checker is None:
        return _invalid("unknown_type")
    try:
        return checker(question, raw)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return _invalid("not_understood")


def _single(q: Question, raw: object) -> Verdict:
    if isinstance(raw, str) and q.choice(raw):
        return _accepted(raw)
    return _invalid("not_a_choice")


def _multiple(q: Question, raw: object) -> Verdict:
    if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
        return _invalid("not_a_choice")
    if len(set(raw)) != len(raw) or not all(q.choice(v) for v in raw):
        return _invalid("not_a_choice")
    order = [c.value for c in q.choices]
    return _accepted(sorted(raw, key=order.index))


def _yes_no(q: Question, raw: object) -> Verdict:
    return _accepted(raw) if isinstance(raw, bool) else _invalid("not_yes_no")


def _consent(q: Question, raw: object) -> Verdict:
    if raw is True:
        return _accepted(True)
    if raw is False and not q.required:
        return _accepted(False)
    return _invalid("consent_needed")


def _number(q: Question, raw: object) -> Verdict:
    if isinstance(raw, bool):
        return _invalid("not_a_number")
    if isinstance(raw, int):
        number = raw
    else:
        digits = _digits(raw, allowed=" ,")
        if digits is None or len(digits) > 12:
            return _invalid("not_a_number")
        number = int(digits)
    if q.minimum is not None and number < q.minimum:
        return _invalid("too_small", minimum=q.minimum)
    if q.maximum is not None and number > q.maximum:
        return _invalid("too_large", maximum=q.maximum)
    return _accepted(number)


def _date(q: Question, raw: object) -> Verdict:
    if isinstance(raw, dict):
        raw = f"{raw.get('year', 0):04}-{raw.get('month', 0):02}-{raw.get('day', 0):02}"
    if not isinstance(raw, str) or len(raw) != 10:
        return _invalid("not_a_date")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return _invalid("not_a_date")
    if q.minimum is not None and day.year < q.minimum:
        return _invalid("too_early", minimum=int(q.minimum))
    if q.maximum is not None and day.year > q.maximum:
        return _invalid("too_late", maximum=int(q.maximum))
    return _accepted(day.isoformat())


def _phone(q: Question, raw: object) -> Verdict:
    digits = _digits(raw, allowed=" -()")
    if digits is None or not (9 <= len(digits) <= 11) or not digits.startswith("0"):
        return _invalid("not_a_phone")
    return _accepted(digits)


def resident_number_birth_date(digits: str) -> dt.date | None:
    """The birth date a resident registration number starts with, or None if impossible."""
    century = {"9": 1800, "0": 1800, "1": 1900, "2": 1900, "5": 1900, "6": 1900,
               "3": 2000, "4": 2000, "7": 2000, "8": 2000}.get(digits[6])  # fmt: skip
    if century is None:
        return None
    try:
        return dt.date(century + int(digits[:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None


def _resident_number(q: Question, raw: object) -> Verdict:
    digits = _digits(raw)
    if digits is None or len(digits) != 13 or resident_number_birth_date(digits) is None:
        return _invalid("not_a_resident_number")
    return _accepted(digits)


def _text(q: Question, raw: object) -> Verdict:
    if not isinstance(raw, str):
        return _invalid("not_text")
    if _has_control(raw.replace("\n", " ").replace("\t", " ")):
        return _invalid("bad_characters")
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(text) > q.max_length:
        return _invalid("too_long", max_length=q.max_length)
    if q.pattern is not None:
        import regex  # the first pattern check, not the kiosk's start

        try:
            matched = regex.fullmatch(q.pattern, text, timeout=PATTERN_TIMEOUT)
        except TimeoutError:
            matched = None
        if matched is None:
            return _invalid("pattern")
    return _accepted(text)


_CHECKS = {
    "single_choice": _single,
    "multiple_choice": _multiple,
    "yes_no": _yes_no,
    "records_consent": _yes_no,
    "consent": _consent,
    "number": _number,
    "date": _date,
    "phone": _phone,
    "resident_number": _resident_number,
    "short_text": _text,
}


def phone_text(digits: str) -> str:
    """A phone number grouped as Koreans write it: 02-123-4567 for Seoul's two-digit
    area code, 010-1234-5678 for a mobile, 031-123-4567 elsewhere; as given otherwise."""
    if not digits.isdigit() or not 9 <= len(digits) <= 11 or not digits.startswith("0"):
        return digits
    area = 2 if digits.startswith("02") else 3
    rest = digits[area:]
    if len(rest) not in (7, 8):
        return digits
    middle = len(rest) - 4
    return f"{digits[:area]}-{rest[:middle]}-{rest[middle:]}"


def masked(question: Question, value: Answer) -> str:
    """How a personal answer shows where it is not needed in clear."""
    text = "" if value is None else str(value)
    if question.type == "resident_number" and len(text) == 13:
        return f"{text[:6]}-{text[6]}******"
    if question.type == "phone" and len(text) >= 9:
        area = phone_text(text).split("-")[0]  # 02 for Seoul, not "02" and a digit
        return f"{area}-****-{text[-4:]}"
    return "•" * min(len(text), 8)
