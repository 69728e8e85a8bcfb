"""catalog.json: its version, categories and life events (with their icons), and the
meanings that let several services share one answer."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from forms.definition import DefinitionError, Entry, Meaning
from forms.loader import _Checker, _finish, check_shape

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
"""The icons the kiosk ships (SVG): the only names a catalog's icon may take."""


@cache
def shipped_icons() -> frozenset[str]:
    return frozenset(p.stem for p in ICONS.glob("*.svg"))


def icon_path(name: str) -> Path | None:
    """The SVG of a shipped icon, for the kiosk to draw; None for an unknown name."""
    return ICONS / f"{name}.svg" if name in shipped_icons() else None


def parse_entries(document: Any, file: str) -> tuple[str, tuple[Entry, ...], tuple[Entry, ...]]:
    """catalog.json: (version, categories, life events)."""
    problems = check_shape(document, "catalog.schema.json", file)
    if problems:
        raise DefinitionError(problems)
    c = _Checker(file, document)

    def entries(key: str) -> tuple[Entry, ...]:
        result = []
        seen: set[str] = set()
        for i, raw in enumerate(document[key]):
            if raw["id"] in seen:
                c.error(f"$.{key}[{i}].id", f"duplicate id {raw['id']!r}")
            seen.add(raw["id"])
            icon = raw.get("icon")
            if icon is not None and icon not in shipped_icons():
                c.error(
                    f"$.{key}[{i}].icon",
                    f"no icon {icon!r} in resources/icons/; "
                    f"shipped: {', '.join(sorted(shipped_icons()))}",
                )
            result.append(
                Entry(raw["id"], c.text(raw["title"], f"$.{key}[{i}].title"), raw.get("icon", ""))
            )
        return tuple(result)

    found = (str(document["version"]), entries("categories"), entries("life_events"))
    return _finish(c, found)[0]


def parse_meanings(document: Any, file: str) -> tuple[Meaning, ...]:
    """catalog.json's meanings (its shape checked by parse_entries first)."""
    c = _Checker(file, document)
    meanings: list[Meaning] = []
    for i, raw in enumerate(document.get("meanings", ())):
        if any(m.id == raw["id"] for m in meanings):
            c.error(f"$.meanings[{i}].id", f"duplicate id {raw['id']!r}")
        asked = c.text(raw["asked"], f"$.meanings[{i}].asked") if "asked" in raw else {}
        meanings.append(
            Meaning(raw["id"], raw["type"], c.text(raw["title"], f"$.meanings[{i}].title"), asked)
        )
    return _finish(c, tuple(meanings))[0]
