"""Loading definitions: the bundled catalog is clean; bad ones are reported precisely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.catalog import load_catalog_folder
from forms.definition import DefinitionError
from forms.languages import LANGUAGE_CODES
from forms.loader import parse_service, read_json
from tests.unit.forms_fixtures import SOURCE, catalog, service_document


def test_the_bundled_catalog_has_no_errors_or_warnings() -> None:
    loaded = catalog()
    assert [str(p) for p in loaded.problems] == []
    assert len(loaded.services) >= 8
    assert all(s.illustrative for s in loaded.services.values())


def test_every_text_in_the_catalog_is_in_all_eight_languages() -> None:
    loaded = catalog()
    texts = []
    for service in loaded.services.values():
        texts += [service.title, service.summary]
        texts += [r.met for r in service.eligibility] + [r.unmet for r in service.eligibility]
        for question in service.questions:
            texts += [question.label] + [c.label for c in question.choices]
    for entry in (*loaded.categories, *loaded.life_events):
        texts.append(entry.title)
    for text in texts:
        assert set(text) == set(LANGUAGE_CODES), text


def _problems(document: object) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_service(document, catalog().profile, "bad.json")
    assert all(p.file == "bad.json" for p in caught.value.problems)
    return [f"{p.path}: {p.message}" for p in caught.value.problems if not p.warning]


def test_shape_problems_are_all_reported_with_their_paths() -> None:
    doc = service_document()
    doc["questions"][2]["type"] = "telepathy"
    doc["questions"][3]["label"] = {"xx": "?"}
    doc["surprise"] = 1
    del doc["version"]
    problems = _problems(doc)
    assert any(p.startswith('question "device" (questions[2])') for p in problems)
    assert any(p.startswith('question "name_for_loan" (questions[3]).label') for p in problems)
    assert any("surprise" in p for p in problems)
    assert any("version" in p for p in problems)


def test_meaning_problems_name_the_path_and_the_fix() -> None:
    doc = service_document()
    questions = doc["questions"]
    questions[6]["id"] = questions[5]["id"]  # duplicate own id
    questions[4]["relevant"] = {"==": [{"var": "no_such_question"}, 1]}
    questions[5]["relevant"] = {"==": [{"var": "device"}, "laptop"]}  # not a choice
    questions.append({"shared": "no_such_shared"})
    questions.append({"id": "birth_year", "type": "yes_no", "label": {"en": "x"}})
    doc["calculations"] = [
        {"id": "a", "expression": {"+": [{"var": "b"}, 1]}},
        {"id": "b", "expression": {"+": [{"var": "a"}, 1]}},
    ]
    doc["eligibility"][0]["rule"] = {"+": [1, 2]}  # a number, not a condition
    problems = _problems(doc)
    joined = "\n".join(problems)
    assert 'question "records_lookup" (questions[6]).id: duplicate question id' in joined
    assert (
        'question "contact_phone" (questions[4]).relevant.==[0].var: '
        "unknown question or value 'no_such_question'" in joined
    )
    assert "'laptop' is not one of the choices" in joined
    assert "no shared question 'no_such_shared'" in joined
    assert "'birth_year' is a shared question" in joined
    assert "calculations depend on each other" in joined
    assert 'rule "support_or_senior" (eligibility[0]).rule: must give bool, but gives number' in (
        joined
    )


def test_type_mismatch_and_bad_pattern_are_errors() -> None:
    doc = service_document()
    doc["questions"][3]["relevant"] = {">": [{"var": "device"}, 3]}
    doc["questions"][3]["pattern"] = "([a-z"
    problems = _problems(doc)
    assert any("compares different kinds of value" in p or "needs number" in p for p in problems)
    assert any(
        p.startswith('question "name_for_loan" (questions[3]).pattern: not a valid pattern')
        for p in problems
    )


def test_missing_translation_is_a_warning_and_falls_back() -> None:
    doc = service_document()
    del doc["title"]["th"]
    _, warnings = parse_service(doc, catalog().profile, "x.json")
    assert [w.path for w in warnings] == ["$.title"]
    assert warnings[0].warning and "th" in warnings[0].message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{ nope", "not JSON"),
        (b'{"id": "\xff\xfe"}', "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b" " * (3 * 1024 * 1024), "larger than"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(raw: bytes, message: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        read_json(raw, "bad.json")
    assert message in str(caught.value)


def test_a_broken_service_is_left_out_and_the_rest_works(tmp_path: Path) -> None:
    for path in SOURCE.rglob("*.json"):
        target = tmp_path / path.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (tmp_path / "services" / "zz-broken.json").write_text("{ nope", encoding="utf-8")
    twin = service_document()
    (tmp_path / "services" / "zz-twin.json").write_text(json.dumps(twin), encoding="utf-8")
    loaded = load_catalog_folder(tmp_path)
    assert set(loaded.services) == set(catalog().services)
    files = {Path(p.file).name for p in loaded.errors}
    assert files == {"zz-broken.json", "zz-twin.json"}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("청년 수당", "seoul-youth-allowance"),
        ("ＴＡＢＬＥＴ", "digital-device-access"),
        ("Планшет", "digital-device-access"),
    ],
)
def test_search_in_any_language(words: str, expected: str) -> None:
    assert expected in [s.id for s in catalog().search(words)]
    assert catalog().search(words + " zzzzqq") == []


def test_categories_and_life_events_find_services() -> None:
    loaded = catalog()
    assert {s.id for s in loaded.for_life_event("turning_65")} >= {"senior-transport-welfare"}
    assert all(loaded.in_category(c.id) for c in loaded.categories)
    assert catalog().search("   ") == []


def test_a_question_used_before_it_is_asked_says_so_and_what_to_do() -> None:
    doc = service_document()
    doc["questions"][3]["relevant"] = {"answered": "contact_phone"}  # asked at [4]
    [problem] = _problems(doc)
    assert problem == (
        'question "name_for_loan" (questions[3]).relevant.answered: '
        "'contact_phone' is asked later (questions[4]): an expression may use only profile "
        "values and questions asked before it; move 'contact_phone' earlier or this "
        "question later"
    )


def test_an_eligibility_rule_on_a_service_question_says_rules_use_the_profile() -> None:
    doc = service_document()
    doc["eligibility"][0]["rule"] = {"==": [{"var": "device"}, "tablet"]}
    [problem] = _problems(doc)
    assert problem.startswith('rule "support_or_senior" (eligibility[0]).rule.==[0].var: ')
    assert "eligibility rules may use only profile values" in problem
    assert "'device' is a question of this service" in problem


def test_shared_questions_may_have_constraints_but_not_relevance() -> None:
    from forms.loader import parse_profile

    document = json.loads((SOURCE / "shared.json").read_text(encoding="utf-8"))
    document["questions"][2]["constraint"] = {"<=": [{"var": "household_size"}, 12]}
    profile, _ = parse_profile(document)
    assert profile.question("household_size").constraint is not None  # type: ignore[union-attr]
    document["questions"][2]["relevant"] = {"==": [{"var": "residence"}, "seoul"]}
    document["questions"][0]["constraint"] = {"<": [{"var": "birth_year"}, {"var": "age"}]}
    with pytest.raises(DefinitionError) as caught:
        parse_profile(document)
    joined = "\n".join(str(p) for p in caught.value.problems if not p.warning)
    assert 'question "household_size" (questions[2]).relevant: error: shared questions' in joined
    assert "unknown question or value 'age'" in joined
