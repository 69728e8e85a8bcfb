"""10,000 malformed definitions: each is refused with a precise report, none crashes.

Mutations of the real sample services (seeded, so a failure can be replayed): keys
removed or renamed, values of the wrong kind, huge strings, deep nesting, duplicate
ids, expressions naming unknown questions, bad patterns, and bytes that are not UTF-8
or not JSON.
"""

from __future__ import annotations

import json
import random
from typing import Any

from forms.definition import DefinitionError
from forms.loader import check_shape, parse_service, read_json
from tests.unit.forms_fixtures import all_service_documents, catalog

COUNT = 10_000
WRONG_VALUES: list[Any] = [
    None, 0, -1, 1e308, True, "", "x" * 5000, [], {}, [[[[[]]]]], {"var": "nope"},
    {"==": [{"var": "device"}, "laptop"]}, "([a-z", "(a+)+$", "\udcff", "\u202e", "é" * 3000,
]  # fmt: skip


def _paths(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if len(here) > 12:
        return found
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*here, index))
    return found


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


def _mutate(doc: Any, rng: random.Random) -> Any:
    paths = [p for p in _paths(doc) if p]
    path = rng.choice(paths)
    parent, last = _parent(doc, path), path[-1]
    kind = rng.randrange(8)
    if kind == 0:
        del parent[last]
    elif kind == 1:
        parent[last] = rng.choice(WRONG_VALUES)
    elif kind == 2 and isinstance(parent, dict):
        parent[f"unexpected_{rng.randrange(99)}"] = parent[last]
    elif kind == 3 and isinstance(parent, list):
        parent.append(parent[last])  # a duplicate: ids clash
    elif kind == 4:
        deep: Any = 1
        for _ in range(rng.choice([40, 400, 5000])):
            deep = [deep] if rng.random() < 0.5 else {"!": deep}
        parent[last] = deep
    elif kind == 5:
        questions = doc.get("questions") if isinstance(doc, dict) else None
        if isinstance(questions, list) and questions and isinstance(questions[-1], dict):
            questions[-1]["relevant"] = {"==": [{"var": rng.choice(["ghost", "device", "age"])}, 3]}
            questions[-1]["pattern"] = rng.choice(["([", "(?P<x", "a{99999999999}", "[z-a]"])
    elif kind == 6:
        return rng.choice([[], "text", 42, None])
    else:
        parent[last] = {"shared": rng.choice(["ghost", "birth_year", 3])}
    return doc


def _as_bytes(doc: Any, rng: random.Random) -> bytes:
    try:
        raw = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return b"[" * 3000
    if rng.random() < 0.1:
        position = rng.randrange(len(raw))
        raw = raw[:position] + bytes([rng.randrange(256)]) + raw[position + 1 :]
    return raw


PATHS = ("$", "question ", "rule ", "calculation ", "record ", "category ", "life event ")
"""A problem's path: JSON, or an item of a list named by its id (forms.loader.readable)."""


def test_malformed_definitions_are_reported_never_crash() -> None:
    rng = random.Random(20261122)
    profile = catalog().profile
    originals = all_service_documents()
    rejected = accepted = 0
    for n in range(COUNT):
        doc = json.loads(json.dumps(rng.choice(originals)))
        for _ in range(rng.randint(1, 3)):
            doc = _mutate(doc, rng)
            if not isinstance(doc, dict):
                break
        raw = _as_bytes(doc, rng)
        name = f"fuzz-{n}.json"
        try:
            parse_service(read_json(raw, name), profile, name)
        except DefinitionError as exc:
            rejected += 1
            assert exc.problems, name
            for problem in exc.problems:
                assert problem.file == name and problem.path.startswith(PATHS), problem
                assert problem.message
        else:
            # Accepted: the mutation left a valid definition, so the schema agrees.
            accepted += 1
            assert check_shape(json.loads(raw), "service.schema.json", name) == []
    assert rejected + accepted == COUNT
    assert rejected > COUNT * 0.8, (rejected, accepted)
