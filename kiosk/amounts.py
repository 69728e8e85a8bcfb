"""Income choices in won for the resident's household size (issue 19).

"Half of the median or less" cannot be answered by someone who does not know the median;
"2 people: up to 2,340,000 won a month" can. The catalog's `up_to`/`over` limits name a
table by household size; while that size is unknown the choice keeps its words only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.definition import Profile, Question
from forms.eligibility import amount
from kiosk.i18n import Words


def choice_amounts(
    words: Words, profile: Profile, question: Question, values: Mapping[str, Any]
) -> dict[object, str]:
    """A line in won for each choice with a limit, by choice value (none while the
    household size is not known)."""
    notes: dict[object, str] = {}
    for choice in question.choices:
        limit = choice.up_to or choice.over
        table = None if limit is None else profile.table(limit.table)
        if limit is None or table is None:
            continue
        won = amount(profile, limit, values)
        people = values.get(table.by)
        if won is None or not isinstance(people, int):
            continue
        if choice.up_to is not None:
            text = words.n_(
                "{count} person: up to {amount} won a month",
                "{count} people: up to {amount} won a month",
                people,
            )
        else:
            text = words.n_(
                "{count} person: over {amount} won a month",
                "{count} people: over {amount} won a month",
                people,
            )
        notes[choice.value] = text.format(count=words.number(people), amount=words.number(won))
    return notes
