"""Which services a resident may be eligible for, and why, in their language.

The quick check asks only the shared profile questions, then evaluates every service's
rules: all met is "eligible", one unmet is "close" (with why), a rule that cannot be
decided because a profile answer is missing makes "maybe". Services without rules are
open to everyone. The words are the service's own, with profile values filled in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal

from forms import expressions as ex
from forms.definition import EligibilityRule, Limit, LocalText, Profile, Service
from forms.languages import language
from forms.text import fill, pick

ELIGIBLE, MAYBE, CLOSE, NOT_ELIGIBLE = "eligible", "maybe", "close", "not_eligible"
_ORDER = {ELIGIBLE: 0, MAYBE: 1, CLOSE: 2, NOT_ELIGIBLE: 3}


@dataclass(frozen=True)
class RuleResult:
    rule: EligibilityRule
    met: bool | None
    """None: a profile answer it needs is missing or unknown."""


@dataclass(frozen=True)
class Finding:
    service: Service
    status: str
    results: tuple[RuleResult, ...]

    @property
    def unmet(self) -> list[RuleResult]:
        return [r for r in self.results if r.met is False]


def profile_values(profile: Profile, answers: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    values: dict[str, Any] = {t.id: list(t.values) for t in profile.tables}
    values.update({q.id: answers.get(q.id) for q in profile.questions})
    for calc in profile.calculations:
        values[calc.id] = ex.evaluate(calc.expression, values, today)
    return values


def check_service(service: Service, values: Mapping[str, Any], today: dt.date) -> Finding:
    results = []
    for rule in service.eligibility:
        outcome = ex.evaluate(rule.rule, values, today)
        results.append(RuleResult(rule, None if outcome is None else outcome is True))
    unmet = sum(r.met is False for r in results)
    unknown = sum(r.met is None for r in results)
    if unmet == 0:
        status = MAYBE if unknown else ELIGIBLE
    elif (
        unmet == 1
        and unknown == 0
        and len(results) > 1
        and not any(r.rule.firm for r in results if r.met is False)
    ):
        status = CLOSE
    else:
        status = NOT_ELIGIBLE
    return Finding(service, status, tuple(results))


def check_eligibility(
    services: Iterable[Service], profile: Profile, answers: Mapping[str, Any], today: dt.date
) -> list[Finding]:
    """Every service's finding, eligible ones first, then maybe, close, not eligible."""
    values = profile_values(profile, answers, today)
    findings = [check_service(s, values, today) for s in services]
    return sorted(findings, key=lambda f: (_ORDER[f.status], f.service.id))


def amount(profile: Profile, limit: Limit, values: Mapping[str, Any]) -> int | None:
    """A choice's limit in won for the resident's row ("2 people: up to 2,099,646 won a
    month"); None while the row (household size) is unknown or past the table."""
    table = profile.table(limit.table)
    row = None if table is None else table.row(values.get(table.by))
    return None if row is None else int(row * limit.times)


def rule_text(result: RuleResult) -> LocalText:
    """The rule's own words for its outcome; for "maybe" its maybe text ({} if it has
    none: then say which answers are missing, see `missing`)."""
    if result.met is None:
        return result.rule.maybe
    return result.rule.met if result.met else result.rule.unmet


def missing(result: RuleResult, profile: Profile, values: Mapping[str, Any]) -> list[str]:
    """The profile questions whose missing answers leave a rule undecided (through the
    calculations it uses too: `age` needs `birth_year`), in profile order."""
    used = ex.names_used(result.rule.rule)
    for calc in reversed(profile.calculations):
        if calc.id in used:
            used |= ex.names_used(calc.expression)
    return [q.id for q in profile.questions if q.id in used and values.get(q.id) is None]


def reason(text: LocalText, lang: str, profile: Profile, values: Mapping[str, Any]) -> str:
    """A rule's reason with {placeholders} filled: numbers per locale, choices by label,
    and {n, plural, one {...} other {...}} by CLDR's plural rules for the language."""
    template = pick(text, lang).text
    locale = language(lang).cldr_locale

    def value_text(name: str) -> str:
        value = values.get(name)
        question = profile.question(name)
        if value is None:
            return "?"
        if question is not None and question.choices and isinstance(value, str):
            choice = question.choice(value)
            return pick(choice.label, lang).text if choice else value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_decimal(value, locale=locale)
        return str(value)

    return fill(template, locale, value_text, values.get)
