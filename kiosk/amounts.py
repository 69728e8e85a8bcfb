"""Income choices in won for the resident's household size (issue 19).

"Half of the median or less" cannot be answered by someone who does not know the median;
"2 people: up to 2,340,000 won a month" can. The catalog's `up_to`/`over` limits name a
table by household size; while that size is unknown the choice keeps its words only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.definition import Profile, Question
from forms.eligibility import amount
from kiosk.i18n import Words


@dataclass(frozen=True)
class Amounts:
    """The income choices' limits in won, in two forms: a whole line under each
    choice's words, or (where the screen has no room for both) a heading said once over
    the choices and the amount alone on each."""

    lines: dict[object, str] = field(default_factory=dict)
    """By choice value: "2 people: up to 2,340,000 won a month"."""
    heading: str = ""
    """ "For 2 people, each month:" """
    short: dict[object, str] = field(default_factory=dict)
    """By choice value: "up to 2,340,000 won"."""


def choice_amounts(
    words: Words, profile: Profile, question: Question, values: Mapping[str, Any]
) -> Amounts:
    """The amounts in won of each choice with a limit (none while the household size
    is not known)."""
    notes: dict[object, str] = {}
    short: dict[object, str] = {}
    heading = ""
    for choice in question.choices:
        limit = choice.up_to or choice.over
        table = None if limit is None else profile.table(limit.table)
        if limit is None or table is None:
            continue
        won = amount(profile, limit, values)
        people = values.get(table.by)
        if won is None or not isinstance(people, int):
            continue
        count, won_text = words.number(people), words.number(won)
        heading = words.n_(
            "For {count} person, each month:", "For {count} people, each month:", people
        ).format(count=count)
        if choice.up_to is not None:
            alone = words._("up to {amount} won")
            text = words.n_(
                "{count} person: up to {amount} won a month",
                "{count} people: up to {amount} won a month",
                people,
            )
        else:
            alone = words._("over {amount} won")
            text = words.n_(
                "{count} person: over {amount} won a month",
                "{count} people: over {amount} won a month",
                people,
            )
        short[choice.value] = alone.format(amount=won_text)
        notes[choice.value] = text.format(count=count, amount=won_text)
    return Amounts(notes, heading, short)
