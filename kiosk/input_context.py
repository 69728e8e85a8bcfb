"""Choosing Qt Virtual Keyboard as the application's input context.

Apart from kiosk.keyboard (the panel) because this runs before the QApplication exists,
at every start, and must not load Qt Quick: the panel itself is made after the welcome
screen is shown (KioskWindow.load_keyboard).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLoggingCategory
from PySide6.QtGui import QGuiApplication

_QUIET_RULES = "qt.multimedia.symbolsresolver=false;qt.qml.propertyCache.append=false"
"""Qt Multimedia (the key-click sounds) not finding PipeWire; a remark on Qt's own QML."""


def enable_virtual_keyboard(software_rendering: bool = True) -> None:
    """Choose Qt Virtual Keyboard as the input context. Call before the QApplication exists.

    Qt reads these variables once, when the application object is created; afterwards
    this raises, because a keyboard panel would show keys that type nothing.
    `software_rendering` draws Qt Quick without OpenGL: about half the memory, and the
    keyboard needs no GPU effects. An explicit QT_QUICK_BACKEND in the environment wins.
    """
    if QGuiApplication.instance() is not None and not is_enabled():
        raise RuntimeError("enable_virtual_keyboard() must run before the QApplication exists")
    # QT_IM_MODULES (a list, Qt >= 6.7) takes precedence over QT_IM_MODULE when set.
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ["QT_IM_MODULES"] = "qtvirtualkeyboard"
    # Never a separate keyboard window: the only panel is the one inside the kiosk window.
    os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
    if software_rendering:
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
    # Two harmless warnings Qt logs from its QML loader thread while the main thread waits
    # for it. With a message handler written in Python (pytest-qt installs one), that
    # thread waits for the GIL the main thread holds: a deadlock (PySide6 6.12).
    rules = os.environ.get("QT_LOGGING_RULES")
    os.environ["QT_LOGGING_RULES"] = f"{rules};{_QUIET_RULES}" if rules else _QUIET_RULES
    # Qt reads that variable once, at its first log call, which an earlier import may
    # already have made; rules set through the API apply whenever they are set.
    QLoggingCategory.setFilterRules(_QUIET_RULES.replace(";", "\n"))


def is_enabled() -> bool:
    """Whether the virtual keyboard is (or will be) this application's input context."""
    modules = os.environ.get("QT_IM_MODULES") or os.environ.get("QT_IM_MODULE", "")
    return modules.split(";")[0] == "qtvirtualkeyboard"
