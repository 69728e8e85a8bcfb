"""The store and the sync, each on its own worker thread, seen from the GUI as signals."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from kiosk.background import Jobs
from sync.client import PlatformClient, SyncFailure
from sync.drafts import wipe_expired
from sync.enrollment import current_platform_key, refresh_platform_keys
from sync.runner import SyncReport, run_once
from sync.store import Store, StoreError
from sync.submission import Submitted, submit_applications

log = logging.getLogger(__name__)


class Backend(QObject):
    saved = Signal(object)
    """A list of Submitted: the visit's applications are durably in the outbox."""
    save_failed = Signal(str)
    synced = Signal(object)
    """A SyncReport after each pass."""

    def __init__(self, data_dir: Path, platform_url: str, sync_every_ms: int = 10_000) -> None:
        super().__init__()
        self.store_path = data_dir / "ieum.db"
        self.platform_url = platform_url
        self._store_jobs = Jobs("store")
        self._sync_jobs = Jobs("sync")
        self._thread_state: dict[str, Any] = {}
        self._syncing = False
        self.last_report: SyncReport | None = None
        self.last_error = ""
        """What the last failed save was, for staff: a kind and a log-safe message."""
        self.timer = QTimer(self)
        self.timer.setInterval(sync_every_ms)
        self.timer.timeout.connect(self.sync_now)

    def start(self) -> None:
        self.timer.start()
        self.sync_now()

    # -- store thread ------------------------------------------------------------
    def _store(self) -> Store:
        store = self._thread_state.get("store")
        if store is None:
            store = self._thread_state["store"] = Store(self.store_path)
            if store.recovered:
                log.error("the store was damaged and moved aside as %s", store.recovered)
        return store

    def submit(self, payloads: list[dict[str, object]]) -> None:
        """Seal and queue a visit's applications; `saved` or `save_failed` follows."""

        def work() -> list[Submitted]:
            store = self._store()
            return submit_applications(store, payloads, current_platform_key(store), time.time())

        self._store_jobs.run(work, self._on_saved, self._on_save_failed)

    @Slot(object)
    def _on_saved(self, submitted: list[Submitted]) -> None:
        self.saved.emit(submitted)
        self.sync_now()

    def _on_save_failed(self, error: BaseException) -> None:
        # StoreError messages are written to be log-safe; other errors are named only.
        detail = str(error) if isinstance(error, StoreError) else ""
        self.last_error = f"{type(error).__name__}: {detail}".rstrip(": ")
        log.error("could not save an application: %s", self.last_error)
        self.save_failed.emit(type(error).__name__)

    # -- sync thread ---------------------------------------------------------------
    @Slot()
    def sync_now(self) -> None:
        if self._syncing:
            return
        self._syncing = True

        def work() -> SyncReport:
            store = self._thread_state.get("sync_store")
            if store is None:
                store = self._thread_state["sync_store"] = Store(self.store_path)
                self._thread_state["client"] = PlatformClient(self.platform_url)
            client = self._thread_state["client"]
            wipe_expired(store)
            if current_platform_key(store) is None:
                try:
                    refresh_platform_keys(store, client)
                except SyncFailure as failure:
                    return SyncReport(failure=str(failure))
            return run_once(store, client, time.time())

        self._sync_jobs.run(work, self._on_synced, self._on_sync_crashed)

    def _on_synced(self, report: SyncReport) -> None:
        self._syncing = False
        self.last_report = report
        if report.failure:
            log.info("sync: %s", report.failure)
        self.synced.emit(report)

    def _on_sync_crashed(self, error: BaseException) -> None:
        self._syncing = False
        log.exception("sync pass failed", exc_info=error)

    def shutdown(self) -> None:
        """Stop syncing and close the store and the client, each on its own thread."""
        self.timer.stop()
        state = self._thread_state

        def close_store() -> None:
            if "store" in state:
                state.pop("store").close()

        def close_sync() -> None:
            if "sync_store" in state:
                state.pop("sync_store").close()
            if "client" in state:
                state.pop("client").close()

        self._store_jobs.run(close_store)
        self._sync_jobs.run(close_sync)
        self._store_jobs.shutdown()
        self._sync_jobs.shutdown()
