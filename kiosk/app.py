"""Building the running kiosk: Qt application, catalog, backend, window, journey."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig, with_saved_settings
from kiosk.first_paint import when_painted
from kiosk.i18n import check_catalogs
from kiosk.operations import Device, Lane, StoreOp, StoreOwner
from kiosk.window import KioskWindow
from sync.device_settings import DeviceSettings, saved_settings
from sync.paths import DataFolder

if TYPE_CHECKING:
    # Imported where used: a kiosk started welcome-first loads them after the first paint.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from forms.catalog import Catalog
    from forms.package import SigningKey
    from kiosk.backend import Backend
    from kiosk.journey import Journey
    from kiosk.screens.welcome import WelcomeScreen
    from kiosk.speech.service import SpeechService
    from kiosk.speech.taps import StopOnInput
    from kiosk.staff.entrance import StaffEntrance
    from sync.damage import FullCheck
    from sync.runner import SyncReport

log = logging.getLogger(__name__)
FIRST_PAINT_LATEST_MS = 3000
"""Syncing and speech start after the first paint, or after this if none comes."""


def has_display() -> bool:
    """Whether Qt has somewhere to draw: a display server, or an explicit platform."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _pinned_key(data: DataFolder) -> list[SigningKey] | None:
    """The catalog signing keys pinned at enrollment, newest first (they rotate)."""
    from forms.package import PackageError, SigningKey
    from sync.enrollment import pinned_catalog_keys  # not at import: it brings HTTP

    texts = pinned_catalog_keys(data.store)
    try:
        return [SigningKey.from_text(text) for text in texts] or None
    except PackageError:
        log.error("the pinned catalog key is damaged; only the bundled catalog can be used")
        return None


def load_catalog(config: KioskConfig) -> Catalog:
    """The verified catalog; bad services are left out and logged, never shown. Disk
    and signature work: at start-up, or on the store's worker."""
    from forms.package import SigningKey, load_device_catalog

    bundled_key = SigningKey.from_text(config.catalog_key.read_text())
    loaded = load_device_catalog(
        config.data.catalog, config.bundled_catalog, bundled_key, _pinned_key(config.data)
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
    """What the sync does with a catalog package from the platform (on the sync worker):
    verify it against the pinned key and every file's hash, then swap it in; the last
    good one otherwise."""

    def install(package: bytes) -> str:
        from forms.package import PackageError, install_package

        key = _pinned_key(config.data)
        if key is None:
            raise PackageError("no catalog signing key was pinned at enrollment")
        return install_package(package, key, config.data.catalog).version

    return install


def _start_facts(device: Device) -> DeviceSettings | None:
    return saved_settings(device.store)


class Kiosk:
    """The assembled kiosk; tests build one the same way main.py does.

    `welcome_first` (main.py): the welcome screen is drawn before the rest of the kiosk
    is imported and built (catalog, journey, platform client, staff side); that happens
    just after the first paint, when the journey takes over the screen already shown.
    Qt delivers the next input only after that turn of the event loop, so no tap on the
    welcome screen finds it unconnected.
    """

    catalog: Catalog
    backend: Backend
    journey: Journey
    staff: StaffEntrance

    def __init__(self, config: KioskConfig, welcome_first: bool = False) -> None:
        check_catalogs()
        self.owner = StoreOwner(config.data)
        # Before the first screen, on the store's worker: what an administrator saved
        # here decides the language, sizes and platform the kiosk starts with.
        config = with_saved_settings(config, self.owner.wait(_start_facts))
        self.config = config
        self.window = KioskWindow()
        self.speech: SpeechService | None = None
        """Started just after the first screen is shown (start_speech): loading Qt
        Multimedia and the speech worker must not delay the welcome screen."""
        self._taps: StopOnInput | None = None
        self.store_check: FullCheck | None = None
        """The last full check of the store (None until it has run)."""
        self._anchor = QObject()
        """Parent of the kiosk's own operations: dropped at close."""
        self._welcome: WelcomeScreen | None = None
        self.assembled = False
        self.closed = False
        self.started = False
        """Everything is running: syncing, speech, keyboard, the store's check begun."""
        if not (welcome_first and config.platform_url):  # not set up: nothing to hurry
            self._assemble()

    def _assemble(self) -> None:
        """Everything past the welcome screen."""
        from kiosk.backend import Backend
        from kiosk.journey import Journey
        from kiosk.staff.entrance import StaffEntrance

        config = self.config
        self.catalog = self.owner.wait(lambda _device: load_catalog(config))
        self.backend = Backend(
            self.owner,
            config.platform_url,
            config.sync_every_ms,
            enrollment_token=config.enrollment_token,
            install_catalog=catalog_installer(config),
            ca_bundle=config.ca_bundle,
        )
        self.journey = Journey(
            self.window, self.catalog, self.backend, config.defaults,
            speech_offered=config.speech is not None,
        )  # fmt: skip
        self.staff = StaffEntrance(self.journey, config.draft_ttl)
        self._staff_calls(config.staff_desk)
        self.backend.synced.connect(self._synced)
        self.assembled = True

    def _show_welcome(self) -> WelcomeScreen:
        """The journey's welcome screen, drawn as the journey will draw it."""
        from kiosk.i18n import Words
        from kiosk.screens.welcome import WelcomeScreen
        from kiosk.theme import THEMES, Theme

        d = self.config.defaults
        theme = Theme(d.dpi, d.text_size, d.language, THEMES[d.contrast])
        words = Words(d.language)
        screen = WelcomeScreen(theme, words)
        self.window.set_low_position(d.low_position)  # as Journey.show_screen does
        self.window.show_page(screen, theme, words, None, None)
        return screen

    def _take_over(self) -> None:
        self._assemble()
        self.journey.start(shown=self._welcome)
        self._welcome = None

    def _staff_calls(self, desk: str) -> None:
        """Call staff reaches the desk set up for this kiosk, signed with its device key
        (read once here: the settings screen can change the desk later)."""
        from sync.auth import device_signing_key

        def identity(device: Device) -> tuple[str, Ed25519PrivateKey]:
            return device.store.device_id(), device_signing_key(device.secret)

        self.journey.bar.calls.set_identity(*self.owner.wait(identity), desk)

    def _synced(self, report: SyncReport) -> None:
        if report.catalog is None or not report.catalog.installed:
            return
        config = self.config

        def loaded(catalog: Catalog) -> None:
            self.catalog = catalog
            self.journey.offer_catalog(catalog)

        op = StoreOp(self._anchor, lambda _device: load_catalog(config), "catalog load")
        op.success(loaded).run(self.owner)

    def start(self) -> None:
        # The screen's size before the first screen is laid out: the bar's words, the
        # keyboard's height and the layouts of a 1280x720 kiosk are chosen for it (laid
        # out for 1920x1080 first, the window could be held wider than the screen).
        screen = self.window.screen()
        if self.config.fullscreen and screen is not None:
            self.window.resize(screen.geometry().size())
        else:
            self.window.resize(1920, 1080)
        if self.assembled:
            self.journey.start()
        else:
            self._welcome = self._show_welcome()
        if self.config.fullscreen:
            self.window.showFullScreen()
        else:
            self.window.show()
        when_painted(self.window, self._after_first_paint, at_latest_ms=FIRST_PAINT_LATEST_MS)

    def _after_first_paint(self) -> None:
        """What the welcome screen does not need, one piece per turn of the event loop
        so that a tap in between is answered at once."""
        steps: list[Callable[[], None]] = [
            lambda: self.backend.start(),  # the backend exists once taken over
            self.start_speech,
            self.window.load_keyboard,
            self.check_store,
        ]
        if not self.assembled:
            steps.insert(0, self._take_over)

        def next_step() -> None:
            if steps and not self.closed:
                steps.pop(0)()
                QTimer.singleShot(0, self._anchor, next_step)
            else:
                self.started = True

        next_step()

    def check_store(self) -> None:
        """The store's full check (integrity, every row readable, the audit chain) on the
        store's worker, after the first screen: seconds on a large store, never in the
        way. A problem is logged for staff and kept in `store_check`."""
        from sync.damage import full_check

        path = self.config.data.store

        def checked(found: FullCheck) -> None:
            self.store_check = found
            if found.ok:
                log.info("store checked in %.1f s: ok", found.seconds)
            else:
                log.error("store check found damage: %s", found.to_dict())

        op = StoreOp(self._anchor, lambda _device: full_check(path), "the store's full check")
        op.success(checked).run(self.owner, Lane.SYNC)  # never ahead of a resident's save

    def start_speech(self) -> None:
        """The speech service, once: after the first paint in a running kiosk (tests call
        it at once)."""
        settings = self.config.speech
        if settings is None or self.speech is not None:
            return
        from kiosk.speech.service import SpeechService
        from kiosk.speech.taps import StopOnInput

        self.speech = SpeechService(self.config.speech_folder, settings=settings)
        self._taps = StopOnInput(self.speech)  # any tap or key stops speech
        self.journey.speaking.attach(self.speech)

    def close(self) -> None:
        self.closed = True  # what was left to start after the first paint never starts
        if not self.assembled:  # closed before its first paint
            self.owner.close()
            self.window.close()
            return
        # A closed kiosk's idle watch must not fire later (its speech is gone by then).
        self.journey.idle.close()
        if self._taps is not None:
            self._taps.remove()
        if self.speech is not None:
            self.speech.close()
        self.backend.shutdown()
        self.owner.close()
        self.window.close()


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication(sys.argv[:1])
