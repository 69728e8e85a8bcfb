"""An administrator's saved settings, put into effect: at start, and from the next
resident on after a change (never in the middle of someone's visit: a session's language,
size and speech rate are only reset to these at its end)."""

from __future__ import annotations

import dataclasses

from kiosk.journey import Defaults, Journey
from kiosk.speech.service import SpeechSettings
from sync.device_settings import DeviceSettings


def defaults_with(defaults: Defaults, settings: DeviceSettings) -> Defaults:
    """What each session starts from, with the administrator's choices."""
    return dataclasses.replace(
        defaults,
        language=settings.language,
        text_size=settings.text_size,
        idle_seconds=settings.idle_seconds,
        dpi=settings.dpi or defaults.dpi,
    )


def speech_with(speech: SpeechSettings, settings: DeviceSettings) -> SpeechSettings:
    return dataclasses.replace(speech, rate=settings.speech_rate, volume=settings.speech_volume)


def apply_to_journey(journey: Journey, settings: DeviceSettings) -> None:
    """From the next session on: the journey returns to its defaults when a session ends,
    and the speech service to its settings' rate and volume."""
    journey.defaults = defaults_with(journey.defaults, settings)
    journey.idle.idle_seconds = journey.defaults.idle_seconds
    if journey.speech is not None:
        journey.speech.settings = speech_with(journey.speech.settings, settings)
