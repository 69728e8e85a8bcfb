"""The format guide promises only what the code does (issue 19).

Every field of the JSON Schemas is documented in forms/FORMAT.md, every field the guide
names is in a schema, and each one maps to the code that acts on it: the form engine
the kiosk runs (forms/) or the kiosk's screens (kiosk/). A field whose use is only
displayed and that the kiosk does not display yet is listed in AWAITING_KIOSK with the
forms API that provides it; the list may only shrink.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.conftest import ROOT

GUIDE = ROOT / "forms" / "FORMAT.md"
SCHEMAS = ROOT / "forms" / "schema"

USES: dict[str, list[tuple[str, str]]] = {
    # field: [(file, what in it uses the field)]
    "format": [("forms/schema/service.schema.json", '"const": "ieum.service/1"')],
    "id": [("forms/session.py", "question.id")],
    "version": [("forms/session.py", '"version": service.version'),
                ("forms/package.py", "version_key(catalog.version)")],
    "illustrative": [("forms/catalog.py", 'info.get("illustrative")'),
                     ("kiosk/screens/ranked.py", "service.illustrative")],
    "categories": [("kiosk/screens/services.py", "categories")],
    "category": [("forms/catalog.py", "s.category == category")],
    "life_events": [("forms/catalog.py", "event in s.life_events"),
                    ("kiosk/screens/front_door.py", "catalog.life_events"),
                    ("kiosk/journey/front_door.py", "catalog.for_life_event(")],
    "meanings": [("forms/catalog.py", "parse_meanings(info"),
                 ("kiosk/journey/questions.py", "services_for(")],
    "asked": [("kiosk/journey/questions.py", "meaning.asked")],
    "keywords": [("forms/catalog.py", "service.keywords.values()"),
                 ("kiosk/journey/front_door.py", "catalog.search(")],
    "icon": [("forms/entries.py", "icon not in shipped_icons()"),
             ("kiosk/screens/front_door.py", "icon_path(event.icon)")],
    "title": [("kiosk/screens/services.py", ".title")],
    "short_title": [("forms/definition.py", "self.short_title or self.title"),
                    ("kiosk/journey/questions.py", ".short)")],
    "summary": [("kiosk/screens/services.py", ".summary")],
    "help": [("kiosk/screens/question.py", ".help"), ("kiosk/screens/ranked.py", "service.help")],
    "eligibility": [("forms/eligibility.py", "service.eligibility")],
    "rule": [("forms/eligibility.py", "rule.rule")],
    "met": [("forms/eligibility.py", "result.rule.met")],
    "unmet": [("forms/eligibility.py", "result.rule.unmet")],
    "maybe": [("forms/eligibility.py", "result.rule.maybe"),
              ("kiosk/screens/ranked.py", "rule_text(")],
    "firm": [("forms/eligibility.py", "r.rule.firm")],
    "records": [("kiosk/journey/questions.py", "service.records")],
    "questions": [("forms/session.py", "s.questions")],
    "shared": [("forms/union.py", "question.shared")],
    "shares": [("forms/union.py", "question.shares")],
    "calculations": [("forms/session.py", "self.profile.calculations")],
    "expression": [("forms/session.py", "calc.expression")],
    "in_payload": [("forms/session.py", "c.in_payload")],
    "type": [("forms/answers.py", "_CHECKS.get(question.type)")],
    "label": [("kiosk/screens/question.py", ".label")],
    "example": [("kiosk/screens/question.py", ".example")],
    "speech": [("kiosk/spoken.py", "asked.speech")],
    "required": [("forms/answers.py", "question.required")],
    "allow_unknown": [("kiosk/screens/question.py", "allow_unknown")],
    "personal": [("forms/definition.py", "self.personal or")],
    "relevant": [("forms/session.py", "page.question.relevant")],
    "constraint": [("forms/session.py", "page.question.constraint")],
    "constraint_message": [("kiosk/messages.py", "question.constraint_message")],
    "choices": [("kiosk/screens/question_input.py", ".choices")],
    "value": [("forms/answers.py", "c.value for c in q.choices")],
    "min": [("forms/answers.py", "q.minimum")],
    "max": [("forms/answers.py", "q.maximum")],
    "unit": [("kiosk/messages.py", "question.unit")],
    "max_length": [("forms/answers.py", "q.max_length")],
    "hint": [("kiosk/messages.py", 'question.hint == "year"')],
    "pattern": [("forms/answers.py", "q.pattern")],
    "tables": [("forms/session.py", "self.profile.tables")],
    "by": [("forms/eligibility.py", "table.by")],
    "values": [("forms/definition.py", "self.values[key - 1]")],
    "table": [("forms/expressions.py", 'op == "table"'), ("forms/eligibility.py", "limit.table")],
    "up_to": [("forms/loader.py", '("up_to", "over")'),
              ("kiosk/amounts.py", "choice.up_to")],
    "over": [("forms/loader.py", '("up_to", "over")'), ("kiosk/amounts.py", "choice.over")],
    "times": [("forms/eligibility.py", "limit.times")],
}  # fmt: skip

AWAITING_KIOSK: dict[str, tuple[str, str]] = {
    # field: (the forms API the kiosk's screens are to show it with, how kiosk code
    # using it would read)
}
"""Displayed fields the kiosk does not display yet."""


def _schema_fields() -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                found.update(node["properties"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in SCHEMAS.glob("*.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def test_every_schema_field_is_in_the_guide_and_every_guide_field_is_in_a_schema() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", guide)) | set(re.findall(r'"([a-z_]+)"', guide))
    fields = _schema_fields()
    assert fields - named == set(), "in a schema, not in the guide"
    assert set(USES) == fields, "a field without its use, or a use of no field"


def test_every_field_maps_to_code_that_uses_it() -> None:
    for field, uses in USES.items():
        for file, snippet in uses:
            text = (ROOT / file).read_text(encoding="utf-8")
            assert snippet in text, f"{field}: {snippet!r} not in {file}"


def test_fields_awaiting_the_kiosk_are_not_silently_done_or_forgotten() -> None:
    kiosk = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "kiosk").rglob("*.py"))
    for field, (api, use) in AWAITING_KIOSK.items():
        assert field in USES, field
        assert use not in kiosk, f"the kiosk now uses {api}: map {field!r} to it in USES"
