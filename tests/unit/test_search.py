"""Typed search over every language's titles, summaries and keywords, and Korean
initial-consonant search (ㄱㅌ for 교통), as Korean users expect (issue 19)."""

from __future__ import annotations

import pytest

from forms.catalog import korean_initials
from tests.unit.forms_fixtures import catalog

TRANSPORT = {"senior-transport-welfare", "youth-transport"}


@pytest.mark.parametrize("typed", ["교통", "ㄱㅌ", "transport", "ТЭЭВЭР", "ｔｒａｎｓｐｏｒｔ"])
def test_transport_is_found_however_it_is_typed(typed: str) -> None:
    assert {s.id for s in catalog().search(typed)} == TRANSPORT


def test_initials_match_syllables_only_where_every_letter_is_an_initial() -> None:
    assert korean_initials("청소년 교통비") == "ㅊㅅㄴ ㄱㅌㅂ"
    youth = {s.id for s in catalog().search("ㅊㄴ")}  # 청년
    assert {"seoul-youth-allowance", "youth-monthly-rent", "youth-transport"} <= youth
    assert {s.id for s in catalog().search("ㅊㄴ 교통")} == {"youth-transport"}
    assert catalog().search("ㄱ교") == []  # mixed: matched as typed, and nothing has it
