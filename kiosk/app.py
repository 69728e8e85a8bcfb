"""Building the running kiosk: Qt application, catalog, backend, window, journey."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

from forms.catalog import Catalog
from forms.package import SigningKey, load_device_catalog
from kiosk.backend import Backend
from kiosk.i18n import check_catalogs
from kiosk.journey import Defaults, Journey
from kiosk.window import KioskWindow

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
    """The pinned catalog signing key (the platform's, once enrolled)."""
    sync_every_ms: int = 10_000


def has_display() -> bool:
    """Whether Qt has somewhere to draw: a display server, or an explicit platform."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def load_catalog(config: KioskConfig) -> Catalog:
    """The verified catalog; bad services are left out and logged, never shown."""
    key = SigningKey.from_text(config.catalog_key.read_text())
    loaded = load_device_catalog(config.data_dir / "catalog", config.bundled_catalog, key)
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


class Kiosk:
    """The assembled kiosk; tests build one the same way main.py does."""

    def __init__(self, config: KioskConfig) -> None:
        check_catalogs()
        self.config = config
        self.catalog = load_catalog(config)
        self.backend = Backend(config.data_dir, config.platform_url, config.sync_every_ms)
        self.window = KioskWindow()
        self.journey = Journey(self.window, self.catalog, self.backend, config.defaults)

    def start(self) -> None:
        self.journey.start()
        self.window.resize(1920, 1080)
        if self.config.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()
        self.backend.start()

    def close(self) -> None:
        self.backend.shutdown()
        self.window.close()


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(sys.argv[:1])
