"""The screenshot audit: what a person would find wrong on a rendered screen, found by code.

Walks the visible widgets of a window and reports text that does not fit (clipped or
cut off), controls that overlap, tappable controls under the size minimums of
ACCESSIBILITY.md, and neighbouring controls closer than the minimum gap. Sizes are
judged in millimetres through the screen's DPI, like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.theme import MIN_TARGET_MM, Theme
from kiosk.widgets import text_extent

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
            widest = text_extent(widget.text(), widget.font(), rect.width() - margin)[0]
            if widest > rect.width() - margin + _TOLERANCE_PX:
                return f"a line needs {widest}px, the label has {rect.width()}px"
            return ""
        hint = widget.sizeHint()
        if hint.width() > widget.width() + _TOLERANCE_PX:
            return f"needs {hint.width()}px width, has {widget.width()}px"
        if hint.height() > widget.height() + _TOLERANCE_PX:
            return f"needs {hint.height()}px height, has {widget.height()}px"
    if isinstance(widget, QPushButton) and widget.text() and widget.hasHeightForWidth():
        return _wrapped_button_fits(widget)
    if isinstance(widget, QAbstractButton) and widget.text():
        hint = widget.sizeHint()
        if hint.width() > widget.width() + _TOLERANCE_PX:
            return f"needs {hint.width()}px width, has {widget.width()}px"
        lines = widget.text().count("\n") + 1
        if widget.fontMetrics().lineSpacing() * lines > widget.height() + _TOLERANCE_PX:
            return f"{lines} line(s) do not fit {widget.height()}px"
    return ""


def _wrapped_button_fits(widget: QPushButton) -> str:
    """A button whose words wrap (it has a height for each width): its words, broken
    between words only, must fit inside its border and padding."""
    option = QStyleOptionButton()
    widget.initStyleOption(option)
    inside = widget.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
    widest, height = text_extent(widget.text(), widget.font(), inside.width())
    if widest > inside.width() + _TOLERANCE_PX:
        return f"a word needs {widest}px, the button has {inside.width()}px for words"
    if height > inside.height() + _TOLERANCE_PX:
        return f"its lines need {height}px height, the button has {inside.height()}px"
    return ""


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area the widget scrolls in, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _cut_off(widget: QWidget) -> str:
    """ "" if the widget lies inside its parent (only up and down in a scroll area,
    where the rest is scrolled to), else how it sticks out."""
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return ""
    rect = widget.geometry()
    area = parent.parentWidget()
    if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
        if area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            return ""
        if rect.left() < 0 or rect.right() > parent.width() - 1 + _TOLERANCE_PX:
            return f"{rect.width()}px wide in a scrolling area {parent.width()}px wide"
        return ""
    if (
        not parent.rect()
        .adjusted(-_TOLERANCE_PX, -_TOLERANCE_PX, _TOLERANCE_PX, _TOLERANCE_PX)
        .contains(rect)
    ):
        return f"{rect} sticks out of its parent's {parent.rect()}"
    return ""


def _has_text(widget: QWidget) -> bool:
    return isinstance(widget, QLabel | QAbstractButton | QLineEdit)


def audit(window: QWidget, theme: Theme, screen: QSize | None = None) -> list[Finding]:
    """Every finding on the window as it is shown now; `screen` is the size the window
    must fit (a window whose content needs more grows past the screen's edge)."""
    findings: list[Finding] = []
    min_side = theme.px(MIN_TARGET_MM) - _TOLERANCE_PX
    min_area = MIN_AREA_MM2 * (theme.dpi / 25.4) ** 2
    min_gap = theme.px(MIN_GAP_MM) - _TOLERANCE_PX
    shown = [w for w in window.findChildren(QWidget) if w.isVisibleTo(window)]
    overlay = getattr(window, "overlay", None)
    if isinstance(overlay, QWidget) and overlay.isVisibleTo(window):
        # A message over the screen: what lies under it cannot be seen or tapped.
        shown = [w for w in shown if w is overlay or overlay.isAncestorOf(w)]
    window_rect = window.rect()
    if screen is not None and (
        window.width() > screen.width() or window.height() > screen.height()
    ):
        window_size = f"{window.width()}x{window.height()}px"
        detail = f"the window is {window_size}, the screen {screen.width()}x{screen.height()}px"
        findings.append(Finding("off_screen", _name(window), detail))
    # (widget, its whole rectangle, what of it is in view, its scroll area)
    placed: list[tuple[QWidget, QRect, QRect, QAbstractScrollArea | None]] = []
    for widget in shown:
        if isinstance(widget, QScrollBar):
            continue
        problem = _text_fits(widget)
        if problem:
            findings.append(Finding("clipped", _name(widget), problem))
        problem = _cut_off(widget)
        if problem:
            findings.append(Finding("clipped", _name(widget), problem))
        full = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        area = _scroll_area(widget)
        if area is None and not window_rect.contains(full):
            findings.append(Finding("off_screen", _name(widget), f"{full} outside {window_rect}"))
        if _tappable(widget):
            size = widget.size()
            if min(size.width(), size.height()) < min_side:
                detail = f"{size.width()}x{size.height()}px, under 12 mm"
                findings.append(Finding("too_small", _name(widget), detail))
            elif size.width() * size.height() < min_area:
                findings.append(Finding("too_small", _name(widget), "under 150 mm²"))
        if _tappable(widget) or _has_text(widget):
            placed.append((widget, full, _visible_rect(widget, window), area))
    for i, (a, full_a, seen_a, area_a) in enumerate(placed):
        for b, full_b, seen_b, area_b in placed[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            # In the same scroll area, where they are in it matters, not where it is
            # scrolled to; otherwise only what is in view can touch.
            ra, rb = (full_a, full_b) if area_a is area_b else (seen_a, seen_b)
            if ra.isEmpty() or rb.isEmpty():
                continue
            if ra.intersects(rb):
                findings.append(Finding("overlap", _name(a), f"overlaps {_name(b)}"))
                continue
            if not (_tappable(a) and _tappable(b)):
                continue
            dx = max(rb.left() - ra.right() - 1, ra.left() - rb.right() - 1, 0)
            dy = max(rb.top() - ra.bottom() - 1, ra.top() - rb.bottom() - 1, 0)
            if max(dx, dy) < min_gap:
                detail = f"{max(dx, dy)}px from {_name(b)}, under 2.5 mm"
                findings.append(Finding("too_close", _name(a), detail))
    return findings
