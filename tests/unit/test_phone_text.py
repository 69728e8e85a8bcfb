"""Phone numbers shown as Koreans write them, and masked without splitting an area code."""

from __future__ import annotations

import pytest

from forms.answers import masked, phone_text
from forms.definition import Question


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("01000000000", "010-0000-0000"),  # a mobile
        ("0200000000", "02-0000-0000"),  # Seoul, two-digit area code, 4+4
        ("020000000", "02-000-0000"),  # Seoul, 3+4
        ("0310000000", "031-000-0000"),  # elsewhere, 3+4
        ("03100000000", "031-0000-0000"),  # elsewhere, 4+4
        ("0100000", "0100000"),  # too short: as given, never a wrong grouping
        ("12345678901", "12345678901"),  # not starting with 0
        ("010-0000-0000", "010-0000-0000"),  # not bare digits: as given
    ],
)
def test_phone_numbers_are_grouped_by_area_code(digits: str, shown: str) -> None:
    assert phone_text(digits) == shown


def test_a_masked_seoul_number_keeps_its_area_code_whole() -> None:
    phone = Question(id="contact_phone", type="phone", label={"en": "Phone"})
    assert masked(phone, "0200001234") == "02-****-1234"
    assert masked(phone, "01000001234") == "010-****-1234"
