"""The one bridge between Qt and slow work (disk, crypto, network).

Each `Jobs` owns one worker thread, so objects bound to a thread (a SQLite
connection) stay on it; results come back to the GUI thread through a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class Jobs(QObject):
    _finished = Signal(object, object, object)

    def __init__(self, name: str) -> None:
        super().__init__()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._finished.connect(self._deliver)
        self.pending = 0

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> Future[Any]:
        """Run `work` on this queue's thread; `done`/`failed` are called on the GUI thread."""
        self.pending += 1
        future = self._executor.submit(work)
        future.add_done_callback(lambda f: self._finished.emit(done, failed, f))
        return future

    @Slot(object, object, object)
    def _deliver(self, done: Any, failed: Any, future: Future[Any]) -> None:
        self.pending -= 1
        error = future.exception()
        if error is None:
            if done is not None:
                done(future.result())
        elif failed is not None:
            failed(error)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
