"""Slow work off the GUI thread, answered to whoever asked for it.

`StoreOwner` holds every connection to the device's store: one worker thread for the
resident's and the staff's work, one for sync, each with its own connection opened on
that thread. Work goes in as a `StoreOp` — a function of the `Device` it runs on — and
its result comes back on the GUI thread to the success or failure callback given with
it, and to nobody else (Anki's CollectionOp, in small). Nothing on the GUI thread opens
the store, reads the disk or waits on the network; a test instruments SQLite to prove it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from sync.device import device_secret
from sync.paths import DataFolder
from sync.store import Store, StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")


class Lane(Enum):
    """Which worker thread an operation runs on."""

    STORE = "store"
    """Saving applications, drafts, receipts, staff sign-in and the desk's figures."""
    SYNC = "sync"
    """Sync passes: slow network work must not hold up a resident's save."""


@dataclass
class Device:
    """The store and the device's secret, as an operation sees them on its worker."""

    data: DataFolder
    store: Store
    _secret: bytes | None = field(default=None, repr=False)

    @property
    def secret(self) -> bytes:
        """The device secret (drafts, PIN pepper), read once per worker."""
        if self._secret is None:
            self._secret = device_secret(self.data.root)
        return self._secret


@dataclass
class _Done:
    future: Future[Any]
    parent: QObject | None
    success: Callable[[Any], None] | None
    failure: Callable[[BaseException], None] | None
    what: str


class StoreOwner(QObject):
    """The one owner of the kiosk's store connections and worker threads."""

    _finished = Signal(object)

    def __init__(self, data: DataFolder) -> None:
        super().__init__()
        self.data = data
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=lane.value) for lane in Lane
        }
        self._devices: dict[Lane, Device] = {}
        """Each touched only on its own lane's thread."""
        self.recovered = ""
        """Where a damaged store was moved aside when it was opened, for staff."""
        self.pending = 0
        self.closed = False
        """Set by close(): answers still queued may arrive, but nothing new may start."""
        self._finished.connect(self._deliver)

    def _device(self, lane: Lane) -> Device:
        device = self._devices.get(lane)
        if device is None:
            store = Store(self.data.store)
            if store.recovered:
                self.recovered = str(store.recovered)
                log.error("the store was damaged and moved aside as %s", store.recovered)
            device = self._devices[lane] = Device(self.data, store)
        return device

    def submit(self, op: StoreOp[T], lane: Lane) -> Future[T]:
        self.pending += 1
        future = self._executors[lane].submit(lambda: op.work(self._device(lane)))
        done = _Done(future, op.parent, op.on_success, op.on_failure, op.what)
        future.add_done_callback(lambda _f: self._finished.emit(done))
        return future

    def wait(self, work: Callable[[Device], T], lane: Lane = Lane.STORE) -> T:
        """Run on the worker and wait for it: for start-up only, before the first screen
        (the configuration needs what an administrator saved on the device)."""
        return self._executors[lane].submit(lambda: work(self._device(lane))).result()

    @Slot(object)
    def _deliver(self, done: _Done) -> None:
        self.pending -= 1
        if done.parent is not None and not shiboken6.isValid(done.parent):
            return  # whoever asked is gone (a screen replaced meanwhile)
        error = done.future.exception()
        if error is None:
            if done.success is not None:
                done.success(done.future.result())
        elif done.failure is not None:
            done.failure(error)
        else:
            # StoreError messages are written to be log-safe; other errors are named only.
            detail = f": {error}" if isinstance(error, StoreError) else ""
            log.error("%s failed: %s%s", done.what, type(error).__name__, detail)

    def close(self) -> None:
        """Close each connection on its own thread, then stop the workers."""
        self.closed = True
        for lane, executor in self._executors.items():
            device = self._devices.get(lane)
            if device is not None:
                executor.submit(device.store.close)
            executor.shutdown(wait=True)
        self._devices.clear()


class StoreOp(Generic[T]):
    """One piece of work on the device's store, with the caller's own callbacks:

        StoreOp(screen, lambda device: list_drafts(device.store), "list drafts")
            .success(screen.show_drafts).failure(screen.show_problem).run(owner)

    `parent`: when it is deleted before the answer comes, the answer is dropped.
    Without a failure callback, a failure is logged by its kind (never its data).
    """

    def __init__(
        self, parent: QObject | None, work: Callable[[Device], T], what: str = "an operation"
    ) -> None:
        self.parent = parent
        self.work = work
        self.what = what
        self.on_success: Callable[[T], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[T], None]) -> StoreOp[T]:
        self.on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> StoreOp[T]:
        self.on_failure = callback
        return self

    def run(self, owner: StoreOwner, lane: Lane = Lane.STORE) -> Future[T]:
        return owner.submit(self, lane)
