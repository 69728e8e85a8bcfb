"""Text in eight languages, as it appears in form definitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forms.languages import FALLBACK_ORDER


@dataclass(frozen=True)
class Shown:
    """Text picked for a language, and whether it had to come from another one.

    A fallback is shown with a visible marker so a resident knows the text is not in
    their language, instead of silently reading another language or seeing a blank.
    """

    text: str
    language: str
    is_fallback: bool


def pick(text: Mapping[str, str], language: str) -> Shown:
    """The text in `language`, else in the fallback languages, else in any language."""
    value = text.get(language, "").strip()
    if value:
        return Shown(value, language, False)
    for other in (*FALLBACK_ORDER, *sorted(text)):
        value = text.get(other, "").strip()
        if value:
            return Shown(value, other, True)
    return Shown("", language, True)
