"""Service definitions: what a service is and which questions it asks.

A definition is a JSON document (see resources/services/). Loading never raises on bad
content without saying where: every problem is a `DefinitionProblem` with the file
and the JSON path, and all of them are collected before giving up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.languages import LANGUAGE_CODES

FORMAT = "ieum.service/1"
QUESTION_TYPES = ("single_choice", "yes_no", "number", "short_text")
MAX_TEXT = 2000
"""Longest label or help text a definition may carry, in characters."""

LocalText = Mapping[str, str]


@dataclass(frozen=True)
class Choice:
    value: str
    label: LocalText


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: LocalText
    help: LocalText = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 100
    personal: bool = False
    """Personal answers are masked where not needed in clear and never spoken aloud."""


@dataclass(frozen=True)
class Service:
    id: str
    version: str
    category: str
    title: LocalText
    summary: LocalText
    questions: tuple[Question, ...]
    illustrative: bool = False


@dataclass(frozen=True)
class DefinitionProblem:
    """One thing wrong in a definition, precise enough for an administrator to fix."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class DefinitionError(Exception):
    """A definition could not be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Reader:
    """Walks a parsed document, recording problems instead of raising on the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[DefinitionProblem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(DefinitionProblem(self.file, path, message))

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, f"must be an object, not {type(value).__name__}")
            return {}
        return value

    def string(self, obj: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = obj.get(key, default)
        if value is None:
            self.problem(f"{path}.{key}", "is required")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{path}.{key}", "must be a non-empty string")
            return ""
        if len(value) > MAX_TEXT:
            self.problem(f"{path}.{key}", f"is longer than {MAX_TEXT} characters")
            return ""
        return value

    def integer(self, obj: dict[str, Any], key: str, path: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{path}.{key}", "must be a whole number")
            return None
        return value

    def local_text(self, obj: dict[str, Any], key: str, path: str, required: bool) -> LocalText:
        value = obj.get(key)
        here = f"{path}.{key}"
        if value is None:
            if required:
                self.problem(here, "is required (text in each language)")
            return {}
        texts = self.obj(value, here)
        result: dict[str, str] = {}
        for lang, text in texts.items():
            if lang not in LANGUAGE_CODES:
                self.problem(f"{here}.{lang}", f"unknown language; use one of {LANGUAGE_CODES}")
            elif not isinstance(text, str) or not text.strip():
                self.problem(f"{here}.{lang}", "must be a non-empty string")
            elif len(text) > MAX_TEXT:
                self.problem(f"{here}.{lang}", f"is longer than {MAX_TEXT} characters")
            else:
                result[lang] = text
        if required and texts and not result:
            self.problem(here, "has no usable text in any language")
        return result


def _question(r: _Reader, raw: Any, path: str) -> Question | None:
    q = r.obj(raw, path)
    if not q:
        return None
    qid = r.string(q, "id", path)
    qtype = r.string(q, "type", path)
    if qtype and qtype not in QUESTION_TYPES:
        r.problem(f"{path}.type", f"unknown type {qtype!r}; use one of {QUESTION_TYPES}")
    choices: list[Choice] = []
    if qtype == "single_choice":
        raw_choices = q.get("choices")
        if not isinstance(raw_choices, list) or not raw_choices:
            r.problem(f"{path}.choices", "a choice question needs a non-empty list of choices")
        else:
            seen: set[str] = set()
            for i, raw_choice in enumerate(raw_choices):
                cpath = f"{path}.choices[{i}]"
                c = r.obj(raw_choice, cpath)
                value = r.string(c, "value", cpath)
                if value in seen:
                    r.problem(f"{cpath}.value", f"duplicate choice value {value!r}")
                seen.add(value)
                choices.append(Choice(value, r.local_text(c, "label", cpath, required=True)))
    minimum = r.integer(q, "min", path)
    maximum = r.integer(q, "max", path)
    if minimum is not None and maximum is not None and minimum > maximum:
        r.problem(f"{path}.min", f"min ({minimum}) is larger than max ({maximum})")
    max_length = r.integer(q, "max_length", path)
    personal = q.get("personal", False)
    if not isinstance(personal, bool):
        r.problem(f"{path}.personal", "must be true or false")
        personal = False
    return Question(
        id=qid,
        type=qtype,
        label=r.local_text(q, "label", path, required=True),
        help=r.local_text(q, "help", path, required=False),
        choices=tuple(choices),
        minimum=minimum,
        maximum=maximum,
        max_length=max_length if max_length and max_length > 0 else 100,
        personal=personal,
    )


def parse_service(document: Any, file: str = "<definition>") -> Service:
    """Build a Service from a parsed JSON document, or raise DefinitionError with every problem."""
    r = _Reader(file)
    d = r.obj(document, "$")
    if d and d.get("format") != FORMAT:
        r.problem("$.format", f"must be {FORMAT!r}")
    raw_questions = d.get("questions")
    questions: list[Question] = []
    if not isinstance(raw_questions, list) or not raw_questions:
        r.problem("$.questions", "must be a non-empty list")
    else:
        ids: set[str] = set()
        for i, raw in enumerate(raw_questions):
            question = _question(r, raw, f"$.questions[{i}]")
            if question is None:
                continue
            if question.id in ids:
                r.problem(f"$.questions[{i}].id", f"duplicate question id {question.id!r}")
            ids.add(question.id)
            questions.append(question)
    illustrative = d.get("illustrative", False)
    service = Service(
        id=r.string(d, "id", "$"),
        version=r.string(d, "version", "$"),
        category=r.string(d, "category", "$"),
        title=r.local_text(d, "title", "$", required=True),
        summary=r.local_text(d, "summary", "$", required=True),
        questions=tuple(questions),
        illustrative=illustrative is True,
    )
    if r.problems:
        raise DefinitionError(r.problems)
    return service


def load_service(path: Path) -> Service:
    """Read and parse one definition file; unreadable files become DefinitionError too."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DefinitionError(
            [DefinitionProblem(name, "$", f"cannot read: {exc.strerror}")]
        ) from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problem = DefinitionProblem(name, "$", f"not UTF-8 at byte {exc.start}")
        raise DefinitionError([problem]) from None
    except json.JSONDecodeError as exc:
        problem = DefinitionProblem(
            name, "$", f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
        raise DefinitionError([problem]) from None
    except RecursionError:
        raise DefinitionError([DefinitionProblem(name, "$", "nested too deeply")]) from None
    return parse_service(document, name)
