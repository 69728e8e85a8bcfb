"""Everything of one resident's visit, in one object that the journey owns and drops.

Ending a visit replaces this object with a fresh one: nothing of the last resident —
answers, choices, language, text size, the navigator's help, a pending look-up — can
survive in a field somebody forgot to reset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from forms.answers import Answer
from forms.session import FormSession
from kiosk.config import Defaults
from sync.submission import Assistance


class Purpose(StrEnum):
    """Why the resident came."""

    APPLY = "apply"
    STATUS = "status"
    """To look at an application made before."""


class Mode(StrEnum):
    """Which form session the questions belong to."""

    CHECK = "check"
    """The eligibility quick check."""
    APPLY = "apply"


@dataclass(eq=False)
class Visit:
    language: str
    text_size: str
    contrast: str
    purpose: Purpose = Purpose.APPLY
    mode: Mode = Mode.APPLY
    picked: list[str] = field(default_factory=list)
    """The services chosen to apply for."""
    profile_answers: dict[str, Answer] = field(default_factory=dict)
    """The quick check's answers, asked once and known to the applications."""
    check: FormSession | None = None
    session: FormSession | None = None
    assistance: Assistance | None = None
    """Set while a navigator helps, with the resident's consent."""
    status_reference: str | None = None
    """The reference being looked up, while the resident waits for the answer."""
    speech_on: bool = False
    """The resident asked for the screens to be read aloud (until the visit ends)."""
    told: set[tuple[str, str]] = field(default_factory=set)
    """(language, kind) of the "not available" notices shown in this visit."""
    after_setup: Callable[[], None] | None = None
    """Where the language and text-size screens lead (a detour from the bar, or an
    assisted visit's consent); None: on to the services."""
    review_open: set[str] = field(default_factory=set)
    """The services whose folded answers the resident opened on the review, kept open
    when they come back from changing one."""
    low_position: bool = False
    """Every control in the lower part of the screen (for a wheelchair user), from
    Help or the kiosk's settings; until the visit ends."""

    @classmethod
    def starting(cls, defaults: Defaults) -> Visit:
        return cls(
            defaults.language,
            defaults.text_size,
            defaults.contrast,
            low_position=defaults.low_position,
        )

    @property
    def active(self) -> FormSession | None:
        """The form session the current questions belong to."""
        return self.check if self.mode == Mode.CHECK else self.session

    @property
    def in_progress(self) -> bool:
        """Whether the resident has given anything that Start over would clear."""
        return bool(self.session or self.check or self.picked or self.profile_answers)

    def forget_answers(self) -> None:
        """The answers are saved (or in a draft) and needed no more: clear them, keep the
        language and size the resident still reads the receipt in."""
        for session in (self.check, self.session):
            if session is not None:
                session.clear()
        self.check = self.session = None
        self.profile_answers = {}
        self.picked = []
        self.mode = Mode.APPLY
        self.purpose = Purpose.APPLY
        self.status_reference = None
