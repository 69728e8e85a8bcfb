"""The screenshot tour, and the navigator's desk, walked as a screen reader sees them.

Every stop of `tools.tour` (with the on-screen keyboard under text questions when the
application was started with it), then the staff screens: the kiosk's staff sign-in, menu,
resume and drafts, and the desk's sign-in, dashboard, audit log and settings. On each,
`tools.a11y_walk` lists the controls a resident or navigator can act on; those without a
name, or whose name starts with a drawn symbol, are findings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.speech.settings import SpeechSettings
from kiosk.staff.audit_view import AuditScreen
from kiosk.staff.dashboard import DashboardScreen
from kiosk.staff.desk import StaffDesk
from kiosk.staff.screens import DraftsScreen, ResumeScreen, StaffMenuScreen
from kiosk.staff.settings import SettingsScreen
from kiosk.staff.sign_in import SignInScreen
from sync.navigators import Navigator, create_navigator
from tools.a11y_walk import Control, controls, problems, starts_with_symbol
from tools.tour import REFERENCE_DPI, REFERENCE_SCREEN, tour

FAKE_ADMIN = "Test Admin Zero"
FAKE_PIN = "482916"
WAIT_SECONDS = 15.0


@dataclass
class Walked:
    """What one walk found: every control seen, and the findings by stop."""

    stops: int = 0
    controls: int = 0
    visible: int = 0
    nameless: list[tuple[str, Control]] = field(default_factory=list)
    symbol_first: list[tuple[str, Control]] = field(default_factory=list)
    symbol_first_text: list[tuple[str, Control]] = field(default_factory=list)
    """Labels (not controls) read out with a drawn symbol first."""

    def add(self, stop: str, seen: list[Control]) -> None:
        """Only what is shown counts (a screen reader skips hidden controls)."""
        self.stops += 1
        texts = [c for c in seen if c.role == "StaticText" and c.visible]
        self.symbol_first_text += [(stop, c) for c in texts if starts_with_symbol(c.name)]
        seen = [c for c in seen if c.role != "StaticText"]
        self.controls += len(seen)
        shown = [c for c in seen if c.visible]
        self.visible += len(shown)
        found = problems(shown)
        self.nameless += [(stop, c) for c in found.nameless]
        self.symbol_first += [(stop, c) for c in found.symbol_first]

    def lines(self) -> list[str]:
        return [f"{stop}: nameless {c}" for stop, c in self.nameless] + [
            f"{stop}: symbol first {c}" for stop, c in self.symbol_first
        ]


def _until(ready: Callable[[], bool], what: str) -> None:
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + WAIT_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not come within {WAIT_SECONDS:.0f} s")
        app.processEvents()
        time.sleep(0.005)
    for _ in range(3):
        app.processEvents()


def _screen_is(kiosk: Kiosk, kind: type[QWidget]) -> Callable[[], bool]:
    return lambda: isinstance(kiosk.window.page, kind)


def _keyboard_settled(kiosk: Kiosk) -> None:
    """With the on-screen keyboard: a text field of the screen takes the focus (as a tap
    on it would), and the walk waits for the keyboard's keys, which load apart."""
    panel = kiosk.window.keyboard
    page = kiosk.window.page
    if panel is None or page is None:
        return
    fields = [f for f in page.findChildren(QLineEdit) if f.isVisible() and not f.isReadOnly()]
    if fields and not any(f.hasFocus() for f in fields):
        fields[0].setFocus()
    if panel is not None and panel.target is not None and panel.isVisible():
        _until(panel.is_ready, "the keyboard's layout")


def staff_stops(kiosk: Kiosk) -> Iterator[str]:
    """The kiosk's staff screens, then the desk's, signed in as a fake administrator."""
    admin: Navigator = kiosk.owner.wait(
        lambda device: create_navigator(
            device.store, FAKE_ADMIN, FAKE_PIN, time.time(), role="administrator"
        )
    )
    entrance = kiosk.staff
    entrance.open()
    _until(_screen_is(kiosk, SignInScreen), "the staff sign-in")
    yield "staff-sign_in"
    page = kiosk.window.page
    assert isinstance(page, SignInScreen)
    page.signed_in.emit(admin)  # as after the right PIN (checked on the worker)
    _until(_screen_is(kiosk, StaffMenuScreen), "the staff menu")
    yield "staff-menu"
    entrance.show_resume()
    _until(_screen_is(kiosk, ResumeScreen), "the resume screen")
    yield "staff-resume"
    entrance.list_drafts()
    _until(_screen_is(kiosk, DraftsScreen), "the drafts list")
    yield "staff-drafts"
    entrance.sign_out()

    desk = StaffDesk(kiosk.journey, kiosk.backend, versions={"ieum": "a11y walk"})
    try:
        desk.show_sign_in()
        _until(_screen_is(kiosk, SignInScreen), "the desk's sign-in")
        yield "desk-sign_in"
        desk.open(admin)
        _until(_screen_is(kiosk, DashboardScreen), "the dashboard")
        yield "desk-dashboard"
        desk.show_audit()
        _until(_screen_is(kiosk, AuditScreen), "the audit log")
        yield "desk-audit"
        desk.show_settings()
        _until(_screen_is(kiosk, SettingsScreen), "the settings")
        yield "desk-settings"
    finally:
        # Signed out, as a navigator leaves: the desk's idle sign-out must not fire
        # minutes later, on a kiosk that is closed by then.
        desk.sign_out()
        _until(lambda: desk.owner.pending == 0, "the sign-out")
        desk.close()


def walk_tour(
    language: str, text_size: str, data_dir: Path, contrast: str = "normal", staff: bool = True
) -> Walked:
    """The whole tour (and, with `staff`, the staff screens) in one language and size."""
    config = KioskConfig(
        data_dir=data_dir,
        platform_url="http://127.0.0.1:9",
        defaults=Defaults(
            language=language, text_size=text_size, contrast=contrast, dpi=REFERENCE_DPI
        ),
        speech=SpeechSettings(preload=()),
    )
    kiosk = Kiosk(config)
    kiosk.start_speech()
    window = kiosk.window
    window.resize(*REFERENCE_SCREEN)
    window.show()
    window.activateWindow()  # text fields take the focus, and the keyboard comes up
    _until(window.isActiveWindow, "the kiosk window's focus")
    walked = Walked()
    try:
        for stop in tour(kiosk):
            _keyboard_settled(kiosk)
            walked.add(stop.name, controls(window, texts=True))
        if staff:
            for name in staff_stops(kiosk):
                _keyboard_settled(kiosk)
                walked.add(name, controls(window, texts=True))
    finally:
        kiosk.close()
        app = QApplication.instance()
        assert app is not None
        app.processEvents()
    return walked
