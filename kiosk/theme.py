"""Sizes in millimetres turned into pixels, colours, and the style sheet built from them.

Touch targets and text heights are physical requirements (ACCESSIBILITY.md), so every
size starts in millimetres and is converted with the screen's physical DPI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from forms.languages import language
from sync.device_settings import TEXT_SIZES

REFERENCE_DPI = 102.0
"""A 21.5-inch 1920x1080 panel: the screen tests and screenshots are measured on."""

TEXT_HEIGHT_MM: dict[str, float] = dict(zip(TEXT_SIZES, (4.8, 7.25, 12.0), strict=True))
"""Character (capital letter) height in mm for each text size the resident can choose
(the sizes themselves are named once, in sync.device_settings.TEXT_SIZES)."""

CAP_HEIGHT_EM = 0.71
"""Capital height of Noto Sans as a fraction of the font size."""

SHORT_WINDOW_PX = 900
"""A window less tall than this (a 1280x720 screen) is short of room at the larger text
sizes: its keyboard only as tall as its rows need, the bar's words smaller before a
second row."""

MIN_TARGET_MM = 12.0
MIN_GAP_MM = 2.5
"""Least empty space between neighbouring controls (ACCESSIBILITY.md)."""
PRIMARY_TARGET_MM = 16.0
GAP_MM = 3.0


@dataclass(frozen=True)
class Colours:
    background: str
    surface: str
    text: str
    muted: str
    primary: str
    primary_text: str
    border: str
    error: str
    selected: str


NORMAL = Colours(
    background="#F7F7F4",
    surface="#FFFFFF",
    text="#1A1A1A",
    muted="#4A4A4A",
    primary="#0B5CAD",
    primary_text="#FFFFFF",
    border="#5F6B7A",
    error="#B00020",
    selected="#DCEBFA",
)

HIGH_CONTRAST = Colours(
    background="#000000",
    surface="#111111",
    text="#FFFFFF",
    muted="#E6E6E6",
    primary="#FFE14D",
    primary_text="#000000",
    border="#FFFFFF",
    error="#FF9E9E",
    selected="#003A70",
)
"""Light on black, yellow for the main action: every text pair at least 7:1."""

THEMES: dict[str, Colours] = {"normal": NORMAL, "high_contrast": HIGH_CONTRAST}


@dataclass(frozen=True)
class Theme:
    dpi: float = REFERENCE_DPI
    text_size: str = "standard"
    language: str = "ko"
    colours: Colours = NORMAL

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def px_at_least(self, mm: float) -> int:
        """Pixels for a physical minimum, rounded up so that it is never a hair short."""
        return math.ceil(mm * self.dpi / 25.4)

    @property
    def font_px(self) -> int:
        """Font pixel size whose capital letters are the chosen height."""
        return round(self.px(TEXT_HEIGHT_MM[self.text_size]) / CAP_HEIGHT_EM)

    @property
    def title_px(self) -> int:
        return round(self.font_px * 1.3)

    @property
    def target_px(self) -> int:
        """Smallest side of any tappable control: 12 mm, or more when the text needs it."""
        return max(self.px(MIN_TARGET_MM), round(self.font_px * 1.9))

    @property
    def primary_px(self) -> int:
        return max(self.px(PRIMARY_TARGET_MM), round(self.font_px * 2.2))

    @property
    def gap_px(self) -> int:
        return self.px(GAP_MM)

    def font_families(self) -> list[str]:
        return list(language(self.language).font_families)

    def style_sheet(self) -> str:
        c = self.colours
        pad = self.px(2.5)
        return f"""
        QWidget {{ font-size: {self.font_px}px; color: {c.text}; }}
        QWidget#screen, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget
            {{ background: {c.background}; }}
        QLabel#hero {{ font-size: {round(self.title_px * 1.5)}px; font-weight: 700; }}
        QLabel#title {{ font-size: {self.title_px}px; font-weight: 700; }}
        QLabel#muted, QLabel#step {{ color: {c.muted}; }}
        QLabel#section {{ font-weight: 700; padding-top: {self.gap_px}px; }}
        QLabel#standing {{ font-weight: 700; }}
        QFrame#card {{
            background: {c.surface}; border: 2px solid {c.border}; border-radius: {pad}px;
        }}
        QLabel#error {{ color: {c.error}; font-weight: 700; }}
        QLabel#reference {{ font-size: {self.title_px}px; font-weight: 700; }}
        QPushButton {{
            min-height: {self.target_px}px; min-width: {self.target_px}px;
            padding: 0 {pad}px; border: 2px solid {c.border}; border-radius: {pad}px;
            background: {c.surface}; color: {c.text};
        }}
        QPushButton:checked {{ background: {c.selected}; border: 4px solid {c.primary}; }}
        QPushButton#primary {{
            min-height: {self.primary_px}px; background: {c.primary}; color: {c.primary_text};
            border-color: {c.primary}; font-weight: 700;
        }}
        QLineEdit {{
            min-height: {self.target_px}px; border: 2px solid {c.border}; border-radius: {pad}px;
            padding: 0 {pad}px; background: {c.surface};
        }}
        QScrollBar:vertical {{
            width: {self.target_px}px; background: {c.surface}; border: 2px solid {c.border};
        }}
        QScrollBar::handle:vertical {{ background: {c.border}; min-height: {self.target_px}px; }}
        QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
        QPushButton#choice {{ min-height: {self.primary_px}px; }}
        /* Last among the buttons, and as specific as #primary: a button that does
           nothing must not look like the main action (issue 18, finding 4). */
        QPushButton:disabled, QPushButton#primary:disabled, QPushButton#choice:disabled {{
            color: {c.muted}; background: {c.background}; border: 2px dashed {c.muted};
            font-weight: 400;
        }}
        QFrame#bar {{ background: {c.surface}; border-bottom: 2px solid {c.border}; }}
        """
