"""Text in eight languages, as it appears in form definitions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale

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


PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories; which ones a language uses is CLDR's (via babel)."""


class TextError(ValueError):
    """A text's braces do not parse: for the author, with what is wrong."""


def parse_plural(body: str) -> tuple[str, dict[str, str]] | None:
    """`household_size, plural, one {# person} other {# people}` as (name, forms);
    None if `body` is a plain `{name}`; TextError if it is a broken plural."""
    if "," not in body:
        return None
    name, kind, rest = (part.strip() for part in [*body.split(",", 2), "", ""][:3])
    if kind != "plural":
        raise TextError(f"{{{body[:30]}...}}: only {{name, plural, ...}} is known")
    forms: dict[str, str] = {}
    i = 0
    while i < len(rest):
        if rest[i].isspace():
            i += 1
            continue
        start = rest.find("{", i)
        if start < 0:
            raise TextError(f"plural of {name}: {rest[i:][:20]!r} has no {{text}}")
        selector = rest[i:start].strip()
        end = _closing(rest, start)
        if selector not in PLURAL_CATEGORIES and not (
            selector.startswith("=") and selector[1:].isdigit()
        ):
            raise TextError(f"plural of {name}: {selector!r} is not one of {PLURAL_CATEGORIES}")
        forms[selector] = rest[start + 1 : end]
        i = end + 1
    if "other" not in forms:
        raise TextError(f"plural of {name}: needs an 'other' form")
    return name, forms


def _closing(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise TextError("a { without its }")


def placeholders(template: str) -> list[tuple[str, dict[str, str] | None]]:
    """Every `{name}` and `{name, plural, ...}` of a text, outermost first; TextError
    if its braces do not parse."""
    found: list[tuple[str, dict[str, str] | None]] = []
    i = 0
    while (start := template.find("{", i)) >= 0:
        end = _closing(template, start)
        body = template[start + 1 : end]
        plural = parse_plural(body)
        if plural is None:
            found.append((body.strip(), None))
        else:
            found.append(plural)
            for form in plural[1].values():
                found += placeholders(form)
        i = end + 1
    return found


def fill(
    template: str, locale: str, value_text: Callable[[str], str], number: Callable[[str], Any]
) -> str:
    """A text with `{name}` replaced by `value_text(name)` and each plural by the form
    CLDR picks for `number(name)` in `locale` (`#` in it: the number as written)."""
    out: list[str] = []
    i = 0
    while (start := template.find("{", i)) >= 0:
        out.append(template[i:start])
        try:
            end = _closing(template, start)
            plural = parse_plural(template[start + 1 : end])
        except TextError:
            out.append(template[start:])
            return "".join(out)
        if plural is None:
            out.append(value_text(template[start + 1 : end].strip()))
        else:
            name, forms = plural
            n = number(name)
            if isinstance(n, int | float) and not isinstance(n, bool):
                category = Locale.parse(locale).plural_form(n)
                form = forms.get(f"={n}", forms.get(category, forms["other"]))
                form = form.replace("#", value_text(name))
            else:
                form = forms["other"].replace("#", value_text(name))
            out.append(fill(form, locale, value_text, number))
        i = end + 1
    out.append(template[i:])
    return "".join(out)
