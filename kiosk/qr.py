"""QR codes drawn straight into a QImage: no temporary file holds a resident's reference."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel


def qr_image(text: str, module_px: int = 8, quiet_modules: int = 4) -> QImage:
    import qrcode  # on the first receipt, not at start (it is slow to import)

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = (len(matrix) + 2 * quiet_modules) * module_px
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    black = QColor(Qt.GlobalColor.black)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                left = (x + quiet_modules) * module_px
                top = (y + quiet_modules) * module_px
                painter.fillRect(QRect(left, top, module_px, module_px), black)
    painter.end()
    return image


QR_MODULE_MM = 2.0
"""One QR module on screen: large enough for an old phone's camera at arm's length."""


def qr_label(text: str, module_px: int, accessible_name: str) -> QLabel:
    """A QR code of `text` on a screen, left-aligned, named for screen readers."""
    qr = QLabel()
    qr.setPixmap(QPixmap.fromImage(qr_image(text, module_px=module_px)))
    qr.setAlignment(Qt.AlignmentFlag.AlignLeft)
    qr.setAccessibleName(accessible_name)
    return qr
