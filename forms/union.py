"""One application for several services: their questions, each meaning asked once.

Services declare what a question means (`"shares": "contact_phone"`, a meaning listed
in catalog.json); when a resident applies for several at once, the first service that
asks a meaning asks it for all of them, and the others' questions take that answer.
Profile questions (shared.json) are asked once anyway. The split gives each service
back its own answers under its own question ids, for its own payload.

Sharing is by declared meaning, never by an accident of ids: two services' `phone`
questions without `shares` are both asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from forms.answers import Answer
from forms.definition import Question, Service

SHARED = ""
"""The scope of profile questions (the same as forms.session.SHARED)."""

Key = tuple[str, str]
"""(scope, question id): where an answer is kept."""


@dataclass(frozen=True)
class Asked:
    """One page of the union: the question shown, where its answer is kept, and every
    service question it answers (the kiosk names these services on the review page and
    lists each one's records on a shared records-consent page)."""

    question: Question
    scope: str
    members: tuple[tuple[str, Question], ...]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(service_id for service_id, _ in self.members)


def union(services: Sequence[Service]) -> tuple[list[Asked], dict[Key, Key]]:
    """The services' own questions in order, a shared meaning at its first place only;
    and, for each question left out, the key of the answer it takes."""
    first: dict[str, int] = {}
    pages: list[Asked] = []
    aliases: dict[Key, Key] = {}
    for service in services:
        for question in service.questions:
            if question.shared:
                continue
            if question.shares and question.shares in first:
                index = first[question.shares]
                owner = pages[index]
                pages[index] = Asked(
                    owner.question, owner.scope, (*owner.members, (service.id, question))
                )
                aliases[(service.id, question.id)] = (owner.scope, owner.question.id)
                continue
            if question.shares:
                first[question.shares] = len(pages)
            pages.append(Asked(question, service.id, ((service.id, question),)))
    return pages, aliases


def answer_key(service_id: str, question: Question, aliases: Mapping[Key, Key]) -> Key:
    """Where the answer to one service's question is kept."""
    if question.shared:
        return (SHARED, question.id)
    return aliases.get((service_id, question.id), (service_id, question.id))


def split(
    services: Sequence[Service], aliases: Mapping[Key, Key], answers: Mapping[Key, Answer]
) -> dict[str, dict[str, Answer]]:
    """Each service's answers under its own question ids (absent: not answered)."""
    result: dict[str, dict[str, Answer]] = {}
    for service in services:
        own: dict[str, Answer] = {}
        for question in service.questions:
            key = answer_key(service.id, question, aliases)
            if key in answers:
                own[question.id] = answers[key]
        result[service.id] = own
    return result
