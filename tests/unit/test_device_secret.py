"""The device secret is made once, whole, however many threads and processes ask at once."""

from __future__ import annotations

import threading
from pathlib import Path

from sync.device import SECRET_BYTES, device_secret


def test_everyone_who_asks_at_once_gets_the_same_whole_secret(tmp_path: Path) -> None:
    # A kiosk's first start: the sync worker enrolling while staff create a navigator.
    for attempt in range(30):
        folder = tmp_path / f"device-{attempt}"
        gate = threading.Barrier(8)
        got: list[bytes | BaseException] = []

        def ask(
            folder: Path = folder,
            gate: threading.Barrier = gate,
            got: list[bytes | BaseException] = got,
        ) -> None:
            gate.wait()
            try:
                got.append(device_secret(folder, environ={}))
            except BaseException as problem:  # a half-written secret, seen as damaged
                got.append(problem)

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert all(isinstance(secret, bytes) for secret in got), got
        assert len(set(got)) == 1 and len(got[0]) == SECRET_BYTES  # type: ignore[arg-type]
        assert [p.name for p in folder.iterdir()] == ["device-secret"]  # nothing left over
