"""What the journey asks to be spoken: typed parts, so personal values cannot slip through.

The caller composes already-translated text. Fixed wording is `Say` (cacheable, and
playable from a recorded pack through its message key); what the resident entered is
`Entered` (spoken, but its audio lives only for the session); personal values (resident
registration number, phone, anything the definition marks personal) are `Personal`:
the service replaces them with the caller's neutral phrase and never hands them to the
engine. As a second guard, a part that still looks like a resident number or a phone
number, clear or masked, makes the whole utterance refused (ACCESSIBILITY.md: "Masked or
personal entries ... are never spoken through the speaker").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forms.definition import Question


@dataclass(frozen=True)
class Say:
    """Fixed wording (a title, question, choice, help, error) in the shown language."""

    text: str
    key: str = ""
    """Message key (`kiosk.speech.keys`) naming a recorded prompt; "" if none can exist."""


@dataclass(frozen=True)
class Entered:
    """A non-personal value the resident gave, as shown (e.g. "3 people")."""

    text: str


@dataclass(frozen=True)
class Personal:
    """A personal value: never spoken. `neutral` (e.g. "your phone number, hidden") is
    said in its place, or nothing if it is empty."""

    value: object = field(default=None, repr=False, compare=False)
    neutral: str = ""
    neutral_key: str = ""

    def __str__(self) -> str:  # an f-string built from this never leaks the value
        return self.neutral

    def __format__(self, spec: str) -> str:
        return self.neutral


Part = Say | Entered | Personal


@dataclass(frozen=True)
class Utterance:
    """One thing to say, in order. Build with `utterance(...)`."""

    parts: tuple[Part, ...]

    def __bool__(self) -> bool:
        return any(part_text(p).strip() for p in self.parts)


def utterance(*parts: Part | str) -> Utterance:
    """Parts in order; a plain str is fixed wording without a message key."""
    return Utterance(tuple(Say(p) if isinstance(p, str) else p for p in parts))


def answer_part(question: Question, shown: str, neutral: str = "", neutral_key: str = "") -> Part:
    """The part for an answer as the review page shows it: personal questions give a
    `Personal` whatever `shown` holds (masked or not)."""
    if question.is_personal:
        return Personal(shown, neutral, neutral_key)
    return Entered(shown)


def part_text(part: Part) -> str:
    """The words a part contributes to speech: a personal part only its neutral phrase."""
    if isinstance(part, Personal):
        return part.neutral
    return part.text


def spoken(part: Part) -> Say | Entered | None:
    """What may reach the engine for a part: personal values become their neutral phrase."""
    if isinstance(part, Personal):
        return Say(part.neutral, part.neutral_key) if part.neutral.strip() else None
    return part if part.text.strip() else None


_SEPARATORS = r"[\s\-.–—]*"
_RESIDENT_NUMBER = re.compile(
    rf"(?<![\d*•])\d{{6}}{_SEPARATORS}[\d*•Xx]{{7}}(?![\d*•])"  # 900101-1234567 or -1******
)
_PHONE = re.compile(
    rf"(?<![\d*•])0\d{{1,2}}{_SEPARATORS}[\d*•Xx]{{3,4}}{_SEPARATORS}\d{{4}}(?![\d*•])"
)
_MASK = re.compile(r"[•●*]{3,}")


def looks_personal(text: str) -> bool:
    """Whether text holds something shaped like a resident number or phone number, in clear
    or masked (`forms.answers.masked`), or a run of mask dots."""
    return bool(_RESIDENT_NUMBER.search(text) or _PHONE.search(text) or _MASK.search(text))
