"""The link to the platform: sync passes on the sync worker, on a timer, after each save
and when the network returns. Its one broadcast, `synced`, is news nobody asked for (a
pass on the timer); work somebody asks for goes through kiosk.operations instead."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from kiosk.operations import Device, Lane, StoreOp, StoreOwner
from sync.paths import DataFolder

if TYPE_CHECKING:
    from sync.client import PlatformClient
    from sync.runner import CatalogInstaller, SyncReport

log = logging.getLogger(__name__)


class Backend(QObject):
    synced = Signal(object)
    """A SyncReport after each pass."""

    def __init__(
        self,
        owner: StoreOwner,
        platform_url: str,
        sync_every_ms: int = 10_000,
        enrollment_token: str = "",
        install_catalog: CatalogInstaller | None = None,
        ca_bundle: Path | None = None,
    ) -> None:
        super().__init__()
        self.owner = owner
        self.data: DataFolder = owner.data
        self.platform_url = platform_url
        self.enrollment_token = enrollment_token
        self.install_catalog = install_catalog
        self.ca_bundle = ca_bundle
        self._client: PlatformClient | None = None
        """Made and used on the sync worker only."""
        self._syncing = False
        self.last_report: SyncReport | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(sync_every_ms)
        self.timer.timeout.connect(self.sync_now)

    def start(self) -> None:
        if not self.platform_url:
            log.warning("no platform is set up: nothing will be sent or received")
            return
        self.timer.start()
        self._watch_network()
        self.sync_now()

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
        """One sync pass on the sync worker: after each save, on the timer, on reconnect."""
        if self._syncing or not self.platform_url:
            return
        self._syncing = True
        op = StoreOp(self, lambda device: self._pass(device, network_returned), "a sync pass")
        op.success(self._synced).failure(self._crashed).run(self.owner, Lane.SYNC)

    def _pass(self, device: Device, network_returned: bool) -> SyncReport:
        # Imported here, on the sync worker: the HTTP client and the protocol are not
        # needed to show the first screen.
        from sync.client import PlatformClient, SyncFailure
        from sync.drafts import wipe_expired
        from sync.enrollment import enroll, is_enrolled
        from sync.runner import SyncReport, sync_pass

        if self._client is None:
            self._client = PlatformClient(self.platform_url, ca_bundle=self.ca_bundle)
        store = device.store
        wipe_expired(store)
        if not is_enrolled(store):
            if not self.enrollment_token:
                return SyncReport.not_enrolled()
            try:
                device_id = enroll(store, self._client, self.enrollment_token)
            except SyncFailure as failure:
                return SyncReport.from_failure(failure)
            log.info("enrolled with the platform as %s", device_id)
        return sync_pass(
            store, self._client, time.time(), self.install_catalog,
            network_returned=network_returned,
        )  # fmt: skip

    def _synced(self, report: SyncReport) -> None:
        self._syncing = False
        self.last_report = report
        if report.failure:
            log.info("sync: %s", report.failure)
        if report.catalog:
            log.info("catalog update: %s", report.catalog)
        self.synced.emit(report)

    def _crashed(self, error: BaseException) -> None:
        self._syncing = False
        log.error("sync pass failed", exc_info=error)

    def shutdown(self) -> None:
        """Stop syncing; the client is closed on the sync worker, where it was used."""
        self.timer.stop()
        if self._client is None:
            return

        def close(_device: Device) -> None:
            if self._client is not None:
                self._client.close()
                self._client = None

        StoreOp(None, close, "closing the platform client").run(self.owner, Lane.SYNC)
