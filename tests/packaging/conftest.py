"""The Debian package, built once per test session (or taken from $IEUM_TEST_DEB)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make package`'s build script into a temporary folder: ~25 s with pip's cache warm."""
    given = os.environ.get("IEUM_TEST_DEB")
    if given:
        return Path(given)
    if shutil.which("dpkg-deb") is None:
        pytest.skip("not a Debian system (no dpkg-deb)")
    out = tmp_path_factory.mktemp("deb")
    done = subprocess.run(
        ["sh", str(ROOT / "packaging" / "build-deb.sh"), str(out)],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    built = sorted(out.glob("ieum_*.deb"))
    assert len(built) == 1, done.stderr[-3000:]
    return built[0]
