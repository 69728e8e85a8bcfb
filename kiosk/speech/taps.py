"""Speech stops when the resident acts: any tap, click or key press, anywhere.

Installed once on the application. Controls that act on speech itself ("Read aloud",
"Pause") carry the widget property SPEECH_CONTROL, so pressing them does not stop
what they are about to pause or repeat.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QWidget

from kiosk.speech.service import SpeechService
from kiosk.speech.settings import SPEECH_CONTROL

_ACTIONS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


class StopOnInput(QObject):
    def __init__(self, speech: SpeechService, app: QCoreApplication | None = None) -> None:
        super().__init__(speech)
        self.speech = speech
        self._app = app or QCoreApplication.instance()
        if self._app is not None:
            self._app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Widgets only: the window sees a press before the widget under it does.
        if (
            event.type() in _ACTIONS
            and isinstance(watched, QWidget)
            and self.speech.speaking
            and not _is_control(watched)
        ):
            self.speech.stop()
        return False  # the tap itself goes on to its widget

    def remove(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)


def _is_control(widget: QWidget | None) -> bool:
    while widget is not None:
        if widget.property(SPEECH_CONTROL):
            return True
        widget = widget.parentWidget()
    return False
