"""The package on a real machine: dpkg installs it here, the installed command reports
its version and starts the kiosk offscreen, enrolls against the reference platform with
the device secret the service gets, an upgrade keeps everything, removal keeps the data
and purge deletes it. Needs root and dpkg; leaves the machine as it found it."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync.auth import device_signing_key, public_key_text

ROOT = Path(__file__).resolve().parents[2]
DATA = Path("/var/lib/ieum")
CREDENTIAL = Path("/etc/ieum/device-secret.cred")
PLAIN_CREDENTIAL = Path("/etc/ieum/device-secret")
UNIT = Path("/lib/systemd/system/ieum-kiosk.service")

pytestmark = [
    pytest.mark.timeout(1800),
    pytest.mark.skipif(os.geteuid() != 0, reason="installing a package needs root"),
    pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian system"),
]


def sh(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)


def installed() -> bool:
    done = sh("dpkg-query", "-W", "-f=${Status}", "ieum")
    return done.returncode == 0 and "installed" in done.stdout


@pytest.fixture
def machine() -> Iterator[None]:
    if installed() or DATA.exists():
        pytest.skip("ieum is installed (or its data is here) already: left alone")
    try:
        yield
    finally:
        sh("dpkg", "--purge", "ieum")


def device_secret() -> bytes:
    if CREDENTIAL.exists():
        done = subprocess.run(
            ["systemd-creds", "decrypt", "--name=ieum-device-secret", str(CREDENTIAL), "-"],
            capture_output=True,
            timeout=60,
            check=True,
        )
        return done.stdout
    return PLAIN_CREDENTIAL.read_bytes()


def upgraded(deb: Path, tmp_path: Path) -> Path:
    """The same package as the next Debian revision: what an upgrade installs."""
    tree = tmp_path / "tree"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(tree)], check=True, timeout=600)
    control = tree / "DEBIAN" / "control"
    lines = control.read_text().splitlines()
    version = next(line for line in lines if line.startswith("Version: "))
    control.write_text("\n".join(lines).replace(version, version + "+1") + "\n")
    out = tmp_path / "next.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zzstd", "-b", str(tree), str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.rmtree(tree)
    return out


def test_install_run_enroll_upgrade_remove_purge(
    deb: Path, machine: None, platform: LocalPlatform, tmp_path: Path
) -> None:
    # Install.
    done = sh("dpkg", "-i", str(deb))
    assert done.returncode == 0, done.stdout + done.stderr
    user = pwd.getpwnam("ieum")
    assert user.pw_uid < 1000 and user.pw_shell.endswith("nologin")
    info = DATA.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700
    assert (info.st_uid, info.st_gid) == (user.pw_uid, user.pw_gid)
    secret_file = CREDENTIAL if CREDENTIAL.exists() else PLAIN_CREDENTIAL
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret_file.stat().st_uid == 0
    secret = device_secret()
    assert len(secret) == 32
    assert Path("/etc/systemd/system/graphical.target.wants/ieum-kiosk.service").is_symlink()
    if shutil.which("systemd-analyze"):
        verify = sh("systemd-analyze", "verify", str(UNIT))
        assert verify.returncode == 0, verify.stderr

    # The installed command: its version, then the kiosk up to its first paint.
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = sh("ieum", "--version")
    assert done.returncode == 0 and done.stdout.strip() == f"ieum {version}", done.stderr
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "QT_QPA_PLATFORM": "offscreen",
        "IEUM_PLATFORM": "http://127.0.0.1:9",  # no platform: the kiosk works offline
    }
    started = time.monotonic()
    done = sh("ieum", "--quit-when-shown", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "shown_at=" in done.stdout, done.stderr[-3000:]
    assert time.monotonic() - started < 60
    database = DATA / "ieum.db"
    assert database.stat().st_uid == user.pw_uid, "root's run left a file ieum cannot use"
    assert not (DATA / "device-secret").exists(), "the secret came from the credential"

    # Enroll (as root, the way an installer would): the platform knows the key that the
    # service's credential yields, so the kiosk will sign with the enrolled key.
    token = platform.new_token("installed kiosk")
    done = sh("ieum", "enroll", "--platform", platform.url, "--token", token, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    device_id = done.stdout.split(" as ")[1].split()[0]
    storage = PlatformStorage(platform.data)
    try:
        device = storage.devices.find(device_id)
    finally:
        storage.close()
    assert device is not None
    expected = public_key_text(device_signing_key(secret).public_key())
    assert public_key_text(device.public_key) == expected
    again = sh("ieum", "enroll", "--platform", platform.url, "--token", token, env=env)
    assert again.returncode == 1 and "already enrolled" in again.stderr

    # Upgrade, with the administrator's settings changed: everything stays.
    conf = Path("/etc/ieum/ieum.conf")
    conf.write_text(conf.read_text() + "IEUM_PLATFORM=https://platform.invalid\n")
    database_before = database.read_bytes()
    done = sh("dpkg", "-i", str(upgraded(deb, tmp_path)))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "IEUM_PLATFORM=https://platform.invalid" in conf.read_text()
    assert database.read_bytes() == database_before
    assert device_secret() == secret

    # Remove: the program goes, the queue, drafts and secret stay.
    done = sh("dpkg", "-r", "ieum")
    assert done.returncode == 0, done.stderr
    assert not Path("/usr/bin/ieum").exists() and not Path("/opt/ieum").exists()
    assert database.read_bytes() == database_before
    assert stat.S_IMODE(DATA.stat().st_mode) == 0o700
    assert secret_file.exists()

    # Reinstall goes on where it was: same secret, still enrolled.
    done = sh("dpkg", "-i", str(deb))
    assert done.returncode == 0, done.stdout + done.stderr
    assert device_secret() == secret
    again = sh("ieum", "enroll", "--platform", platform.url, "--token", token, env=env)
    assert "already enrolled as " + device_id in again.stderr

    # Purge, and only purge, deletes them.
    done = sh("dpkg", "--purge", "ieum")
    assert done.returncode == 0, done.stderr
    assert not DATA.exists() and not Path("/etc/ieum").exists()
    assert not installed()
