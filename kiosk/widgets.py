"""Building blocks every screen uses: wrapping labels, big buttons, the number pad."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)


def label(text: str, name: str = "", selectable: bool = False) -> QLabel:
    """A label that wraps instead of clipping, whatever the language and text size."""
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        widget.setObjectName(name)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


def button(text: str, name: str = "", checkable: bool = False) -> QPushButton:
    widget = QPushButton(text)
    if name:
        widget.setObjectName(name)
    widget.setCheckable(checkable)
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return widget


class NumberPad(QWidget):
    """A large on-screen number pad: digits, delete and clear. Emits the text as it changes."""

    changed = Signal(str)

    def __init__(self, max_digits: int = 12, delete_text: str = "⌫", clear_text: str = "C") -> None:
        super().__init__()
        self.max_digits = max_digits
        self.text = ""
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.keys: dict[str, QPushButton] = {}
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "delete"]
        for index, key in enumerate(layout):
            caption = {"clear": clear_text, "delete": delete_text}.get(key, key)
            widget = button(caption)
            widget.setAccessibleName(caption)
            widget.clicked.connect(lambda _=False, k=key: self._press(k))
            self.keys[key] = widget
            grid.addWidget(widget, index // 3, index % 3)

    def set_text(self, text: str) -> None:
        self.text = text
        self.changed.emit(self.text)

    @Slot()
    def _press(self, key: str) -> None:
        if key == "clear":
            self.text = ""
        elif key == "delete":
            self.text = self.text[:-1]
        elif len(self.text) < self.max_digits:
            self.text += key
        self.changed.emit(self.text)
