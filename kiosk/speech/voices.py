"""Which languages can be spoken, and why not when they cannot.

The voice table is forms.languages (`espeak_voice`: None where no acceptable voice
exists: Thai, Mongolian). Reasons are codes, not sentences: the kiosk words the notice
("spoken guidance is not available in Thai — please ask staff") in the resident's
language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forms.languages import is_language, language

UNKNOWN_LANGUAGE = "unknown_language"
NO_VOICE = "no_voice"
"""No acceptable voice and no recorded pack for this language."""
NO_ENGINE = "no_engine"
"""libespeak-ng is missing: nothing can be synthesised (packs still play)."""
ENGINE_FAILED = "engine_failed"
"""The speech worker kept crashing or hanging; it is retried at the next session."""
NO_AUDIO_OUTPUT = "no_audio_output"
"""The system reports no audio output device."""
PACK_INCOMPLETE = "pack_incomplete"
"""Only recordings can speak this language, and some part of the utterance has none."""
PERSONAL_REFUSED = "personal_refused"
"""Some part looked like a resident number or phone number: nothing was said."""
NOTHING_TO_SAY = "nothing_to_say"


@dataclass(frozen=True)
class Availability:
    ok: bool
    reason: str = ""
    source: str = ""
    """"voice", "pack" (recordings only) or "approximate" (an administrator's opt-in)."""
    missing: tuple[str, ...] = ()
    """Message keys without a recording, for PACK_INCOMPLETE."""

    @property
    def approximate(self) -> bool:
        """A voice for another language standing in: label it as such on screen."""
        return self.source == "approximate"


def voice_for(code: str, approximate: Mapping[str, str] | None = None) -> tuple[str | None, bool]:
    """(espeak-ng voice, is it an approximation) for a language; (None, False) if none."""
    if not is_language(code):
        return None, False
    voice = language(code).espeak_voice
    if voice:
        return voice, False
    if approximate and code in approximate:
        return approximate[code], True
    return None, False
