"""The service catalog: profile questions, services, categories and life events.

A catalog comes from a folder of definitions (for authors) or from a signed package
(forms/package.py, for kiosks). Either way a broken service never takes the kiosk
down: it is left out and reported, and the rest of the catalog works.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from forms.definition import (
    DefinitionError,
    DefinitionProblem,
    Entry,
    Meaning,
    Profile,
    Service,
)
from forms.entries import parse_entries, parse_meanings
from forms.loader import parse_profile, parse_service, read_json


@dataclass
class Catalog:
    version: str = ""
    profile: Profile = field(default_factory=Profile)
    services: dict[str, Service] = field(default_factory=dict)
    categories: tuple[Entry, ...] = ()
    life_events: tuple[Entry, ...] = ()
    meanings: tuple[Meaning, ...] = ()
    problems: list[DefinitionProblem] = field(default_factory=list)
    illustrative: bool = False

    @property
    def errors(self) -> list[DefinitionProblem]:
        return [p for p in self.problems if not p.warning]

    def service(self, service_id: str) -> Service:
        return self.services[service_id]

    def in_category(self, category: str) -> list[Service]:
        return [s for s in self.services.values() if s.category == category]

    def for_life_event(self, event: str) -> list[Service]:
        return [s for s in self.services.values() if event in s.life_events]

    def search(self, text: str) -> list[Service]:
        """Services whose titles, summary or keywords contain every word typed, in any
        language."""
        words = _fold(text).split()
        if not words:
            return []
        found = []
        for service in self.services.values():
            haystack = _fold(
                " ".join(
                    [
                        *service.title.values(),
                        *service.short_title.values(),
                        *service.summary.values(),
                    ]
                    + [k for keys in service.keywords.values() for k in keys]
                )
            )
            initials = _fold(korean_initials(haystack))
            if all(w in initials if _all_initials(w) else w in haystack for w in words):
                found.append(service)
        return found


def _fold(text: str) -> str:
    """Case- and width-insensitive form for search: 'ＳＥＯＵＬ' finds 'Seoul'."""
    return unicodedata.normalize("NFKC", text).casefold()


INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
"""The 19 initial consonants of Hangul syllables, in Unicode's order."""


def korean_initials(text: str) -> str:
    """Each Hangul syllable as its initial consonant (청소년 -> ㅊㅅㄴ), the rest as is:
    Korean users search by initials, as every Korean phone keyboard lets them."""
    return "".join(INITIALS[(ord(ch) - 0xAC00) // 588] if "가" <= ch <= "힣" else ch for ch in text)


def _all_initials(word: str) -> bool:
    """A folded search word made only of initials (NFKC turns ㄱ into its conjoining form)."""
    return all(ch in _FOLDED_INITIALS for ch in word)


_FOLDED_INITIALS = _fold(INITIALS)


def build_catalog(read: Callable[[str], bytes], names: Iterable[str], origin: str) -> Catalog:
    """Assemble a catalog from files read by name: catalog.json, shared.json, services/*.json."""
    catalog = Catalog()

    def document(name: str) -> object:
        return read_json(read(name), f"{origin}/{name}")

    try:
        info = document("catalog.json")
        catalog.version, catalog.categories, catalog.life_events = parse_entries(
            info, f"{origin}/catalog.json"
        )
        catalog.meanings = parse_meanings(info, f"{origin}/catalog.json")
        catalog.illustrative = isinstance(info, dict) and info.get("illustrative") is True
        catalog.profile, warnings = parse_profile(document("shared.json"), f"{origin}/shared.json")
        catalog.problems.extend(warnings)
    except DefinitionError as exc:
        # Without the catalog's frame no service can be used: report and offer none.
        catalog.problems.extend(exc.problems)
        return catalog
    except KeyError as exc:
        catalog.problems.append(DefinitionProblem(origin, "$", f"missing file {exc.args[0]}"))
        return catalog
    categories = {c.id for c in catalog.categories}
    events = {e.id for e in catalog.life_events}
    for name in sorted(n for n in names if n.startswith("services/") and n.endswith(".json")):
        file = f"{origin}/{name}"
        try:
            service, warnings = parse_service(document(name), catalog.profile, file)
        except DefinitionError as exc:
            catalog.problems.extend(exc.problems)
            continue
        catalog.problems.extend(warnings)
        unknown = [e for e in service.life_events if e not in events]
        wrong = _meaning_problem(service, catalog.meanings)
        if service.category not in categories:
            catalog.problems.append(
                DefinitionProblem(
                    file, "$.category", f"no category {service.category!r} in catalog.json"
                )
            )
        elif unknown:
            catalog.problems.append(
                DefinitionProblem(
                    file, "$.life_events", f"no life event {unknown[0]!r} in catalog.json"
                )
            )
        elif wrong:
            catalog.problems.append(DefinitionProblem(file, wrong[0], wrong[1]))
        elif service.id in catalog.services:
            catalog.problems.append(
                DefinitionProblem(file, "$.id", f"service id {service.id!r} is defined twice")
            )
        else:
            catalog.services[service.id] = service
    _check_meanings_agree(catalog, origin)
    return catalog


def _check_meanings_agree(catalog: Catalog, origin: str) -> None:
    """One answer serves every question sharing a meaning: they must agree on whether
    an answer is required (an optional "no" must not reach a service that needs "yes")."""
    first: dict[str, tuple[str, bool]] = {}
    for service in list(catalog.services.values()):
        for question in service.questions:
            if not question.shares:
                continue
            seen = first.setdefault(question.shares, (service.id, question.required))
            if seen[1] != question.required:
                catalog.problems.append(
                    DefinitionProblem(
                        f"{origin}/services/{service.id}.json",
                        f'question "{question.id}"',
                        f"shares {question.shares!r} with {seen[0]}, which "
                        f"{'requires' if seen[1] else 'does not require'} an answer: "
                        f"make both required, or both optional",
                    )
                )
                del catalog.services[service.id]
                break


def _meaning_problem(service: Service, meanings: tuple[Meaning, ...]) -> tuple[str, str] | None:
    """(path, message) if a question shares a meaning catalog.json lacks, or of another type."""
    declared = {m.id: m for m in meanings}
    for i, question in enumerate(service.questions):
        if not question.shares:
            continue
        where = f'question "{question.id}" (questions[{i}]).shares'
        meaning = declared.get(question.shares)
        if meaning is None:
            return where, f"no meaning {question.shares!r} in catalog.json"
        if meaning.type != question.type:
            return where, (
                f"meaning {meaning.id!r} is for {meaning.type} questions, this one is "
                f"{question.type}: one answer cannot serve both"
            )
    return None


def load_catalog_folder(folder: Path) -> Catalog:
    """An unsigned source folder, as authors keep it (not for kiosks: no signature)."""
    names = [p.relative_to(folder).as_posix() for p in folder.rglob("*.json")]

    def read(name: str) -> bytes:
        path = folder / name
        if not path.is_file():
            raise KeyError(name)
        return path.read_bytes()

    return build_catalog(read, names, str(folder))
