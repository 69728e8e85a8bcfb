"""Words that must not drift in translation, checked in every language of the catalog.

"Median" income decides eligibility; Mongolian rendered it as дундаж ("average"), which
is a different and usually higher figure (issue 19). Every text whose English says
"median" must use the word for the median in each language, and never "average".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from forms.languages import LANGUAGE_CODES
from tests.unit.forms_fixtures import SOURCE

MEDIAN = {"ko": "중위", "en": "median", "zh_Hans": "中位", "ja": "中位", "vi": "trung vị",
          "th": "มัธยฐาน", "mn": "медиан", "ru": "медиан"}  # fmt: skip
AVERAGE = {"ko": "평균", "en": "average", "zh_Hans": "平均", "ja": "平均", "vi": "trung bình",
           "th": "เฉลี่ย", "mn": "дундаж орлог", "ru": "средн"}  # fmt: skip
"""Mongolian may explain "медиан нь дундаж биш" (the median is not the average): what
must not appear is дундаж *орлого*, "average income"."""


def _texts(node: Any, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            yield path, node
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


def test_median_is_the_median_in_every_language() -> None:
    assert set(MEDIAN) == set(AVERAGE) == set(LANGUAGE_CODES)
    checked = 0
    for file in sorted(SOURCE.rglob("*.json")):
        document = json.loads(file.read_text(encoding="utf-8"))
        for path, text in _texts(document, file.name):
            if "median" not in text["en"].lower():
                continue
            checked += 1
            for lang in LANGUAGE_CODES:
                said = text.get(lang, "").lower()
                assert MEDIAN[lang] in said, (path, lang, said)
                assert AVERAGE[lang] not in said, (path, lang, said)
    assert checked >= 10
