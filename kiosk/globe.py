"""The globe drawn on the language button: the sign for "language" that a resident who
cannot read the screen's language still recognises (a drawn icon, not a text symbol,
so that the button's name stays the word itself)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


def globe_icon(size: int, colour: str) -> QIcon:
    """A globe `size` pixels square in `colour`: outline, meridian and two parallels."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = max(1.5, size / 14)
    painter.setPen(QPen(QColor(colour), line))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inset = line / 2 + 0.5
    ball = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    painter.drawEllipse(ball)
    centre = ball.center()
    painter.drawEllipse(QRectF(centre.x() - ball.width() / 4, ball.top(), ball.width() / 2,
                               ball.height()))  # fmt: skip
    painter.drawLine(QPointF(centre.x(), ball.top()), QPointF(centre.x(), ball.bottom()))
    painter.drawLine(QPointF(ball.left(), centre.y()), QPointF(ball.right(), centre.y()))
    for y in (ball.top() + ball.height() * 0.25, ball.top() + ball.height() * 0.75):
        half = ball.width() / 2 * (3**0.5 / 2)
        path = QPainterPath(QPointF(centre.x() - half, y))
        path.lineTo(QPointF(centre.x() + half, y))
        painter.drawPath(path)
    painter.end()
    return QIcon(pixmap)
