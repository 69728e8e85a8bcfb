"""main.py as a person meets it: --help, and a clear message where there is no screen."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT


def _main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_help_documents_the_options() -> None:
    result = _main("--help")
    assert result.returncode == 0
    for option in ("--lang", "--data", "--platform", "--fullscreen", "--windowed", "--text-size"):
        assert option in result.stdout


def test_without_a_display_it_says_how_to_run_instead_of_a_traceback() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = _main("--data", "/nonexistent/never-created", env=env)
    assert result.returncode == 2
    assert "no display" in result.stderr and "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr
    assert not os.path.exists("/nonexistent/never-created")
