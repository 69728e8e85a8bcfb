"""The schemas compiled to Python at set-up check exactly what the schemas say, and are
never used once a schema has changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import fastjsonschema
import pytest

from forms import compiled_schemas

SOURCE = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "source"


@pytest.fixture
def fresh() -> Iterator[None]:
    compiled_schemas.write()
    compiled_schemas.validator.cache_clear()
    compiled_schemas.schemas_digest.cache_clear()
    yield
    compiled_schemas.validator.cache_clear()
    compiled_schemas.schemas_digest.cache_clear()


def _documents() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = [
        ("catalog.schema.json", json.loads((SOURCE / "catalog.json").read_text("utf-8"))),
        ("shared.schema.json", json.loads((SOURCE / "shared.json").read_text("utf-8"))),
    ]
    for path in sorted((SOURCE / "services").glob("*.json")):
        found.append(("service.schema.json", json.loads(path.read_text("utf-8"))))
    return found


def _origin(check: compiled_schemas.Validator) -> str:
    """The module a validating function was written in ("" when compiled at run time)."""
    return getattr(check, "__module__", None) or ""


def _outcome(check: compiled_schemas.Validator, document: object) -> str:
    try:
        check(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        return exc.message
    return "ok"


def test_the_written_code_is_used_and_judges_as_the_schema_does(fresh: None) -> None:
    documents = _documents()
    assert len(documents) >= 10
    for name, document in documents:
        check = compiled_schemas.validator(name)
        assert _origin(check).startswith("forms.schema_code."), name
        compiled_now = fastjsonschema.compile(compiled_schemas.draft07(name))
        assert _outcome(check, document) == "ok"
        # The same verdict and message on documents broken in three ways.
        broken: list[object] = [
            {**document, "unknown_field": 1},  # type: ignore[dict-item]
            {k: 12345 for k in document},  # type: ignore[attr-defined]
            [],
        ]
        for bad in broken:
            assert _outcome(check, bad) == _outcome(compiled_now, bad) != "ok"


def test_code_written_for_other_schemas_is_not_used(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled_schemas, "schemas_digest", lambda: "a schema was edited")
    check = compiled_schemas.validator("service.schema.json")
    assert not _origin(check).startswith("forms.schema_code.")
    assert _outcome(check, []) != "ok"
