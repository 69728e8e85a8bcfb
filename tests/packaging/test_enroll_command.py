"""`ieum enroll` and `ieum --version` from the source tree, against the real reference
platform over loopback: each thing an installer gets wrong has its own clear message."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.enrollment import EnrollmentError, enroll_device
from sync.store import Store

ROOT = Path(__file__).resolve().parents[2]


def ieum(*args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_is_the_projects() -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = ieum("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ieum {expected}"


def test_enroll_then_the_kiosk_is_known_to_the_platform(
    platform: LocalPlatform, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk"
    done = ieum(
        "enroll",
        "--platform",
        platform.url,
        "--token",
        platform.new_token("t"),
        "--data",
        str(data),
    )
    assert done.returncode == 0, done.stderr
    store = Store(data / "ieum.db")
    try:
        device_id = store.device_id()
    finally:
        store.close()
    assert device_id in done.stdout
    storage = PlatformStorage(platform.data)
    try:
        assert storage.devices.find(device_id) is not None
    finally:
        storage.close()


def test_options_before_the_command_work_too(platform: LocalPlatform, tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    token = platform.new_token("t")
    done = ieum("--data", str(data), "--platform", platform.url, "enroll", "--token", token)
    assert done.returncode == 0, done.stderr
    assert (data / "ieum.db").exists()


def test_a_used_token_says_so(platform: LocalPlatform, tmp_path: Path) -> None:
    token = platform.new_token("t")
    first = ieum(
        "enroll", "--platform", platform.url, "--token", token, "--data", str(tmp_path / "a")
    )
    assert first.returncode == 0, first.stderr
    again = ieum(
        "enroll", "--platform", platform.url, "--token", token, "--data", str(tmp_path / "b")
    )
    assert again.returncode == 1
    assert "refused the token" in again.stderr
    assert "already used" in again.stderr
    assert token not in again.stderr  # a secret is never echoed


def test_enrolling_twice_changes_nothing(platform: LocalPlatform, tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    first = ieum(
        "enroll", "--platform", platform.url, "--token", platform.new_token(), "--data", str(data)
    )
    assert first.returncode == 0, first.stderr
    again = ieum(
        "enroll", "--platform", platform.url, "--token", platform.new_token(), "--data", str(data)
    )
    assert again.returncode == 1
    assert "already enrolled" in again.stderr


def test_an_unreachable_address_says_so(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback: nothing listens there.
    done = ieum(
        "enroll",
        "--platform",
        "http://127.0.0.1:9",
        "--token",
        "AAAA-BBBB",
        "--data",
        str(tmp_path / "k"),
    )
    assert done.returncode == 1
    assert "cannot reach http://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_address_that_is_not_a_platform_says_so(platform: LocalPlatform, tmp_path: Path) -> None:
    done = ieum(
        "enroll",
        "--platform",
        platform.url + "/wrong/path",
        "--token",
        "AAAA-BBBB",
        "--data",
        str(tmp_path / "k"),
    )
    assert done.returncode == 1
    assert "not as an Ieum platform" in done.stderr


@pytest.mark.parametrize("url", ["platform.example.org", "ftp://platform", "https://"])
def test_a_malformed_address_says_so(url: str, tmp_path: Path) -> None:
    done = ieum("enroll", "--platform", url, "--token", "AAAA-BBBB", "--data", str(tmp_path / "k"))
    assert done.returncode == 1
    assert "is not a platform address" in done.stderr


def test_no_platform_at_all_says_what_is_missing(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "enroll", "--token", "X", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 2
    assert "needs --platform" in done.stderr


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (bootstrap installs it)")
@pytest.mark.parametrize(("shift", "word"), [("-3h", "behind"), ("+2d", "ahead of")])
def test_a_clock_far_off_says_so_and_spends_no_token(
    platform: LocalPlatform, tmp_path: Path, shift: str, word: str
) -> None:
    token = platform.new_token("t")
    done = ieum(
        "enroll",
        "--platform",
        platform.url,
        "--token",
        token,
        "--data",
        str(tmp_path / "k"),
        prefix=("faketime", "-f", shift),
    )
    assert done.returncode == 1, done.stdout
    assert "clock is" in done.stderr and word in done.stderr
    assert "timedatectl" in done.stderr
    # The token was not spent: with the clock right, it enrolls.
    fixed = ieum(
        "enroll", "--platform", platform.url, "--token", token, "--data", str(tmp_path / "k")
    )
    assert fixed.returncode == 0, fixed.stderr


def test_a_clock_within_the_allowed_skew_enrolls(platform: LocalPlatform, tmp_path: Path) -> None:
    import time

    device = enroll_device(
        tmp_path / "k", platform.url, platform.new_token(), clock=lambda: time.time() - 200
    )
    assert device.startswith("dev-")
    with pytest.raises(EnrollmentError) as error:
        enroll_device(
            tmp_path / "other",
            platform.url,
            platform.new_token(),
            clock=lambda: time.time() + 400,
        )
    assert error.value.reason == "clock"
