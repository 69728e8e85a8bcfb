"""The kiosk's heartbeat: its queue figures, for the city's view of its fleet.

Once every `HEARTBEAT_SECONDS`, at the end of a sync pass that got that far, the kiosk
tells the platform how many applications are still waiting, how many are set aside
for staff, and how old the oldest waiting one is: counts and ages, never anything
about a person (the platform refuses anything but named numbers). A platform that
does not know the route (404: an older one, or a city's receiver without it) is not an
error; the kiosk asks again after the same interval.
"""

from __future__ import annotations

from sync.client import FailureKind, PlatformClient, SyncFailure
from sync.store import QUARANTINED, WAITING, Store

HEARTBEAT_SECONDS = 15 * 60.0
SENT = "heartbeat_sent"


def queue_figures(store: Store, now: float) -> dict[str, int | float]:
    """What the heartbeat says: numbers only."""
    counts = store.counts(now)
    oldest = counts.get("oldest_waiting_seconds")
    return {
        "queued": int(counts.get(WAITING, 0)),
        "quarantined": int(counts.get(QUARANTINED, 0)),
        "oldest_queued_s": max(0.0, float(oldest or 0.0)),
    }


def send_heartbeat(store: Store, client: PlatformClient, now: float) -> bool:
    """Send the figures if they are due; whether a heartbeat went (or was not wanted)."""
    last = float(store.setting(SENT) or 0)
    if 0 <= now - last < HEARTBEAT_SECONDS:
        return False
    try:
        client.heartbeat(queue_figures(store, now))
    except SyncFailure as failure:
        if (failure.kind, failure.detail) != (FailureKind.REFUSED, "404"):
            raise
    store.set_setting(SENT, str(now))
    return True
