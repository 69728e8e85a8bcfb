"""A full disk: the store fits hundreds of applications in 2 MiB, and once the disk is
full the queue drains by itself as the platform acknowledges (no stall, no duplicate).

Real components: a 2 MiB tmpfs mounted for the test (root only: skipped otherwise,
and said so), the real store on it, the reference platform over loopback.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reference_platform.local import LocalPlatform
from reference_platform.storage import PlatformStorage
from sync import space
from sync.client import FailureKind, PlatformClient
from sync.enrollment import current_platform_key, enroll
from sync.health import queue_health
from sync.runner import sync_pass
from sync.store import Store, StoreFull
from sync.submission import submit_application

DISK = "2m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB filesystem of its own (tmpfs), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _payload(n: int) -> dict[str, object]:
    return {
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "answers": {"household_size": n % 9 + 1, "name_for_loan": f"Test Resident {n}"},
    }


def test_a_full_disk_holds_hundreds_and_drains_by_itself(
    small_disk: Path, platform: LocalPlatform
) -> None:
    store = Store(small_disk / "ieum.db")
    client = PlatformClient(platform.url)
    try:
        enroll(store, client, platform.new_token("small disk"))
        key = current_platform_key(store)
        queued: list[str] = []
        with pytest.raises(StoreFull):
            while True:
                queued.append(
                    submit_application(store, _payload(len(queued)), key, 0).submission_id
                )
        assert len(queued) >= 300, f"only {len(queued)} applications fit in {DISK}"
        print(f"\n{len(queued)} applications fit in {DISK}")
        # Worse: something else takes the last bytes and the store's reserve is gone.
        # The platform takes the batch, the answer cannot be recorded: disk_full, with
        # a backoff, not an exception (and not the same batch again at once).
        ballast = small_disk / "someone-elses-file"
        space.reserve_path(store.path).unlink()
        fd = os.open(ballast, os.O_WRONLY | os.O_CREAT)
        with pytest.raises(OSError):
            while True:
                os.write(fd, b"x" * 4096)
        os.close(fd)
        first = sync_pass(store, client, time.time())
        assert first.failure_kind is FailureKind.DISK_FULL
        assert store.outbox()  # stopped by the full disk, not by an exception
        ballast.unlink()  # staff free some space
        # Sync on the full disk: each pass makes progress or backs off with disk_full;
        # none raises, and the queue empties.
        now = time.time() + 3600
        kinds: set[FailureKind] = set()
        for _ in range(200):
            report = sync_pass(store, client, now)
            if report.failure_kind is not None:
                kinds.add(report.failure_kind)
            if not store.outbox():
                break
            now = max(
                now + 1,
                report.waiting_until + 1,
                float(store.setting("sync_backoff_until") or 0) + 1,
            )
        assert store.outbox() == []
        assert kinds <= {FailureKind.DISK_FULL}
        storage = PlatformStorage(platform.data)
        received = sorted(s.submission_id for s in storage.submissions())
        storage.close()
        assert received == sorted(queued)  # every one, exactly once
        assert queue_health(store).sent == len(queued)
        assert store.integrity() == "ok"
        # And the freed room takes new applications again.
        submit_application(store, _payload(0), key, now)
    finally:
        client.close()
        store.close()
