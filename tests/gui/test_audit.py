"""The screenshot audit: it finds what a person would (clipped words, tiny or crowded
controls, overlaps), and it finds nothing on any screen of the journeys.

Every language at the largest text size, and a few other combinations, run here; all
8 languages × 3 sizes × 2 contrasts run in the slow battery and in `make screenshots`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from forms.definition import QUESTION_TYPES
from forms.languages import LANGUAGE_CODES
from kiosk.app import Kiosk
from kiosk.config import Defaults, KioskConfig
from kiosk.screens.question import QuestionScreen
from kiosk.speech.settings import SpeechSettings
from kiosk.theme import Theme
from tools.screen_audit import audit
from tools.tour import REFERENCE_DPI, audit_tour, tour

pytestmark = pytest.mark.gui

SIZES = ("standard", "large", "extra_large")
CONTRASTS = ("normal", "high_contrast")


def _theme(kiosk: Kiosk) -> Theme:
    return kiosk.journey.theme


@pytest.fixture
def reference_kiosk(qtbot: QtBot, tmp_path: Path) -> Kiosk:
    config = KioskConfig(
        tmp_path,
        "http://127.0.0.1:9",
        Defaults(language="en", dpi=REFERENCE_DPI),
        speech=SpeechSettings(preload=()),
    )
    kiosk = Kiosk(config)
    kiosk.start_speech()  # at once, as after the first paint
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    yield kiosk
    kiosk.close()


def test_the_audit_finds_what_a_person_would(qtbot: QtBot, reference_kiosk: Kiosk) -> None:
    """A deliberately bad screen: each kind of defect is reported, by name."""
    theme = _theme(reference_kiosk)
    window = QWidget()
    qtbot.addWidget(window)
    column = QVBoxLayout(window)
    row = QHBoxLayout()
    row.setSpacing(1)  # far under 2.5 mm
    tiny = QPushButton("x")
    tiny.setFixedSize(20, 20)  # 5 mm at 102 dpi
    row.addWidget(tiny)
    neighbour = QPushButton("Next")
    neighbour.setFixedSize(200, 80)
    row.addWidget(neighbour)
    row.addStretch(1)  # the two stay side by side, 1 px apart
    column.addLayout(row)
    clipped = QLabel("A sentence far too long for the little room it was given on the screen")
    clipped.setFixedWidth(120)
    column.addWidget(clipped)
    lower = QPushButton("Under")
    lower.setFixedSize(200, 80)
    column.addWidget(lower)
    over = QPushButton("Over", window)
    window.resize(600, 400)
    window.show()
    qtbot.waitExposed(window)
    over.setGeometry(lower.geometry().translated(20, 10))
    over.raise_()

    found = audit(window, theme, QSize(500, 300))
    kinds = {(f.kind, f.widget.split("'")[1]) for f in found}
    assert ("too_small", "x") in kinds
    assert ("too_close", "x") in kinds or ("too_close", "Next") in kinds
    assert any(kind == "clipped" and text.startswith("A sentence") for kind, text in kinds)
    assert ("overlap", "Under") in kinds or ("overlap", "Over") in kinds
    assert any(f.kind == "off_screen" for f in found)  # a 600 px window on a 500 px screen


def test_the_tour_sees_every_screen_and_every_question_type(
    qtbot: QtBot, reference_kiosk: Kiosk
) -> None:
    types: set[str] = set()
    names = []
    for stop in tour(reference_kiosk):
        names.append(stop.name)
        screen = reference_kiosk.journey.screen
        if isinstance(screen, QuestionScreen):
            types.add(screen.question.type)
    assert len(names) == len(set(names))
    for screen_name in ("welcome", "language", "text_size", "services", "help",
                        "speech_settings", "eligibility", "review", "idle_warning",
                        "receipt", "start_over", "status_check", "status_result",
                        "status_needs_information", "status_not_found"):  # fmt: skip
        assert screen_name in names
    assert set(QUESTION_TYPES) <= types
    catalog = reference_kiosk.journey.catalog
    questions = [n for n in names if n.startswith("question-")]
    # At least one page per service-specific question that the fake answers lead to.
    assert len(questions) >= len(catalog.services) * 3


# Every language at the largest size (where things break), two at the others, and
# high contrast (bolder borders) in two scripts.
SAMPLE = [(code, "extra_large", "normal") for code in LANGUAGE_CODES] + [
    ("th", "standard", "high_contrast"),
    ("mn", "large", "normal"),
    ("zh_Hans", "large", "high_contrast"),
]
EVERYTHING = [
    (code, size, contrast)
    for code in LANGUAGE_CODES
    for size in SIZES
    for contrast in CONTRASTS
    if (code, size, contrast) not in SAMPLE
]


def _no_findings(qtbot: QtBot, tmp_path: Path, code: str, size: str, contrast: str) -> None:
    stops, found = audit_tour(code, size, contrast, tmp_path)
    # All services in one application: the phone, records consent and agreement that
    # several services share by meaning are asked (and toured) once (issue 19).
    assert stops >= 50
    assert [str(f) for f in found] == []


@pytest.mark.parametrize(("code", "size", "contrast"), SAMPLE)
def test_no_findings_on_any_screen(
    qtbot: QtBot, tmp_path: Path, code: str, size: str, contrast: str
) -> None:
    _no_findings(qtbot, tmp_path, code, size, contrast)


@pytest.mark.slow
@pytest.mark.parametrize(("code", "size", "contrast"), EVERYTHING)
def test_no_findings_on_any_screen_in_every_combination(
    qtbot: QtBot, tmp_path: Path, code: str, size: str, contrast: str
) -> None:
    _no_findings(qtbot, tmp_path, code, size, contrast)
