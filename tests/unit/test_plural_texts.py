"""Plural-aware texts: "for 1 person", "for 2 people", by CLDR's rules per language."""

from __future__ import annotations

from typing import Any

import pytest

from forms.definition import DefinitionError
from forms.eligibility import profile_values, reason
from forms.loader import parse_service
from tests.unit.forms_fixtures import TODAY, catalog, service_document

TEXT = {
    "en": "For {household_size, plural, one {# person} other {# people}} aged {age}.",
    "ru": "Для {household_size, plural, one {# человека} few {# человек} many {# человек} "
    "other {# человека}}.",
    "ko": "{household_size, plural, other {#명}} 가구",
    "th": "{household_size, plural, =1 {อยู่คนเดียว} other {# คน}}",
}


def _said(lang: str, size: int) -> str:
    values = profile_values(catalog().profile, {"household_size": size, "birth_year": 1990}, TODAY)
    return reason(TEXT, lang, catalog().profile, values)


@pytest.mark.parametrize(
    ("lang", "size", "said"),
    [
        ("en", 1, "For 1 person aged 36."), ("en", 2, "For 2 people aged 36."),
        ("ru", 1, "Для 1 человека."), ("ru", 3, "Для 3 человек."), ("ru", 5, "Для 5 человек."),
        ("ru", 21, "Для 21 человека."), ("ko", 1, "1명 가구"), ("th", 1, "อยู่คนเดียว"),
        ("th", 4, "4 คน"),
    ],
)  # fmt: skip
def test_the_form_follows_the_languages_plural_rules(lang: str, size: int, said: str) -> None:
    assert _said(lang, size) == said


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{household_size, plural, one {# person}}", "needs an 'other' form"),
        ("{household_size, plural, single {#} other {#}}", "'single' is not one of"),
        ("{residence, plural, other {#}}", "residence is not a number"),
        ("{household_size, select, other {#}}", "only {name, plural, ...}"),
        ("{household_size, plural, other {#}", "without its }"),
    ],
)
def test_a_broken_plural_is_an_error_naming_what_is_wrong(text: str, says: str) -> None:
    document: dict[str, Any] = service_document()
    document["eligibility"][0]["met"]["en"] = text
    with pytest.raises(DefinitionError) as caught:
        parse_service(document, catalog().profile, "x.json")
    [problem] = [p for p in caught.value.problems if not p.warning]
    assert problem.path == 'rule "support_or_senior" (eligibility[0]).met.en'
    assert says in problem.message
