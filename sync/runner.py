"""One pass of sync: upload what is due, record a result for every item.

A plain function of the store, the client and the time: the kiosk calls it from a
worker thread on a timer and after each new application; tests call it directly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sync.client import PlatformClient, SyncFailure
from sync.protocol import MAX_BATCH_BYTES, MAX_BATCH_ITEMS, UploadItem
from sync.store import OutboxItem, Store

BACKOFF_BASE = 2.0
BACKOFF_CAP = 15 * 60.0


def next_delay(attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
    """Seconds to wait before the next try: full jitter, capped; Retry-After is a floor."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(attempts, 30))
    delay = rng.uniform(0, ceiling)
    return max(delay, retry_after or 0.0)


@dataclass
class SyncReport:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    failure: str = ""
    remaining: list[str] = field(default_factory=list)


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
    store: Store, client: PlatformClient, now: float, rng: random.Random | None = None
) -> SyncReport:
    """Upload due items in batches until none is due or a request fails."""
    rng = rng or random.Random()
    report = SyncReport()
    while True:
        batch = _batch(store.due(now, MAX_BATCH_ITEMS))
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
            store.record_failure([i.submission_id for i in batch], str(failure), now + delay)
            report.failure = str(failure)
            return report
        answered = set()
        for result in results:
            answered.add(result.submission_id)
            if result.result in ("accepted", "duplicate"):
                store.acknowledge(result.submission_id, result.receipt_number, now)
                if result.result == "accepted":
                    report.accepted += 1
                else:
                    report.duplicate += 1
            else:
                store.quarantine(result.submission_id, result.reason or "rejected")
                report.rejected += 1
        unanswered = [i.submission_id for i in batch if i.submission_id not in answered]
        if unanswered:
            # The server skipped items: try them later rather than loop on them now.
            store.record_failure(
                unanswered, "protocol: no result for item", now + next_delay(0, rng)
            )
            report.remaining = unanswered
            return report
