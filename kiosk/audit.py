"""The screenshot audit: what a person would find wrong on a rendered screen, found by code.

Walks the visible widgets of a window and reports text that does not fit (clipped or
cut off), controls that overlap, tappable controls under the size minimums of
ACCESSIBILITY.md, and neighbouring controls closer than the minimum gap. Sizes are
judged in millimetres through the screen's DPI, like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from kiosk.theme import MIN_TARGET_MM, Theme

MIN_AREA_MM2 = 150.0
MIN_GAP_MM = 2.5
_TOLERANCE_PX = 1


@dataclass(frozen=True)
class Finding:
    kind: str
    """clipped, too_small, too_close, overlap or off_screen."""
    widget: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.widget}: {self.detail}"


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text().replace("\n", " ")[:40]
    return f"{type(widget).__name__}#{widget.objectName() or '-'} '{text}'"


def _tappable(widget: QWidget) -> bool:
    return isinstance(widget, QAbstractButton | QLineEdit) and widget.isEnabled()


def _visible_rect(widget: QWidget, window: QWidget) -> QRect:
    """The widget's rectangle in window coordinates, cut to what its scroll area shows."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            shown = QRect(viewport.mapTo(window, viewport.rect().topLeft()), viewport.size())
            rect = rect.intersected(shown)
        parent = parent.parentWidget()
    return rect


def _in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _text_fits(widget: QWidget) -> str:
    """ "" if the widget's text is shown whole, else what is missing."""
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        rect = widget.contentsRect()
        margin = (
            widget.margin() * 2 + widget.indent() if widget.indent() > 0 else widget.margin() * 2
        )
        if widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > widget.height() + _TOLERANCE_PX:
                return f"needs {needed}px height, has {widget.height()}px"
            widest = _widest_line(widget.text(), widget.font(), rect.width() - margin)
            if widest > rect.width() - margin + _TOLERANCE_PX:
                return f"a line needs {widest}px, the label has {rect.width()}px"
            return ""
        hint = widget.sizeHint()
        if hint.width() > widget.width() + _TOLERANCE_PX:
            return f"needs {hint.width()}px width, has {widget.width()}px"
        if hint.height() > widget.height() + _TOLERANCE_PX:
            return f"needs {hint.height()}px height, has {widget.height()}px"
    if isinstance(widget, QAbstractButton) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > widget.width() + _TOLERANCE_PX:
            return f"needs {hint.width()}px width, has {widget.width()}px"
        lines = widget.text().count("\n") + 1
        if widget.fontMetrics().lineSpacing() * lines > widget.height() + _TOLERANCE_PX:
            return f"{lines} line(s) do not fit {widget.height()}px"
    return ""


def _widest_line(text: str, font: QFont, width: int) -> int:
    """Lay the text out as Qt would (Unicode line breaking, so Thai and CJK too) and
    return the widest line: wider than `width` means a word could not be broken."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1))
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return round(widest)


def audit(window: QWidget, theme: Theme) -> list[Finding]:
    """Every finding on the window as it is shown now."""
    findings: list[Finding] = []
    min_side = theme.px(MIN_TARGET_MM) - _TOLERANCE_PX
    min_area = MIN_AREA_MM2 * (theme.dpi / 25.4) ** 2
    min_gap = theme.px(MIN_GAP_MM) - _TOLERANCE_PX
    shown = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    window_rect = window.rect()
    targets: list[tuple[QWidget, QRect]] = []
    for widget in shown:
        if isinstance(widget, QScrollBar):
            continue
        problem = _text_fits(widget)
        if problem:
            findings.append(Finding("clipped", _name(widget), problem))
        full = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        if not _in_scroll_area(widget) and not window_rect.contains(full):
            findings.append(Finding("off_screen", _name(widget), f"{full} outside {window_rect}"))
        if _tappable(widget):
            size = widget.size()
            if min(size.width(), size.height()) < min_side:
                detail = f"{size.width()}x{size.height()}px, under 12 mm"
                findings.append(Finding("too_small", _name(widget), detail))
            elif size.width() * size.height() < min_area:
                findings.append(Finding("too_small", _name(widget), "under 150 mm²"))
            visible = _visible_rect(widget, window)
            if not visible.isEmpty():  # scrolled out of sight: judged when scrolled to
                targets.append((widget, visible))
    for i, (a, ra) in enumerate(targets):
        for b, rb in targets[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if ra.intersects(rb):
                findings.append(Finding("overlap", _name(a), f"overlaps {_name(b)}"))
                continue
            dx = max(rb.left() - ra.right() - 1, ra.left() - rb.right() - 1, 0)
            dy = max(rb.top() - ra.bottom() - 1, ra.top() - rb.bottom() - 1, 0)
            if max(dx, dy) < min_gap:
                detail = f"{max(dx, dy)}px from {_name(b)}, under 2.5 mm"
                findings.append(Finding("too_close", _name(a), detail))
    return findings
