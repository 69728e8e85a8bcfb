"""`make package` from a release tarball (`git archive`, no .git): the same package as from
the work tree, its file times the archived commit's."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(1800)


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def _members(deb: Path, folder: Path) -> list[tarfile.TarInfo]:
    data = folder / f"{deb.stem}.tar"
    with data.open("wb") as out:
        subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=out, check=True)
    with tarfile.open(data) as tar:
        members = tar.getmembers()
    data.unlink()
    return members


def _names(members: list[tarfile.TarInfo]) -> list[str]:
    """Every path the package holds, symlinks with their targets."""
    return sorted(f"{m.name} -> {m.linkname}" if m.issym() else m.name for m in members)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to make the tarball")
def test_make_package_from_a_git_archive_tarball(deb: Path, tmp_path: Path) -> None:
    if not (ROOT / ".git").exists() or os.environ.get("IEUM_TEST_DEB"):
        pytest.skip("needs a git work tree, and the package built from it")
    # The work tree as it is (uncommitted changes too): `git stash create` makes a commit
    # of it without touching anything, or prints nothing when there is nothing to stash.
    revision = _git("stash", "create") or "HEAD"
    source = tmp_path / "ieum-release"
    source.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True
    )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # Debian 12's python3 (3.11.2) predates extraction filters (3.11.4): use one
        # where there is one, else the tarball is our own, just made by git.
        safe = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}
        tar.extractall(source, **safe)
    assert not (source / ".git").exists()
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    # Outside any git work tree, so that git cannot answer for the tarball's folder.
    environment["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    done = subprocess.run(
        ["make", "-C", str(source), "package"],
        capture_output=True,
        text=True,
        timeout=1500,
        env=environment,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    built = sorted((source / "dist").glob("ieum_*.deb"))
    assert [p.name for p in built] == [deb.name]
    ours = _members(built[0], tmp_path)
    assert _names(ours) == _names(_members(deb, tmp_path))
    # dpkg-deb clamps every time in the package to SOURCE_DATE_EPOCH, which the tarball's
    # packaging/source-date-epoch gave: the archived commit's time.
    committed = int(_git("log", "-1", "--format=%ct", revision))
    assert (source / "packaging/source-date-epoch").read_text().strip() == str(committed)
    assert max(member.mtime for member in ours) == committed
