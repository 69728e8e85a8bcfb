"""Building the running kiosk: Qt application, catalog, backend, window, journey."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication

from forms.catalog import load_catalog
from forms.definition import Service
from kiosk.backend import Backend
from kiosk.i18n import check_catalogs
from kiosk.journey import Defaults, Journey
from kiosk.window import KioskWindow

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SERVICES = ROOT / "resources" / "services"
DEMO_SERVICE = "digital-device-access"


@dataclass(frozen=True)
class KioskConfig:
    data_dir: Path
    platform_url: str
    defaults: Defaults
    fullscreen: bool = False
    services_dir: Path = BUNDLED_SERVICES
    service_id: str = DEMO_SERVICE
    sync_every_ms: int = 10_000


def has_display() -> bool:
    """Whether Qt has somewhere to draw: a display server, or an explicit platform."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def load_service(config: KioskConfig) -> Service:
    catalog = load_catalog(config.services_dir)
    for problem in catalog.problems:
        log.warning("service definition left out: %s", problem)
    return catalog.service(config.service_id)


class Kiosk:
    """The assembled kiosk; tests build one the same way main.py does."""

    def __init__(self, config: KioskConfig) -> None:
        check_catalogs()
        self.config = config
        self.service = load_service(config)
        self.backend = Backend(config.data_dir, config.platform_url, config.sync_every_ms)
        self.window = KioskWindow()
        self.journey = Journey(self.window, self.service, self.backend, config.defaults)

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
