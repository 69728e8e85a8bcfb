"""The kiosk's data is for its own user (issue 16): the program makes its data folder
0700 and its files 0600 itself, whatever the umask it was started with."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_folder_and_its_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = subprocess.run(  # nothing listens there: the store is made, then it fails
        [sys.executable, "main.py", "enroll", "--platform", "http://127.0.0.1:9",
         "--token", "AAAA-BBBB-CCCC-DDDD", "--data", str(data)],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert "cannot reach" in done.stderr
    assert (data / "ieum.db").exists() and _mode(data) == 0o700
    for path in data.iterdir():
        assert _mode(path) & 0o077 == 0, path


def test_a_data_folder_left_wide_by_an_older_version_is_narrowed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    from sync.store import Store

    Store(data / "ieum.db").close()
    assert _mode(data) == 0o700
