from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from forms.catalog import load_catalog
from forms.definition import DefinitionError, load_service, parse_service
from forms.languages import LANGUAGE_CODES
from tests.conftest import ROOT

SERVICES = ROOT / "resources" / "services"


def _demo() -> dict[str, object]:
    return json.loads((SERVICES / "digital-device-access.json").read_text(encoding="utf-8"))


def test_bundled_service_loads_and_is_translated_everywhere() -> None:
    service = load_service(SERVICES / "digital-device-access.json")
    assert service.illustrative
    assert [q.type for q in service.questions] == [
        "single_choice",
        "yes_no",
        "number",
        "short_text",
    ]
    for text in (service.title, service.summary, *(q.label for q in service.questions)):
        assert set(text) == set(LANGUAGE_CODES)


def _problems(document: object) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_service(document, "bad.json")
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_every_problem_is_reported_with_its_path() -> None:
    doc = _demo()
    questions = doc["questions"]
    assert isinstance(questions, list)
    questions[0]["type"] = "telepathy"
    questions[1]["id"] = questions[2]["id"]
    questions[2]["min"] = 50
    questions[3]["label"] = {"xx": "?"}
    del doc["version"]
    problems = _problems(doc)
    assert "$.questions[0].type: unknown type 'telepathy'" in problems[0]
    assert any(p.startswith("$.questions[2].id: duplicate question id") for p in problems)
    assert any(p.startswith("$.questions[2].min: min (50) is larger than max") for p in problems)
    assert any(p.startswith("$.questions[3].label.xx: unknown language") for p in problems)
    assert "$.version: is required" in problems


@pytest.mark.parametrize(
    "document",
    [None, [], "text", 42, {"format": "ieum.service/1"}, {"questions": [None, 1, "x"]}],
)
def test_garbage_documents_are_refused_not_crashed(document: object) -> None:
    assert _problems(document)


def test_broken_files_are_left_out_of_the_catalog(tmp_path: Path) -> None:
    (tmp_path / "a-good.json").write_text(json.dumps(_demo()), encoding="utf-8")
    (tmp_path / "b-not-json.json").write_text("{ nope", encoding="utf-8")
    (tmp_path / "c-not-utf8.json").write_bytes(b'{"id": "\xff\xfe"}')
    (tmp_path / "d-deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    twin = copy.deepcopy(_demo())
    (tmp_path / "e-twin.json").write_text(json.dumps(twin), encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert list(catalog.services) == ["digital-device-access"]
    reported = {Path(p.file).name: p.message for p in catalog.problems}
    assert set(reported) == {"b-not-json.json", "c-not-utf8.json", "d-deep.json", "e-twin.json"}
    assert "not JSON" in reported["b-not-json.json"]
    assert "not UTF-8" in reported["c-not-utf8.json"]
    assert "defined twice" in reported["e-twin.json"]
