"""How the kiosk speaks, as configured: plain data, so that the configuration can be
built without loading the speech service (Qt Multimedia) at start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.speech.prepare import PRELOADABLE

SPEECH_CONTROL = "speech_control"
"""Set to True on a widget (or a parent of it) whose presses must not stop speech (the
widget property that kiosk.speech.taps looks for)."""

RATE_SLOWEST = 0.7
RATE_SLOW = 0.85
RATE_NORMAL = 1.0
RATE_FAST = 1.2
"""Speaking rates the journey can offer, as factors of `SpeechSettings.base_wpm`."""


@dataclass(frozen=True)
class SpeechSettings:
    rate: float = RATE_NORMAL
    """Default rate, restored by `reset()` at the end of every session."""
    volume: float = 0.8
    """Default volume (0..1, perceptual), restored by `reset()`."""
    base_wpm: int = 150
    """Words per minute at rate 1.0: below espeak-ng's 175, for older residents."""
    approximate_voices: Mapping[str, str] = field(default_factory=dict)
    """An administrator's opt-in: language -> a voice of another language standing in for
    it (e.g. {"mn": "ru"}). Reported as source "approximate" so the kiosk can label it."""
    request_timeout_s: float = 4.0
    start_timeout_s: float = 15.0
    preload: tuple[str, ...] = PRELOADABLE
    """Languages prepared ahead at start (Japanese ~120 MB, Chinese ~60 MB in the worker);
    the others load on their first utterance, which then takes most of a second longer."""
