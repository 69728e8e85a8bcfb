"""Power cuts: a process saving applications is killed (SIGKILL) at random moments.

After every kill, each application the process had reported as saved (that is, after
`submit_application` returned, the moment a resident would see the receipt) is in the
store exactly once and opens with the platform's key to exactly what was saved, and
SQLite's integrity check passes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from sync.sealing import Binding, PlatformKey, PlatformPrivateKey, open_application
from sync.store import Store
from sync.submission import submit_application

PRIVATE = PlatformPrivateKey.generate()


def _saver(path: Path, report_fd: int, first: int, key: PlatformKey) -> None:
    """The child: save applications forever, reporting each one after it is committed."""
    store = Store(path, check=False)
    n = first
    while True:
        payload = {"service": {"id": "digital-device-access", "version": "2026.1"},
                   "answers": {"n": n, "name_for_loan": f"Test Resident {n}"}}  # fmt: skip
        saved = submit_application(store, payload, key, time.time())
        os.write(report_fd, f"{saved.submission_id} {n}\n".encode())
        n += 1


def _run_and_kill(path: Path, first: int, rng: random.Random) -> dict[str, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        try:
            _saver(path, write_fd, first, PRIVATE.public())
        finally:
            os._exit(1)
    os.close(write_fd)
    time.sleep(rng.uniform(0.0, 0.06))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_fd, "rb") as pipe:
        lines = pipe.read().decode().split("\n")
    reported = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill was never a promise
            reported[parts[0]] = int(parts[1])
    return reported


def _check(path: Path, reported: dict[str, int]) -> None:
    store = Store(path)
    assert store.recovered == "", "a power cut must never damage the store"
    assert store.integrity() == "ok"
    rows = {item.submission_id: item for item in store.outbox()}
    for submission_id, n in reported.items():
        item = rows[submission_id]  # present (and the primary key makes it exactly once)
        binding = Binding(item.submission_id, item.service_id, item.service_version, item.device_id)
        payload = json.loads(open_application(item.sealed, PRIVATE, binding))
        assert payload["answers"] == {"n": n, "name_for_loan": f"Test Resident {n}"}
    store.close()


def _battery(tmp_path: Path, kills: int, seed: int) -> int:
    path = tmp_path / "ieum.db"
    Store(path).close()
    rng = random.Random(seed)
    promised: dict[str, int] = {}
    for round_number in range(kills):
        reported = _run_and_kill(path, round_number * 1_000_000, rng)
        _check(path, reported)
        promised.update(reported)
    _check(path, promised)  # nothing promised earlier went missing later
    return len(promised)


def test_power_cuts_lose_nothing_that_was_promised(tmp_path: Path) -> None:
    saved = _battery(tmp_path, kills=200, seed=4)
    assert saved > 200  # the kills really came while applications were being saved


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_power_cuts_long_battery(tmp_path: Path) -> None:
    assert _battery(tmp_path, kills=2000, seed=5) > 2000
