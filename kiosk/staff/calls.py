"""Staff calls on the navigator's desk: a banner under the bar, one line per kiosk that
called ("Kiosk by the entrance asks for help · 15:03"), each with "On my way" to clear it.

The banner stays over whichever desk screen is open, so a call is seen whatever the
navigator is doing; calls come from sync.staffcall via kiosk.staffcall.CallListener.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from pathlib import Path

from babel.dates import format_time
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from kiosk.i18n import Words
from kiosk.staffcall import CallListener
from kiosk.widgets import button, label
from kiosk.window import KioskWindow
from sync.staffcall import PAIRING_FILE, Call, CallChecker, parse_pairings

log = logging.getLogger(__name__)


def pairings(data_dir: Path) -> CallChecker:
    """The desk's checker from its pairing file (none: every call is refused)."""
    path = data_dir / PAIRING_FILE
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return CallChecker(parse_pairings(lines))


class CallBanner(QFrame):
    """The open calls, newest last; hidden when there are none."""

    def __init__(self, window: KioskWindow, words: Callable[[], Words]) -> None:
        super().__init__()
        self.setObjectName("staff_calls")
        self._words = words
        self._rows = QVBoxLayout(self)
        self.open: dict[str, tuple[QFrame, QPushButton]] = {}
        """By kiosk: one line each (a second call from the same kiosk updates its time)."""
        window.layout_.insertWidget(1, self)  # under the bar, over every desk screen
        self.setStyleSheet(
            "QFrame#staff_calls { background: #fff3c4; border-bottom: 3px solid #8a6d00; }"
            " QLabel { color: #1a1a1a; font-weight: 700; }"
        )
        self.hide()

    def add(self, call: Call, now: datetime.datetime | None = None) -> None:
        words = self._words()
        when = format_time(now or datetime.datetime.now(), format="short", locale=words.locale)
        text = words._("{kiosk} asks for staff help · {time}").format(
            kiosk=call.kiosk.label, time=when
        )
        device = call.kiosk.device_id
        if device in self.open:
            self._drop(device)
        row = QFrame()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(label(text), 1)
        done = button(words._("On my way"))
        done.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        done.clicked.connect(lambda: self._drop(device))
        line.addWidget(done, 0)
        self._rows.addWidget(row)
        self.open[device] = (row, done)
        self.show()

    def _drop(self, device: str) -> None:
        row, _done = self.open.pop(device)
        self._rows.removeWidget(row)
        row.hide()
        row.deleteLater()
        self.setVisible(bool(self.open))

    def text(self) -> str:
        """What the banner says now (for tests and the screenshot tool)."""
        return " | ".join(
            found.text() for row, _done in self.open.values() for found in row.findChildren(QLabel)
        )


class DeskCalls:
    """The desk's staff calls: the listener on the site's port and the banner it fills."""

    def __init__(
        self, window: KioskWindow, words: Callable[[], Words], data_dir: Path, port: int
    ) -> None:
        self.listener = CallListener(pairings(data_dir), port)
        self.banner = CallBanner(window, words)
        self.listener.called.connect(self._called)
        log.info(
            "taking staff calls on UDP port %d from %d paired kiosk(s)",
            self.listener.port,
            len(self.listener.checker.kiosks),
        )

    def _called(self, call: Call) -> None:
        self.banner.add(call)
        log.info("staff call shown on the desk: kiosk %s", call.kiosk.device_id)

    def close(self) -> None:
        self.listener.close()
