"""An administrator's saved settings, put into effect from the next resident on (never
in the middle of someone's visit: a visit's language, size and speech rate are only
reset to these at its end). At start, kiosk.config applies them to the configuration."""

from __future__ import annotations

from kiosk.config import defaults_with, speech_with
from kiosk.journey import Journey
from sync.device_settings import DeviceSettings


def apply_to_journey(journey: Journey, settings: DeviceSettings) -> None:
    """From the next visit on: the journey returns to its defaults when a visit ends,
    and the speech service to its settings' rate and volume."""
    journey.defaults = defaults_with(journey.defaults, settings)
    journey.idle.idle_seconds = journey.defaults.idle_seconds
    journey.bar.calls.set_desk(settings.staff_desk)
    if journey.speech is not None:
        journey.speech.settings = speech_with(journey.speech.settings, settings)
