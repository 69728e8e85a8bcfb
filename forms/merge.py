"""Two catalog folders into one, or the list of every conflict between them.

A district's catalog and the city's, say: categories, life events, meanings, shared
questions, tables, calculations and services are joined by id. The same id with the
same content is kept once; the same id with different content is a conflict that
names both files and the first field where they differ, and nothing is written.
The result is validated like any catalog before it is written.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.catalog import load_catalog_folder
from forms.package import version_key

_LISTS = {
    "catalog.json": ("categories", "life_events", "meanings"),
    "shared.json": ("questions", "tables", "calculations"),
}


class MergeError(Exception):
    """The catalogs cannot be merged; `problems` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def difference(a: Any, b: Any, path: str = "") -> str:
    """The first place where two JSON values differ, as a path ("title.en"); "" if equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}".lstrip(".")
            found = difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return ""
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return ""
    return "" if a == b else (path.lstrip(".") or "the whole value")


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _join(
    name: str, key: str, a: dict[str, Any], b: dict[str, Any], where: tuple[Path, Path]
) -> tuple[list[Any], list[str]]:
    """A list of items by id: a's, then b's new ones; conflicts for different twins."""
    items = list(a.get(key, []))
    by_id = {item.get("id"): item for item in items}
    problems = []
    for item in b.get(key, []):
        twin = by_id.get(item.get("id"))
        if twin is None:
            items.append(item)
        elif twin != item:
            problems.append(
                f"{where[0] / name} and {where[1] / name}: {key} {item.get('id')!r} "
                f"differs at {difference(twin, item)}: make them the same, or rename one"
            )
    return items, problems


def merge(a: Path, b: Path, out: Path, version: str | None = None) -> int:
    """Write the merge of catalog folders `a` and `b` to `out` (which must not exist);
    the number of services. MergeError with every conflict, and nothing written."""
    problems = [f"{p}" for folder in (a, b) for p in load_catalog_folder(folder).errors]
    if problems:
        raise MergeError([f"fix first: {p}" for p in problems])
    if out.exists():
        raise MergeError([f"{out} exists: merge writes a new folder"])
    documents: dict[str, dict[str, Any]] = {}
    for name, keys in _LISTS.items():
        first, second = _read(a / name), _read(b / name)
        merged = dict(first)
        for key in keys:
            items, found = _join(name, key, first, second, (a, b))
            problems += found
            if items or key in first or key in second:
                merged[key] = items
        documents[name] = merged
    info = documents["catalog.json"]
    versions = [
        str(_read(a / "catalog.json")["version"]),
        str(_read(b / "catalog.json")["version"]),
    ]
    info["version"] = version or max(versions, key=version_key)
    info["illustrative"] = any(_read(f / "catalog.json").get("illustrative") for f in (a, b))
    services: dict[str, tuple[Path, bytes]] = {}
    for folder in (a, b):
        for path in sorted((folder / "services").glob("*.json")):
            data = path.read_bytes()
            twin = services.get(path.name)
            if twin is None:
                services[path.name] = (path, data)
            elif json.loads(twin[1]) != json.loads(data):
                where = difference(json.loads(twin[1]), json.loads(data))
                problems.append(
                    f"{twin[0]} and {path}: the same service differs at {where}: keep one "
                    f"version, or give the other its own id and file name"
                )
    if problems:
        raise MergeError(problems)
    _write(out, documents, services, lambda folder: load_catalog_folder(folder).errors)
    return len(services)


def _write(
    out: Path,
    documents: dict[str, dict[str, Any]],
    services: dict[str, tuple[Path, bytes]],
    errors_of: Callable[[Path], list[Any]],
) -> None:
    """Write beside `out`, validate, then move into place: never half a catalog."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".merge-", dir=out.parent))
    try:
        for name, document in documents.items():
            text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
            (staging / name).write_text(text, encoding="utf-8")
        (staging / "services").mkdir()
        for name, (_, data) in services.items():
            (staging / "services" / name).write_bytes(data)
        errors = errors_of(staging)
        if errors:
            raise MergeError([f"the merged catalog does not validate: {e}" for e in errors])
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
