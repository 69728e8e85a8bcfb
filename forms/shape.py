"""The first pass over a definition file: bytes to JSON, and JSON to the schema's shape,
every problem with a path an author can find (`question "pension" (questions[9])`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from forms import compiled_schemas
from forms.definition import DefinitionError, DefinitionProblem

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

SCHEMAS = compiled_schemas.SCHEMAS
MAX_FILE_BYTES = 2 * 1024 * 1024


@cache
def _validator(name: str) -> Draft202012Validator:
    """jsonschema, for the precise list of problems once the fast check has failed: it is
    imported only then (~40 ms that a good catalog never pays at the kiosk's start)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    resources = []
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
        resources.append((path.name, Resource.from_contents(schema)))
    registry: Registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, registry=registry)


def _fast_validator(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema (see forms/compiled_schemas.py)."""
    return compiled_schemas.validator(name)


def read_json(raw: bytes, file: str) -> Any:
    """Parse bytes as JSON, or raise DefinitionError saying why not."""

    def fail(message: str) -> DefinitionError:
        return DefinitionError([DefinitionProblem(file, "$", message)])

    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_small_int, parse_float=_small_float)
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise fail("nested too deeply") from None
    except ValueError as exc:  # a number out of bounds (ours, or Python's digit limit)
        raise fail(str(exc)[:80]) from None


MAX_NUMBER_CHARS = 40
"""No definition needs a longer number; Python refuses ints past 4,300 digits with a
bare ValueError, and converting long ones costs quadratic time."""


def _small_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number longer than {MAX_NUMBER_CHARS} characters")
    return int(text)


def _small_float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else float("inf")
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"a number too large (or longer than {MAX_NUMBER_CHARS} characters)")
    return value


_INDEXED = re.compile(
    r"^\$\.(questions|eligibility|calculations|records|categories|life_events)\[(\d+)\]"
)
_SINGULAR = {
    "questions": "question", "eligibility": "rule", "calculations": "calculation",
    "records": "record", "categories": "category", "life_events": "life event",
    "meanings": "meaning", "tables": "table",
}  # fmt: skip


def readable(document: Any, path: str) -> str:
    """`$.questions[9].constraint` as `question "pension" (questions[9]).constraint`: an
    author looks for the id, not for the tenth item of a list."""
    match = _INDEXED.match(path)
    if not match or not isinstance(document, dict):
        return path
    key, index = match.group(1), int(match.group(2))
    items = document.get(key)
    item = items[index] if isinstance(items, list) and index < len(items) else None
    name = item.get("id", item.get("shared")) if isinstance(item, dict) else None
    if not isinstance(name, str):
        return path
    return f'{_SINGULAR[key]} "{name}" ({key}[{index}]){path[match.end() :]}'


def check_shape(document: Any, schema: str, file: str) -> list[DefinitionProblem]:
    """Every place where `document` does not match the schema, most precise first."""
    try:
        _fast_validator(schema)(document)
        return []
    except fastjsonschema.JsonSchemaValueException as exc:
        fast_message = exc.message
    except RecursionError:
        return [DefinitionProblem(file, "$", "nested too deeply")]
    problems = []
    try:
        errors = sorted(_validator(schema).iter_errors(document), key=lambda e: e.json_path)
    except RecursionError:
        return [DefinitionProblem(file, "$", "nested too deeply")]
    if not errors:  # the two validators disagree: trust the stricter one, say so plainly
        return [DefinitionProblem(file, "$", fast_message.replace("data", "$", 1))]
    for error in errors:
        path = readable(document, error.json_path)
        problems.append(DefinitionProblem(file, path, _message(error)))
    return problems


def _message(error: Any) -> str:
    """jsonschema's message, without pasting a whole definition into it."""
    rule = error.validator_value
    if error.validator == "not" and isinstance(rule, dict) and "required" in rule:
        return f"this type of question does not take {', '.join(rule['required'])}"
    message = str(error.message)
    if len(message) > 200:
        return f"does not fit the format here ({error.validator} in {error.schema_path[-1]})"
    return message
