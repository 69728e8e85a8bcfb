"""What an administrator sets on one device, kept in its store and audited.

Each setting has a default and bounds; a value outside them is refused with a reason,
never stored half-valid. Saved settings apply from the next resident on (and at the
next start), so nobody's session changes under them. Every change goes into the audit
log with the administrator's id and what changed (settings are never personal data).
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass

from sync import audit
from sync.staffcall import desk_address
from sync.store import Store
from sync.trust import TrustError, check_platform_url, same_platform

LANGUAGES = ("ko", "en", "zh_Hans", "ja", "vi", "th", "mn", "ru")
TEXT_SIZES = ("standard", "large", "extra_large")
SPEECH_RATES = (0.7, 0.85, 1.0, 1.2)
SPEECH_VOLUMES = (0.4, 0.6, 0.8, 1.0)
IDLE_CHOICES = (60.0, 90.0, 120.0, 180.0, 300.0)
DPI_RANGE = (50.0, 400.0)
PDF_PRINTER = ""
"""No printer chosen: receipts go to PDF files in the data directory for staff."""

_KEY = "device_settings"


class BadSetting(ValueError):
    """A value an administrator gave that cannot be used; `field` says which."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class DeviceSettings:
    language: str = "ko"
    text_size: str = "standard"
    speech_rate: float = 1.0
    speech_volume: float = 0.8
    idle_seconds: float = 120.0
    printer: str = PDF_PRINTER
    platform_url: str = ""
    """Empty: the URL the kiosk was started with (its config file or command line)."""
    dpi: float = 0.0
    """0: the screen's own report; otherwise the physical DPI of a screen that misreports."""
    staff_desk: str = ""
    """The navigator's desk that "Call staff" reaches on the site's LAN ("host" or
    "host:port", sync.staffcall); empty: the kiosk asks residents to go to the front desk."""
    low_position: bool = False
    """Every control in the lower part of the screen, for residents using a wheelchair."""

    def check(self) -> None:
        """Raise BadSetting for the first value that cannot be used."""
        if self.language not in LANGUAGES:
            raise BadSetting("language", "not one of the kiosk's languages")
        if self.text_size not in TEXT_SIZES:
            raise BadSetting("text_size", "not a text size")
        if self.speech_rate not in SPEECH_RATES:
            raise BadSetting("speech_rate", "not one of the offered rates")
        if self.speech_volume not in SPEECH_VOLUMES:
            raise BadSetting("speech_volume", "not one of the offered volumes")
        if self.idle_seconds not in IDLE_CHOICES:
            raise BadSetting("idle_seconds", "not one of the offered times")
        if self.dpi and not DPI_RANGE[0] <= self.dpi <= DPI_RANGE[1]:
            raise BadSetting("dpi", "between 50 and 400, or 0 for the screen's own")
        if self.platform_url:
            try:
                check_platform_url(self.platform_url)
            except TrustError:
                raise BadSetting(
                    "platform_url", "an https:// address (http:// only on this machine)"
                ) from None
        if self.staff_desk:
            try:
                desk_address(self.staff_desk)
            except ValueError:
                raise BadSetting(
                    "staff_desk", "a host name or address, and :port if not the usual"
                ) from None
        if not isinstance(self.low_position, bool):
            raise BadSetting("low_position", "on or off")
        if len(self.printer) > 200:
            raise BadSetting("printer", "too long for a printer name")


def saved_settings(store: Store) -> DeviceSettings | None:
    """The saved settings, or None if an administrator never saved any (then the
    kiosk's config file and command line decide)."""
    return load_settings(store) if store.setting(_KEY) else None


def load_settings(store: Store) -> DeviceSettings:
    """The saved settings; defaults for anything missing or no longer valid."""
    raw = store.setting(_KEY)
    if not raw:
        return DeviceSettings()
    try:
        saved = json.loads(raw)
    except json.JSONDecodeError:
        return DeviceSettings()
    names = {f.name for f in dataclasses.fields(DeviceSettings)}
    settings = DeviceSettings()
    for name, value in saved.items() if isinstance(saved, dict) else ():
        if name not in names:
            continue
        candidate = dataclasses.replace(settings, **{name: value})
        try:
            candidate.check()
        except (BadSetting, TypeError):
            continue  # a value this version no longer accepts: its default instead
        settings = candidate
    return settings


def save_settings(
    store: Store, settings: DeviceSettings, administrator: str, now: float | None = None
) -> list[str]:
    """Check and save; return the names of what changed (audited with the old and new).

    Once enrolled, the platform address is the one enrolled at: pointing the kiosk
    elsewhere (even by an administrator) needs a new enrollment, since the sealing keys
    and the root key it trusts belong to that platform.
    """
    settings.check()
    from sync.enrollment import enrolled_platform_url  # the HTTP client: not at start

    enrolled = enrolled_platform_url(store)
    if enrolled and settings.platform_url and not same_platform(enrolled, settings.platform_url):
        raise BadSetting("platform_url", "another platform needs a new enrollment")
    before = load_settings(store)
    changed = {
        f.name: [getattr(before, f.name), getattr(settings, f.name)]
        for f in dataclasses.fields(DeviceSettings)
        if getattr(before, f.name) != getattr(settings, f.name)
    }
    if not changed:
        return []
    with store.transaction("save device settings") as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (_KEY, json.dumps(dataclasses.asdict(settings))),
        )
        audit.append(
            conn,
            "settings_changed",
            time.time() if now is None else now,
            navigator=administrator,
            details={"changed": changed},
        )
    return sorted(changed)
