"""User-facing words, from the gettext catalogs in locales/ (domain "ieum").

Screens hold a `Words` for the resident's language and call `words._("...")`; babel
extracts those calls (see the Makefile's `translations` targets).
"""

from __future__ import annotations

import datetime
import gettext
from functools import cache
from pathlib import Path

from babel import Locale

from forms.definition import LocalText
from forms.languages import LANGUAGE_CODES, language
from forms.text import pick

DOMAIN = "ieum"
LOCALES = Path(__file__).resolve().parent.parent / "locales"


class MissingCatalog(Exception):
    """A compiled catalog is missing: the set-up step (pybabel compile) was not run."""


@cache
def _translations(code: str) -> gettext.NullTranslations:
    try:
        return gettext.translation(DOMAIN, LOCALES, languages=[code])
    except FileNotFoundError:
        raise MissingCatalog(
            f"no compiled catalog for {code!r} in {LOCALES}: run `sh packaging/bootstrap.sh setup`"
        ) from None


class Words:
    """Translated words for one language."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.language = language(code)
        self.locale = Locale.parse(self.language.cldr_locale)
        self._t = _translations(code)

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def number(self, value: int | float) -> str:
        from babel.numbers import format_decimal  # babel's formats: after the first screen

        return format_decimal(value, locale=self.locale)

    def date(self, day: datetime.date) -> str:
        """A date as people write it in this language (long form: no ambiguous 11/12)."""
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.locale)

    def text(self, text: LocalText) -> str:
        """A definition's text in this language; another language's is marked as such."""
        shown = pick(text, self.code)
        if shown.is_fallback and shown.text:
            return f"[{language(shown.language).native_name}] {shown.text}"
        return shown.text


def check_catalogs() -> None:
    """Fail early and clearly if any compiled catalog is missing."""
    for code in LANGUAGE_CODES:
        _translations(code)
