"""`forms merge`: two catalogs into one, or every conflict and nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from forms.catalog import load_catalog_folder
from forms.merge import MergeError, difference, merge
from tests.conftest import ROOT
from tests.unit.forms_fixtures import SOURCE, catalog


def _half(tmp_path: Path, name: str, services: list[str]) -> Path:
    """The demo catalog with only some of its services."""
    folder = tmp_path / name
    shutil.copytree(SOURCE, folder)
    for path in (folder / "services").glob("*.json"):
        if path.stem not in services:
            path.unlink()
    return folder


def _edit(path: Path, change: object) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def test_two_halves_merge_into_the_whole(tmp_path: Path) -> None:
    ids = sorted(catalog().services)
    a = _half(tmp_path, "a", ids[:4])
    b = _half(tmp_path, "b", ids[3:])  # one service in both, identical: kept once
    _edit(b / "catalog.json", lambda d: d.update(version="2027.1.1"))
    assert merge(a, b, tmp_path / "out") == 8
    merged = load_catalog_folder(tmp_path / "out")
    assert merged.errors == [] and sorted(merged.services) == ids
    assert merged.version == "2027.1.1"  # the newer, unless --version says
    assert [e.id for e in merged.life_events] == [e.id for e in catalog().life_events]


def test_conflicts_name_both_files_and_the_field_and_nothing_is_written(tmp_path: Path) -> None:
    ids = sorted(catalog().services)
    a = _half(tmp_path, "a", ids[:4])
    b = _half(tmp_path, "b", ids[3:])
    _edit(b / "catalog.json", lambda d: d["categories"][0]["title"].update(en="Welfare"))
    _edit(b / "shared.json", lambda d: d["questions"][2].update(max=30))
    _edit(b / "services" / f"{ids[3]}.json", lambda d: d.update(version="9"))
    with pytest.raises(MergeError) as caught:
        merge(a, b, tmp_path / "out")
    problems = caught.value.problems
    assert len(problems) == 3, problems
    assert (
        f"{a}/catalog.json and {b}/catalog.json: categories 'welfare' differs at title.en"
        in (problems[0])
    )
    assert "questions 'household_size' differs at max" in problems[1]
    assert f"{ids[3]}.json: the same service differs at version" in problems[2]
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".merge-*"))


def test_merge_on_the_command_line(tmp_path: Path) -> None:
    a = _half(tmp_path, "a", ["youth-transport"])
    b = _half(tmp_path, "b", ["senior-transport-welfare"])
    _edit(b / "shared.json", lambda d: d["questions"][0].update(min=1800))
    run = [sys.executable, "-m", "forms", "merge", str(a), str(b), "--out", str(tmp_path / "o")]
    result = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "questions 'birth_year' differs at min" in result.stdout
    _edit(b / "shared.json", lambda d: d["questions"][0].update(min=1900))
    result = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{tmp_path / 'o'}: 2 services"


def test_difference_finds_the_first_differing_field() -> None:
    assert difference({"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}) == "a[1].b"
    assert difference({"a": 1}, {"a": 1, "c": 2}) == "c"
    assert difference([1], [1, 2]) == "the whole value"
    assert difference({"x": 1}, {"x": 1}) == ""
