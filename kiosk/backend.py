"""The store and the sync, each on its own worker thread, seen from the GUI as signals."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from kiosk.background import Jobs
from sync import drafts, navigators
from sync.client import PlatformClient, SyncFailure
from sync.device import device_secret
from sync.drafts import DEFAULT_TTL, DraftError, WrongCode, wipe_expired
from sync.enrollment import current_platform_key, enroll, is_enrolled
from sync.runner import CatalogInstaller, SyncReport, sync_pass
from sync.store import Receipt, Store, StoreError
from sync.submission import Assistance, Submitted, record_consent, submit_applications

log = logging.getLogger(__name__)


class Backend(QObject):
    saved = Signal(object)
    """A list of Submitted: the visit's applications are durably in the outbox."""
    save_failed = Signal(str)
    synced = Signal(object)
    """A SyncReport after each pass."""
    receipt_found = Signal(object)
    """A Receipt, or None: the answer to `find_receipt`."""
    draft_saved = Signal(str, float)
    """(resume code, when the draft expires): show the code, never keep it."""
    draft_failed = Signal(str)
    draft_resumed = Signal(object)
    """The draft's content (a dict), now gone from the store."""
    draft_refused = Signal(str, int)
    """(why: not_found, wrong_code, locked, expired, failed; tries left for wrong_code)."""
    drafts_listed = Signal(object)
    """A list of sync.drafts.DraftInfo: nothing the resident said."""

    def __init__(
        self,
        data_dir: Path,
        platform_url: str,
        sync_every_ms: int = 10_000,
        enrollment_token: str = "",
        install_catalog: CatalogInstaller | None = None,
        ca_bundle: Path | None = None,
        draft_ttl: float = DEFAULT_TTL,
    ) -> None:
        super().__init__()
        self.draft_ttl = draft_ttl
        self.store_path = data_dir / "ieum.db"
        self.platform_url = platform_url
        self.enrollment_token = enrollment_token
        self.install_catalog = install_catalog
        self.ca_bundle = ca_bundle
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
        self._watch_network()
        self.sync_now()

    # -- store thread ------------------------------------------------------------
    def _store(self) -> Store:
        store = self._thread_state.get("store")
        if store is None:
            store = self._thread_state["store"] = Store(self.store_path)
            if store.recovered:
                log.error("the store was damaged and moved aside as %s", store.recovered)
        return store

    def submit(
        self, payloads: list[dict[str, object]], assistance: Assistance | None = None
    ) -> None:
        """Seal and queue a visit's applications; `saved` or `save_failed` follows."""

        def work() -> list[Submitted]:
            store = self._store()
            key = current_platform_key(store)
            return submit_applications(store, payloads, key, time.time(), assistance)

        self._store_jobs.run(work, self._on_saved, self._on_save_failed)

    # -- navigators and drafts (store thread) ------------------------------------------
    def record_consent(self, navigator_id: str) -> None:
        self._store_jobs.run(
            lambda: record_consent(self._store(), navigator_id, time.time()),
            failed=lambda e: log.error("could not record consent: %s", type(e).__name__),
        )

    def sign_out(self, navigator: navigators.Navigator, why: str) -> None:
        self._store_jobs.run(
            lambda: navigators.sign_out(self._store(), navigator, time.time(), why),
            failed=lambda e: log.error("could not record a sign-out: %s", type(e).__name__),
        )

    def _device_secret(self) -> bytes:
        secret = self._thread_state.get("device_secret")
        if secret is None:
            secret = self._thread_state["device_secret"] = device_secret(self.store_path.parent)
        return bytes(secret)

    def save_draft(self, content: dict[str, Any], services: list[str], navigator_id: str) -> None:
        """Encrypt a paused visit; `draft_saved(code, expires)` or `draft_failed` follows."""

        def work() -> tuple[str, float]:
            now = time.time()
            code = drafts.save_draft(
                self._store(), self._device_secret(), content, services, now,
                navigator=navigator_id, ttl=self.draft_ttl,
            )  # fmt: skip
            return code, now + self.draft_ttl

        def failed(error: BaseException) -> None:
            log.error("could not save a draft: %s", type(error).__name__)
            self.draft_failed.emit(type(error).__name__)

        self._store_jobs.run(work, lambda done: self.draft_saved.emit(*done), failed)

    def resume_draft(self, code: str) -> None:
        """Open a draft by its code; `draft_resumed(content)` or `draft_refused(why, left)`."""

        def work() -> dict[str, Any]:
            return drafts.resume_draft(self._store(), self._device_secret(), code, time.time())

        def failed(error: BaseException) -> None:
            kinds = {
                drafts.DraftNotFound: "not_found",
                drafts.WrongCode: "wrong_code",
                drafts.DraftLocked: "locked",
                drafts.DraftExpired: "expired",
            }
            why = kinds.get(type(error), "failed")
            if not isinstance(error, DraftError):
                log.error("could not resume a draft: %s", type(error).__name__)
            left = error.tries_left if isinstance(error, WrongCode) else 0
            self.draft_refused.emit(why, left)

        self._store_jobs.run(work, self.draft_resumed.emit, failed)

    def list_drafts(self) -> None:
        def work() -> list[drafts.DraftInfo]:
            store = self._store()
            wipe_expired(store)
            return drafts.list_drafts(store)

        def failed(error: BaseException) -> None:
            log.error("could not list drafts: %s", type(error).__name__)
            self.drafts_listed.emit([])

        self._store_jobs.run(work, self.drafts_listed.emit, failed)

    def find_receipt(self, reference: str) -> None:
        """Look up one receipt by its reference; `receipt_found` follows (None if unknown)."""

        def work() -> Receipt | None:
            return self._store().receipt(reference)

        self._store_jobs.run(work, self.receipt_found.emit, self._on_lookup_failed)

    def _on_lookup_failed(self, error: BaseException) -> None:
        log.error("could not look up a receipt: %s", type(error).__name__)
        self.receipt_found.emit(None)

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
    def _watch_network(self) -> None:
        """Sync as soon as the network comes back, not at the next timer tick."""
        if not QNetworkInformation.loadDefaultBackend():
            log.info("no network information backend: syncing on the timer only")
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self._reachability_changed)

    @Slot(QNetworkInformation.Reachability)
    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
            QNetworkInformation.Reachability.Local,
        ):
            self.sync_now(network_returned=True)

    @property
    def online(self) -> bool | None:
        """Whether the platform answered at the last pass (None before the first)."""
        if self.last_report is None:
            return None
        return self.last_report.failure_kind != "network"

    @Slot()
    def sync_now(self, network_returned: bool = False) -> None:
        """One sync pass on the sync thread: after each save, on the timer, on reconnect."""
        if self._syncing:
            return
        self._syncing = True

        def work() -> SyncReport:
            store = self._thread_state.get("sync_store")
            if store is None:
                store = self._thread_state["sync_store"] = Store(self.store_path)
                self._thread_state["client"] = PlatformClient(
                    self.platform_url, ca_bundle=self.ca_bundle
                )
            client = self._thread_state["client"]
            wipe_expired(store)
            if not is_enrolled(store):
                if not self.enrollment_token:
                    return SyncReport.not_enrolled()
                try:
                    device_id = enroll(store, client, self.enrollment_token)
                except SyncFailure as failure:
                    return SyncReport.from_failure(failure)
                log.info("enrolled with the platform as %s", device_id)
            return sync_pass(
                store, client, time.time(), self.install_catalog, network_returned=network_returned
            )

        self._sync_jobs.run(work, self._on_synced, self._on_sync_crashed)

    def _on_synced(self, report: SyncReport) -> None:
        self._syncing = False
        self.last_report = report
        if report.failure:
            log.info("sync: %s", report.failure)
        if report.catalog:
            log.info("catalog update: %s", report.catalog)
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
