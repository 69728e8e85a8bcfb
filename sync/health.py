"""How the queue is doing, in figures a navigator can act on, and nothing about residents.

The dashboard shows these, the diagnostics zip carries them, and a test checks them
against the store row by row. Quarantined applications are listed by reference,
service, date and the platform's reason: the reference is the resident's own receipt
number, which they show staff anyway; answers are sealed and never read here.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from sync.damage import damaged_count
from sync.runner import BACKOFF_UNTIL, CATALOG_CHECKED, CONSECUTIVE_FAILURES, LAST_FAILURE_KIND
from sync.store import LOST_ENTRIES, POSSIBLY_LOST, QUARANTINED, WAITING, Store


@dataclass(frozen=True)
class SetAside:
    """A quarantined application, as staff may see it."""

    submission_id: str
    reference: str
    service_id: str
    since: float
    reason: str


@dataclass(frozen=True)
class QueueHealth:
    waiting: int
    """In the outbox, not tried yet (or sent again by staff)."""
    retrying: int
    """In the outbox, tried and failed for reasons outside them (network, platform down)."""
    quarantined: int
    """Refused by the platform itself: kept aside for staff, never deleted."""
    sent: int
    """Received and confirmed by the platform: only a receipt is left here."""
    drafts: int
    oldest_waiting_seconds: float | None
    last_sync: float | None
    """When a sync pass last went through to the end."""
    consecutive_failures: int
    last_failure_kind: str
    """network, server, auth, rate_limited, protocol ... of the last failed pass."""
    waiting_until: float
    """Syncing pauses until then (backoff), unless the network has just come back."""
    set_aside: list[SetAside] = field(default_factory=list)
    lost_entries: int = 0
    """Committed entries the store no longer has (its log cut short or the file lost),
    found against the high-water marker kept beside it; 0 when nothing is missing."""
    possibly_lost: list[str] = field(default_factory=list)
    """Reference numbers of applications that may be among them."""
    damaged_rows: int = 0
    """Outbox rows that could not be read, set aside on their own."""

    @property
    def in_queue(self) -> int:
        return self.waiting + self.retrying + self.quarantined


def queue_health(store: Store, now: float | None = None) -> QueueHealth:
    """Read the figures in one go (one read transaction, so they agree with each other)."""
    now = time.time() if now is None else now
    conn = store.conn
    conn.execute("BEGIN")  # one snapshot: the figures agree with each other
    try:
        rows = conn.execute(
            "SELECT state, attempts > 0, count(*), min(created) FROM outbox GROUP BY 1, 2"
        ).fetchall()
        sent = conn.execute("SELECT count(*) FROM receipts").fetchone()[0]
        drafts = conn.execute("SELECT count(*) FROM drafts").fetchone()[0]
        # Read as bytes: a damaged row set aside here must not stop the dashboard.
        aside = conn.execute(
            "SELECT CAST(submission_id AS BLOB), CAST(reference AS BLOB),"
            " CAST(service_id AS BLOB), created, CAST(last_error AS BLOB) FROM outbox"
            " WHERE state = ? ORDER BY created",
            (QUARANTINED,),
        ).fetchall()
        settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    finally:
        conn.execute("COMMIT")
    counts = {"waiting": 0, "retrying": 0, QUARANTINED: 0}
    oldest: float | None = None
    for state, tried, n, first in rows:
        if state == WAITING:
            counts["retrying" if tried else "waiting"] += n
            oldest = first if oldest is None else min(oldest, first)
        elif state == QUARANTINED:
            counts[QUARANTINED] += n
    last_sync = settings.get("last_sync")
    failures = int(settings.get(CONSECUTIVE_FAILURES) or 0)
    return QueueHealth(
        waiting=counts["waiting"],
        retrying=counts["retrying"],
        quarantined=counts[QUARANTINED],
        sent=sent,
        drafts=drafts,
        oldest_waiting_seconds=None if oldest is None else max(0.0, now - oldest),
        last_sync=float(last_sync) if last_sync else None,
        consecutive_failures=failures,
        last_failure_kind=settings.get(LAST_FAILURE_KIND, "") if failures else "",
        waiting_until=float(settings.get(BACKOFF_UNTIL) or 0),
        set_aside=[
            SetAside(_text(sid), _text(ref), _text(service), float(since or 0), _text(reason))
            for sid, ref, service, since, reason in aside
        ],
        lost_entries=int(settings.get(LOST_ENTRIES) or 0),
        possibly_lost=json.loads(settings.get(POSSIBLY_LOST) or "[]"),
        damaged_rows=damaged_count(store),
    )


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value or ""


def check_catalog_soon(store: Store) -> None:
    """Staff asked for a catalog update: the next sync pass asks the platform for one,
    not only once its daily check is due."""
    store.set_setting(CATALOG_CHECKED, "0")
