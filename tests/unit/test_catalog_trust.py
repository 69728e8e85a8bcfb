"""Which signed catalogs a device installs (issue 16): never an older one, never after
its signed expiry, and a hostile number in a definition is refused, not a crash."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from forms.package import (
    PackageError,
    SigningKey,
    build_package,
    install_package,
    load_device_catalog,
    load_package,
    load_private_key,
    version_key,
)
from tests.unit.forms_fixtures import SOURCE

CATALOG = SOURCE.parent
KEY = SigningKey.from_text((CATALOG / "DEMO-ONLY-signing-key.pub").read_text())
PRIVATE = load_private_key(CATALOG / "DEMO-ONLY-signing-key.pem")


def _source(tmp_path: Path, version: str) -> Path:
    folder = tmp_path / f"source-{version}"
    shutil.copytree(SOURCE, folder)
    info = json.loads((folder / "catalog.json").read_text())
    info["version"] = version
    (folder / "catalog.json").write_text(json.dumps(info, ensure_ascii=False))
    return folder


def test_versions_compare_as_numbers() -> None:
    assert version_key("2026.11.2") > version_key("2026.9.10") > version_key("2024.01.1")


def test_an_older_signed_catalog_does_not_roll_the_device_back(tmp_path: Path) -> None:
    folder = tmp_path / "installed"
    newer = build_package(_source(tmp_path, "2026.11.2"), PRIVATE)
    older = build_package(_source(tmp_path, "2024.01.1"), PRIVATE)
    assert install_package(newer, KEY, folder).version == "2026.11.2"
    with pytest.raises(PackageError, match="not newer"):
        install_package(older, KEY, folder)
    assert (folder / "catalog.ieumcat").read_bytes() == newer
    assert install_package(newer, KEY, folder).version == "2026.11.2"  # the same again: fine
    newest = build_package(_source(tmp_path, "2026.12.1"), PRIVATE)
    assert install_package(newest, KEY, folder).version == "2026.12.1"


def test_an_expired_catalog_is_refused(tmp_path: Path) -> None:
    now = time.time()
    source = _source(tmp_path, "2026.12.1")
    stale = build_package(source, PRIVATE, expires=int(now) - 1)
    with pytest.raises(PackageError, match="expired"):
        install_package(stale, KEY, tmp_path / "a")
    fresh = build_package(source, PRIVATE, expires=int(now) + 3600)
    install_package(fresh, KEY, tmp_path / "b", now=now)
    later = load_device_catalog(tmp_path / "b", CATALOG / "demo.ieumcat", KEY, KEY, now + 7200)
    assert later.source == "bundled" and "expired" in later.refused
    soon = load_device_catalog(tmp_path / "b", CATALOG / "demo.ieumcat", KEY, KEY, now + 60)
    assert soon.source == "installed"


def test_a_huge_number_in_a_signed_definition_is_refused_not_a_crash(tmp_path: Path) -> None:
    source = _source(tmp_path, "2026.12.1")
    path = next((source / "services").glob("*.json"))
    definition = json.loads(path.read_text())
    text = json.dumps(definition, ensure_ascii=False)
    # A number of 5,000 digits, where a version number would otherwise be.
    text = text.replace('"format"', '"huge": ' + "9" * 5000 + ', "format"', 1)
    path.write_text(text)
    package = build_package(source, PRIVATE)
    try:
        catalog = load_package(package, KEY)
    except PackageError:
        return  # refused whole: fine too
    assert any("number" in str(problem) for problem in catalog.errors)
