"""What a service is, as the rest of the program sees it once a definition has loaded.

The JSON format is described in forms/FORMAT.md and forms/schema/; forms/loader.py
turns files into these objects, or into DefinitionProblems that say exactly where.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LocalText = Mapping[str, str]

QUESTION_TYPES = (
    "single_choice", "multiple_choice", "yes_no", "short_text", "number", "date",
    "phone", "resident_number", "consent", "info", "records_consent",
)  # fmt: skip
ANSWERLESS = ("info",)
"""Pages that show something and ask nothing."""
PERSONAL_BY_TYPE = ("phone", "resident_number")
"""Types that are always personal: masked where not needed, never spoken aloud."""


@dataclass(frozen=True)
class Limit:
    """An amount from a table for the resident's row (household size), times a factor:
    half the median income for 2 people."""

    table: str
    times: float = 1.0


@dataclass(frozen=True)
class Table:
    """Amounts by the answer to a number question: `values[0]` for 1, `values[1]` for 2."""

    id: str
    by: str
    values: tuple[float, ...]

    def row(self, key: Any) -> float | None:
        """The amount for `key` (None: unanswered, or past the last row)."""
        if isinstance(key, bool) or not isinstance(key, int) or not 1 <= key <= len(self.values):
            return None
        return self.values[key - 1]


@dataclass(frozen=True)
class Choice:
    value: str
    label: LocalText
    speech: LocalText = field(default_factory=dict)
    up_to: Limit | None = None
    """The most this choice covers ("half of the median or less"), shown in won."""
    over: Limit | None = None
    """The amount this choice is above ("more than 1.5 times the median")."""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: LocalText
    help: LocalText = field(default_factory=dict)
    example: LocalText = field(default_factory=dict)
    speech: LocalText = field(default_factory=dict)
    required: bool = True
    allow_unknown: bool = False
    """Offer "I don't know": the answer is recorded as unknown, not left out."""
    personal: bool = False
    relevant: Any = None
    """Expression: show this question only when true (None: always)."""
    constraint: Any = None
    constraint_message: LocalText = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: LocalText = field(default_factory=dict)
    max_length: int = 100
    hint: str = "text"
    pattern: str | None = None
    shared: bool = False
    """Part of the resident's profile: asked once per visit, whatever the services."""
    shares: str = ""
    """A meaning from catalog.json (a phone number, consent to look records up, the
    agreement): one answer serves every chosen service whose question shares it."""

    @property
    def is_personal(self) -> bool:
        return self.personal or self.type in PERSONAL_BY_TYPE

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Calculation:
    id: str
    expression: Any
    in_payload: bool = False


@dataclass(frozen=True)
class EligibilityRule:
    """One condition of a service, with the plain-language reason either way.

    Reasons may name profile values in braces ("you are {age}"), filled in when shown.
    """

    id: str
    rule: Any
    met: LocalText
    unmet: LocalText
    maybe: LocalText = field(default_factory=dict)
    """Said when an answer the rule needs is missing ("I don't know"): what would
    decide it, not the unmet reason with a question mark."""
    firm: bool = False
    """Unmet means "not for you", never "close": an age range a 76-year-old will not
    come back into."""


@dataclass(frozen=True)
class Record:
    """A record the city can look up itself, with consent, instead of asking for paper."""

    id: str
    label: LocalText


@dataclass(frozen=True)
class Service:
    id: str
    version: str
    category: str
    title: LocalText
    summary: LocalText
    questions: tuple[Question, ...]
    """In order, shared questions included where the service places them."""
    help: LocalText = field(default_factory=dict)
    illustrative: bool = False
    life_events: tuple[str, ...] = ()
    short_title: LocalText = field(default_factory=dict)
    """Two or three words, for lines that name several services ("Used for: Youth rent ·
    Youth transport"): eight full titles made one answer's line a screenful."""
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    eligibility: tuple[EligibilityRule, ...] = ()
    records: tuple[Record, ...] = ()
    calculations: tuple[Calculation, ...] = ()

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def short(self) -> LocalText:
        """The short title, or the title where the catalog gives none."""
        return self.short_title or self.title


@dataclass(frozen=True)
class Profile:
    """The shared questions (and values calculated from them) every service may use."""

    questions: tuple[Question, ...] = ()
    calculations: tuple[Calculation, ...] = ()
    tables: tuple[Table, ...] = ()

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


@dataclass(frozen=True)
class Entry:
    """A category or a life event: a way to find services."""

    id: str
    title: LocalText
    icon: str = ""


@dataclass(frozen=True)
class Meaning:
    """A kind of question several services ask alike, declared once in catalog.json."""

    id: str
    type: str
    title: LocalText
    asked: LocalText = field(default_factory=dict)
    """The question's words when one page asks it for several services: "Which phone
    number can we call you on?", not the first service's "…when the device is ready"."""


@dataclass(frozen=True)
class DefinitionProblem:
    """One thing wrong in a definition, precise enough for an administrator to fix."""

    file: str
    path: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning" if self.warning else "error"
        return f"{self.file}: {self.path}: {kind}: {self.message}"


class DefinitionError(Exception):
    """A definition could not be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
