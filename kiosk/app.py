"""Building the running kiosk: Qt application, catalog, backend, window, journey."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QApplication

from forms.catalog import Catalog
from forms.package import PackageError, SigningKey, install_package, load_device_catalog
from kiosk.backend import Backend
from kiosk.i18n import check_catalogs
from kiosk.journey import Defaults, Journey
from kiosk.speech.service import SpeechService, SpeechSettings
from kiosk.speech.taps import StopOnInput
from kiosk.staff.apply import with_saved_settings
from kiosk.staff.entrance import StaffEntrance
from kiosk.window import KioskWindow
from sync.drafts import DEFAULT_TTL
from sync.enrollment import pinned_catalog_key
from sync.runner import SyncReport

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CATALOG = ROOT / "resources" / "catalog" / "demo.ieumcat"
DEMO_CATALOG_KEY = ROOT / "resources" / "catalog" / "DEMO-ONLY-signing-key.pub"


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    platform_url: str
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
    """Memory-backed folder for the session's spoken audio (the service's /run/ieum);
    None: the data folder."""


def has_display() -> bool:
    """Whether Qt has somewhere to draw: a display server, or an explicit platform."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _pinned_key(config: KioskConfig) -> SigningKey | None:
    text = pinned_catalog_key(config.data_dir / "ieum.db")
    try:
        return SigningKey.from_text(text) if text else None
    except PackageError:
        log.error("the pinned catalog key is damaged; only the bundled catalog can be used")
        return None


def load_catalog(config: KioskConfig) -> Catalog:
    """The verified catalog; bad services are left out and logged, never shown."""
    bundled_key = SigningKey.from_text(config.catalog_key.read_text())
    loaded = load_device_catalog(
        config.data_dir / "catalog", config.bundled_catalog, bundled_key, _pinned_key(config)
    )
    if loaded.refused:
        log.error("%s; using the bundled catalog", loaded.refused)
    for problem in loaded.catalog.problems:
        log.warning("catalog: %s", problem)
    log.info(
        "catalog %s (%s): %d services",
        loaded.catalog.version,
        loaded.source,
        len(loaded.catalog.services),
    )
    return loaded.catalog


def catalog_installer(config: KioskConfig) -> Callable[[bytes], str]:
    """What the sync does with a catalog package from the platform: verify it against
    the pinned key and every file's hash, then swap it in; the last good one otherwise."""

    def install(package: bytes) -> str:
        key = _pinned_key(config)
        if key is None:
            raise PackageError("no catalog signing key was pinned at enrollment")
        return install_package(package, key, config.data_dir / "catalog").version

    return install


class Kiosk:
    """The assembled kiosk; tests build one the same way main.py does."""

    def __init__(self, config: KioskConfig) -> None:
        check_catalogs()
        config = with_saved_settings(config)
        self.config = config
        self.catalog = load_catalog(config)
        self.backend = Backend(
            config.data_dir,
            config.platform_url,
            config.sync_every_ms,
            enrollment_token=config.enrollment_token,
            install_catalog=catalog_installer(config),
            ca_bundle=config.ca_bundle,
            draft_ttl=config.draft_ttl,
        )
        self.window = KioskWindow()
        self.speech: SpeechService | None = None
        self._taps: StopOnInput | None = None
        if config.speech is not None:
            spoken = (config.runtime_dir or config.data_dir) / "speech"
            self.speech = SpeechService(spoken, settings=config.speech)
            self._taps = StopOnInput(self.speech)  # any tap or key stops speech
        self.journey = Journey(
            self.window, self.catalog, self.backend, config.defaults, self.speech
        )
        self.staff = StaffEntrance(self.journey, self.backend)
        self.backend.synced.connect(self._synced)

    def _synced(self, report: SyncReport) -> None:
        if report.catalog.startswith("installed"):
            self.catalog = load_catalog(self.config)
            self.journey.offer_catalog(self.catalog)

    def start(self) -> None:
        self.journey.start()
        self.window.resize(1920, 1080)
        if self.config.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()
        self.backend.start()

    def close(self) -> None:
        # A closed kiosk's idle watch must not fire later (its speech is gone by then).
        self.journey.idle.disarm()
        if self._taps is not None:
            self._taps.remove()
        if self.speech is not None:
            self.speech.close()
        self.backend.shutdown()
        self.window.close()


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(sys.argv[:1])
