"""The device secret: 32 random bytes that never leave the machine.

It is mixed into every draft key, so a draft cannot be opened on another machine even
with the right resume code. Under systemd it comes as a credential
($CREDENTIALS_DIRECTORY/ieum-device-secret, which systemd can keep encrypted with the
TPM); otherwise it is a 0600 file in the data directory, created on first start.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Mapping
from pathlib import Path

SECRET_BYTES = 32
FILE_NAME = "device-secret"
CREDENTIAL_NAME = "ieum-device-secret"


class DeviceSecretError(Exception):
    """The secret exists but cannot be used; says what to fix, never the secret."""


def private_folder(folder: Path) -> None:
    """Make the data folder (and its parents), readable by this user only: 0700 whatever
    the umask, and tightened if an older version or a person made it wider."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    shared = info.st_mode & stat.S_ISVTX  # /tmp and the like are never ours to narrow
    if info.st_uid == os.getuid() and not shared and stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, 0o700)


def private_files() -> None:
    """For a program's start: whatever it creates is for its own user only (umask 077)."""
    os.umask(0o077)


def device_secret(data_dir: Path, environ: Mapping[str, str] = os.environ) -> bytes:
    credentials = environ.get("CREDENTIALS_DIRECTORY")
    if credentials:
        path = Path(credentials) / CREDENTIAL_NAME
        if path.exists():
            secret = path.read_bytes()
            if len(secret) < SECRET_BYTES:
                raise DeviceSecretError(f"{path} holds fewer than {SECRET_BYTES} bytes")
            return secret
    path = data_dir / FILE_NAME
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    private_folder(data_dir)
    # Written whole under a name of its own, then linked into place: whoever asks at the
    # same moment (the sync worker enrolling while staff add a navigator, another
    # process) sees either no secret or all 32 bytes, never an empty file.
    draft = data_dir / f".{FILE_NAME}.{os.getpid()}.{threading.get_ident()}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(SECRET_BYTES))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another was first: use theirs
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    directory = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return _read(path)


def _read(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise DeviceSecretError(f"{path} can be read by others (mode {mode:o}): chmod 600 it")
    secret = path.read_bytes()
    if len(secret) != SECRET_BYTES:
        raise DeviceSecretError(f"{path} is damaged ({len(secret)} bytes, not {SECRET_BYTES})")
    return secret
