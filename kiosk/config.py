"""The kiosk's configuration in one place: what the command line and the config file
give, what every visit starts from, and what an administrator saved on the device
(which wins over the file for the things it covers)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.speech.settings import SpeechSettings
from sync.device_settings import DeviceSettings
from sync.drafts import DEFAULT_TTL
from sync.paths import DataFolder

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CATALOG = ROOT / "resources" / "catalog" / "demo.ieumcat"
DEMO_CATALOG_KEY = ROOT / "resources" / "catalog" / "DEMO-ONLY-signing-key.pub"


@dataclass(frozen=True)
class Defaults:
    """What every visit starts from, and returns to when it ends."""

    language: str = "ko"
    text_size: str = "standard"
    dpi: float = 102.0
    contrast: str = "normal"
    idle_seconds: float = 120.0
    """How long a visit may sit untouched before the warning."""
    warning_seconds: float = 30.0
    """How long the warning shows before the visit is wiped (never under 20 s)."""
    low_position: bool = False
    """Every visit starts in the low-position layout (an administrator's choice for a
    kiosk mounted for wheelchair users)."""


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    platform_url: str
    """"" on a kiosk nobody has set up yet: it then takes no applications."""
    defaults: Defaults
    fullscreen: bool = False
    bundled_catalog: Path = BUNDLED_CATALOG
    catalog_key: Path = DEMO_CATALOG_KEY
    """The key the bundled catalog is signed with; installed ones need the platform's,
    pinned at enrollment."""
    sync_every_ms: int = 10_000
    enrollment_token: str = ""
    """One-time token from the platform's staff; used once, on the first sync."""
    ca_bundle: Path | None = None
    """CA certificates to trust for the platform, if not the system's."""
    speech: SpeechSettings | None = field(default_factory=SpeechSettings)
    """Reading the screens aloud (None: a kiosk without it, and no speech controls)."""
    draft_ttl: float = DEFAULT_TTL
    """How long a paused application is kept before it is wiped, in seconds."""
    runtime_dir: Path | None = None
    """A folder in memory for the session's spoken audio (systemd's RuntimeDirectory=,
    $IEUM_RUNTIME_DIR); None: under the data folder."""
    staff_desk: str = ""
    """The navigator's desk "Call staff" reaches ("host[:port]", sync.staffcall); "": none,
    residents are asked to go to the front desk."""

    @property
    def speech_folder(self) -> Path:
        """Where the session's audio goes: never the data disk when a runtime folder is
        given (it is deleted at the end of every session, but a power cut could keep it)."""
        return self.runtime_dir / "speech" if self.runtime_dir else self.data.speech

    @property
    def data(self) -> DataFolder:
        return DataFolder(self.data_dir)


def defaults_with(defaults: Defaults, settings: DeviceSettings) -> Defaults:
    """What each visit starts from, with the administrator's choices."""
    return dataclasses.replace(
        defaults,
        language=settings.language,
        text_size=settings.text_size,
        idle_seconds=settings.idle_seconds,
        dpi=settings.dpi or defaults.dpi,
        low_position=settings.low_position,
    )


def speech_with(speech: SpeechSettings, settings: DeviceSettings) -> SpeechSettings:
    return dataclasses.replace(speech, rate=settings.speech_rate, volume=settings.speech_volume)


def with_saved_settings(config: KioskConfig, saved: DeviceSettings | None) -> KioskConfig:
    """The configuration with what an administrator saved on this device (the config
    file and command line decide only what was never saved here)."""
    if saved is None:
        return config
    return dataclasses.replace(
        config,
        defaults=defaults_with(config.defaults, saved),
        speech=None if config.speech is None else speech_with(config.speech, saved),
        platform_url=saved.platform_url or config.platform_url,
        staff_desk=saved.staff_desk or config.staff_desk,
    )
