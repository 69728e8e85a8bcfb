"""The boot test's eyes (tools/vm/screen.py): a screen drawn in several ways (a receipt
sent or not yet) is recognised by any of its pictures, and which one is told, so that
the tap goes where that picture has its button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter

from tools.vm.screen import NotShown, wait_for, wait_for_one_of

pytestmark = pytest.mark.gui


def _screen(button_at: int) -> QImage:
    image = QImage(640, 360, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(QRect(button_at, 250, 200, 80), QColor("navy"))
    painter.end()
    return image


def test_any_picture_of_a_screen_will_do_and_which_is_told() -> None:
    not_sent, sent, elsewhere = _screen(40), _screen(400), _screen(220)
    which, _waited, found = wait_for_one_of(lambda: sent, [not_sent, sent], 1, every=0.01)
    assert which == 1 and found < 1.2
    with pytest.raises(NotShown, match="closest") as raised:
        wait_for_one_of(lambda: elsewhere, [not_sent, sent], 0.05, every=0.01)
    assert raised.value.closest == elsewhere  # kept to be looked at
    waited, found = wait_for(lambda: not_sent, not_sent, 1, every=0.01)
    assert found == 0.0 and waited < 1
