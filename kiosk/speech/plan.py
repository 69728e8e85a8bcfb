"""From an utterance to what the player needs: recordings to play and texts to synthesise.

Qt-free and engine-free, so the rules (personal values never reach the engine, a
recording beats synthesis, no wrong voice for a language without one) are checked here
once and tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.speech.packs import Packs
from kiosk.speech.utterance import Entered, Say, Utterance, looks_personal, spoken
from kiosk.speech.voices import (
    NO_VOICE,
    NOTHING_TO_SAY,
    PACK_INCOMPLETE,
    PERSONAL_REFUSED,
    Availability,
)


@dataclass(frozen=True)
class Recording:
    path: Path


@dataclass(frozen=True)
class Synthesis:
    text: str
    session: bool
    """Holds something the resident entered: its audio is kept only for the session."""


Segment = Recording | Synthesis


def plan(
    what: Utterance, language: str, can_synthesize: bool, packs: Packs
) -> list[Segment] | Availability:
    """The segments to play in order, or why this utterance cannot be spoken."""
    parts = [p for p in (spoken(part) for part in what.parts) if p is not None]
    if any(looks_personal(p.text) for p in parts):
        return Availability(False, PERSONAL_REFUSED)
    segments: list[Segment] = []
    missing: list[str] = []
    for part in parts:
        recording = packs.recording(language, part.key) if isinstance(part, Say) else None
        if recording is not None:
            segments.append(Recording(recording))
            continue
        if not can_synthesize:
            missing.append(part.key if isinstance(part, Say) else "")
            continue
        session = isinstance(part, Entered)
        last = segments[-1] if segments else None
        if isinstance(last, Synthesis) and last.session == session:
            segments[-1] = Synthesis(f"{last.text} {part.text.strip()}", session)
        else:
            segments.append(Synthesis(part.text.strip(), session))
    if missing:
        reason = PACK_INCOMPLETE if packs.has_pack(language) else NO_VOICE
        return Availability(False, reason, missing=tuple(k for k in missing if k))
    if not segments:
        return Availability(False, NOTHING_TO_SAY)
    return segments
