"""Every catalog is complete, and no translation drops or invents a placeholder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from forms.languages import LANGUAGE_CODES
from tests.conftest import ROOT

LOCALES = ROOT / "locales"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _catalog(code: str):  # type: ignore[no-untyped-def]
    with open(LOCALES / code / "LC_MESSAGES" / "ieum.po", "rb") as f:
        return read_po(f, locale=code)


def test_template_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "ieum.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "locales/babel.cfg",
            "-k",
            "n_:1,2",
            "--no-location",
            "--sort-output",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(fresh, "rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with open(LOCALES / "ieum.pot", "rb") as f:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    assert wanted == have, "run `make translations` to refresh locales/ieum.pot and the catalogs"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_catalog_is_complete_and_placeholders_match(code: str) -> None:
    with open(LOCALES / "ieum.pot", "rb") as f:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    catalog = _catalog(code)
    problems = []
    seen = set()
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        seen.add(ids[0])
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {s!r}")
        english = re.search("[a-z]{4}", PLACEHOLDER.sub("", ids[0]))  # not "{a} · {b}"
        if code != "en" and strings[0] == ids[0] and english:
            problems.append(f"English copy, not a translation: {ids[0]!r}")
    problems += [f"missing: {m!r}" for m in sorted(template - seen)]
    assert problems == []
