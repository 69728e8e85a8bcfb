"""Where a device keeps what: one description of the data folder, so that no module
spells a file name of another's."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def replace_whole(target: Path, content: bytes) -> None:
    """Write `target` whole or not at all, and durably: a power cut leaves the old file
    or the new one, never half of one."""
    temporary = target.with_name(target.name + ".new")
    with open(temporary, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@dataclass(frozen=True)
class DataFolder:
    """The device's data folder (`--data`, /var/lib/ieum on an installed kiosk)."""

    root: Path

    @property
    def store(self) -> Path:
        """The SQLite store: queue, receipts, drafts, audit log, settings."""
        return self.root / "ieum.db"

    @property
    def catalog(self) -> Path:
        """The installed (signed) service catalog, when the platform sent one."""
        return self.root / "catalog"

    @property
    def speech(self) -> Path:
        """Spoken audio of the current session, deleted when the session ends."""
        return self.root / "speech"

    @property
    def printed(self) -> Path:
        """Receipts kept as PDF where no printer answers, for staff to print."""
        return self.root / "printed"

    @property
    def diagnostics(self) -> Path:
        """The help desk's diagnostics zips."""
        return self.root / "diagnostics"

    @property
    def log_file(self) -> Path:
        """The kiosk's own log, where it writes one (not under systemd's journal)."""
        return self.root / "ieum.log"

    @property
    def demo_platform(self) -> Path:
        """The reference platform's data, in the demo only."""
        return self.root / "platform"
