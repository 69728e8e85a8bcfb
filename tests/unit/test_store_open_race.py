"""A store that does not exist yet, opened by several threads at once (the kiosk's
store and sync threads and a navigator's desk all do at first start)."""

from __future__ import annotations

import threading
from pathlib import Path

from sync.store import Store


def test_many_threads_open_a_new_store_at_once(tmp_path: Path) -> None:
    errors: list[str] = []
    for round_ in range(10):
        path = tmp_path / str(round_) / "ieum.db"

        def open_it(path: Path = path) -> None:
            try:
                Store(path).close()
            except Exception as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
