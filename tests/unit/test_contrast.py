"""Text and control contrast of every theme, computed from the colours actually used."""

from __future__ import annotations

import pytest

from kiosk.contrast import border_pairs, ratio, text_pairs
from kiosk.theme import HIGH_CONTRAST, NORMAL


def test_the_formula_matches_known_values() -> None:
    assert ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the classic AA grey


@pytest.mark.parametrize("pair", sorted(text_pairs(NORMAL)))
def test_normal_theme_text_is_at_least_4_5_to_1(pair: str) -> None:
    assert ratio(*text_pairs(NORMAL)[pair]) >= 4.5


@pytest.mark.parametrize("pair", sorted(border_pairs(NORMAL)))
def test_control_borders_are_at_least_3_to_1(pair: str) -> None:
    assert ratio(*border_pairs(NORMAL)[pair]) >= 3.0


@pytest.mark.parametrize("pair", sorted(text_pairs(HIGH_CONTRAST)))
def test_high_contrast_text_is_at_least_7_to_1(pair: str) -> None:
    assert ratio(*text_pairs(HIGH_CONTRAST)[pair]) >= 7.0


@pytest.mark.parametrize("pair", sorted(border_pairs(HIGH_CONTRAST)))
def test_high_contrast_borders_are_at_least_3_to_1(pair: str) -> None:
    assert ratio(*border_pairs(HIGH_CONTRAST)[pair]) >= 3.0
