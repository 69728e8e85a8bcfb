"""Run something once a window has painted for the first time.

The welcome screen comes first: whatever the resident does not need to see it (the
platform client, the speech worker, the on-screen keyboard, the store's full check)
starts after its first paint, so a cold start shows the screen as early as Qt can.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.fire()
        return False

    def fire(self) -> None:
        """Once: after the paint event has been handled (the next turn of the loop)."""
        if self._callback is None:
            return
        callback, self._callback = self._callback, None
        self._widget.removeEventFilter(self)
        QTimer.singleShot(0, callback)


def when_painted(
    widget: QWidget, callback: Callable[[], None], at_latest_ms: int | None = None
) -> None:
    """Call `callback` on the event loop once `widget` has painted, or after
    `at_latest_ms` if it has not by then (a window that is never exposed, e.g. on a
    console that is not the active one, must still sync)."""
    watch = _FirstPaint(widget, callback)
    if at_latest_ms is not None:
        QTimer.singleShot(at_latest_ms, watch, watch.fire)
