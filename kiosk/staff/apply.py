"""An administrator's saved settings, put into effect: at start, and from the next
resident on after a change (never in the middle of someone's visit: a session's language,
size and speech rate are only reset to these at its end)."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from kiosk.journey import Defaults, Journey
from kiosk.speech.service import SpeechSettings
from sync.device_settings import DeviceSettings, saved_settings
from sync.store import Store, StoreError

if TYPE_CHECKING:
    from kiosk.app import KioskConfig

log = logging.getLogger(__name__)


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


def with_saved_settings(config: KioskConfig) -> KioskConfig:
    """The kiosk's configuration with what an administrator saved on this device (the
    config file and command line decide only what was never saved here)."""
    path = config.data_dir / "ieum.db"
    if not path.exists():
        return config
    try:
        store = Store(path, check=False)
    except StoreError as problem:  # the backend opens it properly and reports it
        log.warning("settings not read: %s", problem)
        return config
    try:
        saved = saved_settings(store)
    finally:
        store.close()
    if saved is None:
        return config
    return dataclasses.replace(
        config,
        defaults=defaults_with(config.defaults, saved),
        speech=None if config.speech is None else speech_with(config.speech, saved),
        platform_url=saved.platform_url or config.platform_url,
    )
