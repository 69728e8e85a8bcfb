"""A sync pass: upload what is due, then pull status changes, the catalog, and send usage.

Plain functions of the store, the client and the time: the kiosk calls `sync_pass` from
a worker thread on a timer, after each new application and when the network returns;
tests call it directly with their own clock, so nothing here ever sleeps.

A wait is measured from when the answer that asked for it arrived, not from when the
pass began: `now` is the pass's start, and the time the pass has taken since (a
monotonic clock) is added to it, so a long pass cannot eat a Retry-After.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sync import space
from sync.client import FailureKind, PlatformClient, SyncFailure
from sync.damage import is_damage, readable_due, set_aside_damaged
from sync.enrollment import device_identity, keys_are_due, refresh_platform_keys
from sync.heartbeat import send_heartbeat
from sync.protocol import K_ANONYMITY, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, UploadItem, UsageGroup
from sync.store import OutboxItem, Store, StoreError, StoreFull

log = logging.getLogger(__name__)

BACKOFF_BASE = 2.0
BACKOFF_CAP = 15 * 60.0
STATUS_PAGES_PER_PASS = 20
CATALOG_CHECK_SECONDS = 15 * 60.0
BACKOFF_UNTIL = "sync_backoff_until"
CONSECUTIVE_FAILURES = "sync_consecutive_failures"
LAST_FAILURE_KIND = "sync_last_failure_kind"
_STATUS_CURSOR = "status_cursor"
_CATALOG_ETAG = "catalog_etag"
CATALOG_CHECKED = "catalog_checked"
_USAGE_THROUGH = "usage_reported_through"
_SQLITE_FULL = 13

CatalogInstaller = Callable[[bytes], str]
"""Verifies and installs a catalog package, returning its version; raises if refused."""


def next_delay(attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
    """Seconds to wait before the next try: full jitter, capped; Retry-After is a floor."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(attempts, 30))
    delay = rng.uniform(0, ceiling)
    return max(delay, retry_after or 0.0)


RETRYABLE = frozenset(
    {
        FailureKind.NETWORK,
        FailureKind.THROTTLED,
        FailureKind.SERVER,
        FailureKind.PROTOCOL,
        FailureKind.DISK_FULL,
        FailureKind.DAMAGED,
    }
)


def is_retryable(failure: SyncFailure) -> bool:
    """Whether trying again later can help without anyone doing anything."""
    return failure.kind in RETRYABLE


class PassClock:
    """The pass's idea of now: its start time plus the (monotonic) time it has run."""

    def __init__(self, start: float) -> None:
        self.start = start
        self._began = time.monotonic()

    def __call__(self) -> float:
        return self.start + (time.monotonic() - self._began)


@dataclass(frozen=True)
class CatalogOutcome:
    """What became of a catalog package the platform offered."""

    installed: str = ""
    """The version installed, or "" if it was refused."""
    refused: str = ""
    """Why it was refused (log-safe), or "" if it was installed."""

    def __str__(self) -> str:
        return f"installed {self.installed}" if self.installed else f"refused: {self.refused}"


@dataclass
class SyncReport:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    statuses: int = 0
    catalog: CatalogOutcome | None = None
    """Set when the platform offered a new catalog package."""
    failure_kind: FailureKind | None = None
    failure_detail: str = ""
    """Log-safe: never a response body."""
    retry_after: float | None = None
    """What the platform asked for with Retry-After, if it did."""
    waiting_until: float = 0.0
    """Set when the pass did nothing because the platform asked us to wait."""
    remaining: list[str] = field(default_factory=list)
    quarantined_damaged: int = 0
    """Rows of the outbox found unreadable in this pass and set aside."""

    @classmethod
    def from_failure(cls, failure: SyncFailure) -> SyncReport:
        return cls(
            failure_kind=failure.kind,
            failure_detail=failure.detail,
            retry_after=failure.retry_after,
        )

    @classmethod
    def not_enrolled(cls) -> SyncReport:
        """Nothing was tried: the device has no identity with the platform yet."""
        return cls(failure_kind=FailureKind.AUTH, failure_detail="not_enrolled")

    @property
    def failure(self) -> str:
        """ "kind: detail" for logs, "" when the pass went through."""
        return "" if self.failure_kind is None else f"{self.failure_kind}: {self.failure_detail}"

    @property
    def progressed(self) -> bool:
        """The platform answered for at least one application in this pass."""
        return self.accepted + self.duplicate + self.rejected > 0

    @property
    def ok(self) -> bool:
        return self.failure_kind is None


def _batch(items: list[OutboxItem]) -> list[OutboxItem]:
    """As many items as fit the protocol's count and byte bounds (at least one)."""
    batch: list[OutboxItem] = []
    size = 0
    for item in items[:MAX_BATCH_ITEMS]:
        size += len(item.sealed) * 4 // 3 + 512
        if batch and size > MAX_BATCH_BYTES:
            break
        batch.append(item)
    return batch


def run_once(
    store: Store,
    client: PlatformClient,
    now: float,
    rng: random.Random | None = None,
    clock: Callable[[], float] | None = None,
) -> SyncReport:
    """Upload due items in batches until none is due or a request fails.

    Each batch keeps its own count of failed tries (its items' `attempts`), so one
    unlucky batch does not hold back the others; its wait starts when the failed
    answer arrived (`clock`, by default `now` plus the time this call has taken).
    """
    rng = rng or random.Random()
    clock = clock or PassClock(now)
    report = SyncReport()
    while True:
        batch = _batch(_due(store, clock(), report))
        if not batch:
            return report
        wire = [
            UploadItem(
                i.submission_id, i.service_id, i.service_version, i.device_id, i.key_id, i.sealed
            )
            for i in batch
        ]
        report.sent += len(batch)
        try:
            results = client.upload(wire)
        except SyncFailure as failure:
            attempts = max(i.attempts for i in batch)
            delay = next_delay(attempts, rng, failure.retry_after)
            store.record_failure([i.submission_id for i in batch], str(failure), clock() + delay)
            _fail(report, failure)
            return report
        acknowledged = [
            (r.submission_id, r.receipt_number) for r in results if r.result != "rejected"
        ]
        refused = [
            (r.submission_id, r.reason or "rejected") for r in results if r.result == "rejected"
        ]
        try:
            store.settle(acknowledged, refused, clock())
        except StoreFull:
            # The platform has them; only recording that needs room. Make room (the
            # acknowledged payloads of earlier batches, the write-ahead log) and retry
            # once; if the disk is still full, back off like any other failure: the
            # platform answers "duplicate" when the batch comes again.
            space.free_space(store)
            try:
                store.settle(acknowledged, refused, clock())
            except StoreFull:
                full = SyncFailure(FailureKind.DISK_FULL, "no room to record the answers")
                delay = next_delay(max(i.attempts for i in batch), rng)
                with contextlib.suppress(StoreError):  # the pass's own backoff still holds
                    store.record_failure(
                        [i.submission_id for i in batch], str(full), clock() + delay
                    )
                _fail(report, full)
                return report
        report.accepted += sum(r.result == "accepted" for r in results)
        report.duplicate += sum(r.result == "duplicate" for r in results)
        report.rejected += len(refused)
        answered = {r.submission_id for r in results}
        unanswered = [i.submission_id for i in batch if i.submission_id not in answered]
        if unanswered:
            # The server skipped items: try them later rather than loop on them now.
            store.record_failure(
                unanswered, "protocol: no result for item", clock() + next_delay(0, rng)
            )
            report.remaining = unanswered
            return report


def _due(store: Store, now: float, report: SyncReport) -> list[OutboxItem]:
    """The due items; if one of them cannot be read, it is set aside on its own (and
    counted in the report) and the others are returned, so the queue keeps flowing."""
    try:
        return store.due(now, MAX_BATCH_ITEMS)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL:
            raise StoreFull("read the queue: the disk is full") from exc
        if not is_damage(exc):
            raise
        items, bad = readable_due(store, now, MAX_BATCH_ITEMS)
        report.quarantined_damaged += set_aside_damaged(store, bad, now)
        return items


def _fail(report: SyncReport, failure: SyncFailure) -> None:
    report.failure_kind, report.failure_detail = failure.kind, failure.detail
    report.retry_after = failure.retry_after


def pull_status(store: Store, client: PlatformClient) -> int:
    """Status changes of this device's applications since the last cursor."""
    changed = 0
    cursor = store.setting(_STATUS_CURSOR) or "0"
    for _ in range(STATUS_PAGES_PER_PASS):
        page = client.status_changes(cursor)
        done, early = store.apply_status_changes(
            [(c.submission_id, c.status, c.changed) for c in page.changes]
        )
        changed += done
        if early:
            break  # news about items whose acknowledgement we lost: ask again later
        if page.cursor != cursor:
            store.set_setting(_STATUS_CURSOR, page.cursor)
            cursor = page.cursor
        if not page.more:
            break
    return changed


def pull_catalog(
    store: Store, client: PlatformClient, install: CatalogInstaller
) -> CatalogOutcome | None:
    """Fetch a newer catalog if there is one and hand it to `install` (which verifies)."""
    offer = client.catalog(store.setting(_CATALOG_ETAG) or "")
    if offer is None:
        return None
    if hashlib.sha256(offer.package).hexdigest() != offer.etag.strip('"'):
        # Damaged on the way (or not the platform's answer at all): fetch it again later.
        raise SyncFailure("protocol", "catalog package does not match its ETag")
    try:
        version = install(offer.package)
    except Exception as exc:  # any refusal keeps the last good catalog
        # Remember the refused package's tag so it is not fetched again and again.
        store.set_setting(_CATALOG_ETAG, offer.etag)
        return CatalogOutcome(refused=str(exc)[:300] or type(exc).__name__)
    store.set_setting(_CATALOG_ETAG, offer.etag)
    return CatalogOutcome(installed=version)


def _week(when: float) -> str:
    year, week, _ = datetime.datetime.fromtimestamp(when, datetime.UTC).isocalendar()
    return f"{year:04d}-W{week:02d}"


def usage_groups(store: Store, now: float) -> tuple[list[UsageGroup], str]:
    """Applications per service per closed ISO week, not yet reported; groups under
    K_ANONYMITY are left out for good. Also the last closed week (the new watermark)."""
    through = store.setting(_USAGE_THROUGH) or ""
    current = _week(now)
    counts: dict[tuple[str, str], int] = {}
    for service_id, created in store.conn.execute("SELECT service_id, created FROM receipts"):
        week = _week(created)
        if through < week < current:
            counts[(service_id, week)] = counts.get((service_id, week), 0) + 1
    groups = [
        UsageGroup(service, week, n)
        for (service, week), n in sorted(counts.items())
        if n >= K_ANONYMITY
    ]
    return groups, _week(now - 7 * 24 * 3600)


def send_usage(store: Store, client: PlatformClient, now: float) -> int:
    groups, watermark = usage_groups(store, now)
    if watermark <= (store.setting(_USAGE_THROUGH) or ""):
        return 0
    if groups:
        client.send_statistics(groups)
    store.set_setting(_USAGE_THROUGH, watermark)
    return len(groups)


def sync_pass(
    store: Store,
    client: PlatformClient,
    now: float,
    install_catalog: CatalogInstaller | None = None,
    rng: random.Random | None = None,
    network_returned: bool = False,
) -> SyncReport:
    """Everything one sync does, in order; stops at the first failed request.

    After a failure the whole pass waits (full jitter, Retry-After honoured, the wait
    counted from the failed answer and kept in the store so a restart does not hammer
    a struggling platform). The wait grows with passes that failed without delivering
    anything; a pass that delivered some batches before failing starts the count again.
    When the network has just come back, a wait caused by the network being down is
    skipped; one the platform asked for is not.
    """
    rng = rng or random.Random()
    clock = PassClock(now)
    until = float(store.setting(BACKOFF_UNTIL) or 0)
    skip = network_returned and store.setting(LAST_FAILURE_KIND) == FailureKind.NETWORK
    if now < until and not skip:
        return SyncReport(waiting_until=until)
    if client.identity is None:
        client.identity = device_identity(store)
    if client.identity is None:
        return SyncReport.not_enrolled()
    report = SyncReport()
    try:
        if keys_are_due(store, now):
            refresh_platform_keys(store, client, now)
        report = run_once(store, client, now, rng, clock)
        if report.failure_kind is not None:
            raise SyncFailure(report.failure_kind, report.failure_detail, report.retry_after)
        report.statuses = pull_status(store, client)
        if install_catalog is not None:
            checked = float(store.setting(CATALOG_CHECKED) or 0)
            if now - checked >= CATALOG_CHECK_SECONDS or now < checked:
                report.catalog = pull_catalog(store, client, install_catalog)
                store.set_setting(CATALOG_CHECKED, str(now))
        send_usage(store, client, now)
        send_heartbeat(store, client, now)  # the queue figures, every 15 minutes
    except StoreFull:
        # Recording something (a status, a cursor) found the disk full: back off like
        # a failed request; the platform keeps what it has and answers again.
        failure = SyncFailure(FailureKind.DISK_FULL, "no room to record the platform's answers")
        _back_off(store, failure, report.progressed, clock(), rng)
        _fail(report, failure)
        return report
    except SyncFailure as failure:
        _back_off(store, failure, report.progressed, clock(), rng)
        _fail(report, failure)
        return report
    finally:
        if report.progressed and report.failure_kind is not FailureKind.DISK_FULL:
            space.tidy(store)
    if store.setting(CONSECUTIVE_FAILURES) not in (None, "0"):
        store.set_setting(CONSECUTIVE_FAILURES, "0")
    store.set_setting("last_sync", str(now))
    return report


def _back_off(
    store: Store, failure: SyncFailure, progressed: bool, answered: float, rng: random.Random
) -> None:
    """Record the failed pass and the wait before the next one, from `answered`."""
    failures = 1 if progressed else int(store.setting(CONSECUTIVE_FAILURES) or 0) + 1
    until = answered + next_delay(failures - 1, rng, failure.retry_after)
    try:
        with store.transaction("record a failed sync") as conn:
            conn.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [
                    (CONSECUTIVE_FAILURES, str(failures)),
                    (LAST_FAILURE_KIND, str(failure.kind)),
                    (BACKOFF_UNTIL, str(until)),
                ],
            )
    except StoreFull:
        log.error("sync backoff not recorded: the disk is full")
