"""Idle watch: a resident who walked away must not leave their answers on the screen.

Any touch, click or key resets the watch. After `idle_seconds` without one, `warning`
is emitted with the seconds left (at least 20, ACCESSIBILITY.md) and again each second;
`expired` follows if nobody acts. The journey arms the watch only while a visit is in
progress, and wipes the session on `expired`.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

MIN_WARNING_SECONDS = 20
_INPUT = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
}


class IdleWatch(QObject):
    warning = Signal(int)
    """Seconds left before the session ends; emitted every second during the warning."""
    expired = Signal()
    resumed = Signal()
    """The resident acted during the warning: hide it."""

    def __init__(self, idle_seconds: float = 120.0, warning_seconds: float = 30.0) -> None:
        super().__init__()
        self.idle_seconds = idle_seconds
        self.warning_seconds = max(warning_seconds, MIN_WARNING_SECONDS)
        self.armed = False
        self.warning_shown = False
        self._last_input = time.monotonic()
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def close(self) -> None:
        """Stop watching for good: disarmed, and out of the application's event filters
        (each event went through every closed kiosk's watch that was still alive: in a
        test run, dozens, and a kiosk's start took seconds more for each)."""
        self.disarm()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def arm(self) -> None:
        """Start watching (a visit began); the clock starts now."""
        self.armed = True
        self.touch()
        self._tick.start()

    def disarm(self) -> None:
        self.armed = False
        self._tick.stop()
        if self.warning_shown:
            self.warning_shown = False
            self.resumed.emit()

    def touch(self) -> None:
        """The resident did something (or asked for more time)."""
        self._last_input = time.monotonic()
        if self.warning_shown:
            self.warning_shown = False
            self.resumed.emit()

    def seconds_left(self) -> float:
        idle = time.monotonic() - self._last_input
        return self.idle_seconds + self.warning_seconds - idle

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.armed and event.type() in _INPUT:
            self.touch()
        return False

    def _check(self) -> None:
        if not self.armed:
            return
        left = self.seconds_left()
        if left <= 0:
            self.disarm()
            self.expired.emit()
        elif left <= self.warning_seconds:
            self.warning_shown = True
            self.warning.emit(max(1, round(left)))
