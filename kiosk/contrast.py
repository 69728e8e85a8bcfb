"""Contrast ratios (WCAG 2.2) of a theme's real colours, for the test that keeps them legal."""

from __future__ import annotations

from kiosk.theme import Colours


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of a #RRGGBB colour."""
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_pairs(c: Colours) -> dict[str, tuple[str, str]]:
    """Every (foreground, background) pair the style sheet puts text on."""
    return {
        "text on background": (c.text, c.background),
        "text on surface": (c.text, c.surface),
        "text on selected": (c.text, c.selected),
        "muted on background": (c.muted, c.background),
        "muted on surface": (c.muted, c.surface),
        "error on background": (c.error, c.background),
        "error on surface": (c.error, c.surface),
        "primary text on primary": (c.primary_text, c.primary),
    }


def border_pairs(c: Colours) -> dict[str, tuple[str, str]]:
    """Control borders against what is around them (WCAG 1.4.11: at least 3:1)."""
    return {
        "border on background": (c.border, c.background),
        "border on surface": (c.border, c.surface),
        "primary on background": (c.primary, c.background),
    }
