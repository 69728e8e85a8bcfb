"""One application for several services: each declared meaning asked once (issue 19)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from forms.catalog import load_catalog_folder
from forms.session import SHARED, FormSession
from forms.union import split, union
from tests.unit.forms_fixtures import SOURCE, TODAY, catalog

FAKE: dict[str, Any] = {
    "number": 2, "phone": "010-0000-0000", "short_text": "Test", "yes_no": True,
    "consent": True, "records_consent": True, "date": "2026-01-05",
    "resident_number": "5001011000000", "info": None,
}  # fmt: skip


def _fake(question: Any) -> Any:
    if question.id == "birth_year":
        return 1950
    if question.pattern:
        return "0" * 16  # the demo's one pattern: a 16-digit card number
    if question.type == "single_choice":
        return question.choices[0].value
    if question.type == "multiple_choice":
        return [question.choices[0].value]
    return FAKE[question.type]


def test_all_eight_demo_services_ask_phone_records_consent_and_agreement_once() -> None:
    services = sorted(catalog().services.values(), key=lambda s: s.id)
    assert len(services) == 8
    session = FormSession(services, catalog().profile, "en", today=TODAY)
    asked: Counter[str] = Counter()
    while session.current is not None:
        question = session.current
        asked[question.shares or question.id] += 1
        verdict = session.answer(_fake(question))
        assert verdict.accepted, (question.id, verdict)
        assert session.next()
    assert asked["contact_phone"] == 1 and asked["agreement"] == 1
    assert asked["records_consent"] == 1
    assert all(n == 1 for n in asked.values()), asked
    payloads = session.finalize()
    assert len(payloads) == 8
    for payload in payloads:
        service = catalog().service(payload["service"]["id"])
        for question in service.questions:
            if question.shares == "agreement":
                assert payload["answers"][question.id] is True
            if question.shares == "contact_phone":
                assert payload["answers"][question.id] == "01000000000"
            if question.shares == "records_consent":
                assert payload["answers"][question.id] is True
    pages = {(p.question.shares, p.scope): p for p in session.pages if p.question.shares}
    agreement = next(p for (m, _), p in pages.items() if m == "agreement")
    assert set(session.services_for(agreement)) == {s.id for s in services}
    birth = next(p for p in session.pages if p.question.id == "birth_year")
    assert birth.scope == SHARED and "youth-transport" in session.services_for(birth)


def test_split_gives_each_service_its_own_ids() -> None:
    services = [catalog().service("digital-device-access"), catalog().service("emergency-welfare")]
    pages, aliases = union(services)
    assert aliases[("emergency-welfare", "contact_phone")] == (
        "digital-device-access",
        "contact_phone",
    )
    answers = {
        ("digital-device-access", "contact_phone"): "01000000000",
        (SHARED, "household_size"): 2,
    }
    both = split(services, aliases, answers)
    assert both["emergency-welfare"]["contact_phone"] == "01000000000"
    assert both["digital-device-access"]["household_size"] == 2
    assert [p.services for p in pages if p.question.id == "contact_phone"] == [
        ("digital-device-access", "emergency-welfare")
    ]


def test_same_ids_without_a_declared_meaning_are_asked_twice(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SOURCE, folder)
    for name in ("digital-device-access", "emergency-welfare"):
        path = folder / "services" / f"{name}.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        for question in document["questions"]:
            question.pop("shares", None)
        path.write_text(json.dumps(document), encoding="utf-8")
    loaded = load_catalog_folder(folder)
    services = [loaded.service("digital-device-access"), loaded.service("emergency-welfare")]
    pages, aliases = union(services)
    assert aliases == {}
    assert [p.question.id for p in pages].count("contact_phone") == 2


def test_a_meaning_of_another_type_or_undeclared_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    shutil.copytree(SOURCE, folder)
    path = folder / "services" / "digital-tutor-class.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["questions"][2]["shares"] = "contact_phone"  # own_device: yes_no
    path.write_text(json.dumps(document), encoding="utf-8")
    path = folder / "services" / "youth-transport.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["questions"][-1]["shares"] = "agreemnt"
    path.write_text(json.dumps(document), encoding="utf-8")
    problems = [str(p) for p in load_catalog_folder(folder).errors]
    assert any("meaning 'contact_phone' is for phone questions, this one is yes_no" in p
               for p in problems), problems  # fmt: skip
    assert any("no meaning 'agreemnt' in catalog.json" in p for p in problems), problems


def test_a_meaning_carries_its_own_words_for_a_page_asked_for_several() -> None:
    """The demo's phone meaning says what the shared page asks, in every language: not
    the first service's "…when the device is ready?"."""
    [phone] = [m for m in catalog().meanings if m.id == "contact_phone"]
    assert set(phone.asked) == {"ko", "en", "zh_Hans", "ja", "vi", "th", "mn", "ru"}
    assert phone.asked["en"] == "Which phone number can we call you on about your applications?"
    [records] = [m for m in catalog().meanings if m.id == "records_consent"]
    assert records.asked == {}  # optional: the first service's words then
