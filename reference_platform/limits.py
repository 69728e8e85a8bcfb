"""Per-device rate limits and daily quotas: one enrolled device (a stolen kiosk, a bug in
a loop) must not be able to fill the platform or crowd the others out.

A token bucket per device, kept in memory (a restart only forgives), and a daily quota
on accepted submissions, counted in the database. Both answer 429 with Retry-After,
which devices honour. Unauthenticated requests are the reverse proxy's to limit (per
address); these limits apply only once a request's signature has been checked.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

RATE_PER_SECOND = 20.0
BURST = 600.0
DAILY_SUBMISSIONS = 2000
"""A busy kiosk takes in tens of applications a day; thousands mean something is wrong."""


@dataclass
class DeviceLimits:
    rate: float = RATE_PER_SECOND
    burst: float = BURST
    daily_submissions: int = DAILY_SUBMISSIONS
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, device_id: str, now: float) -> float:
        """0 if this request may go ahead (and it is counted), else the seconds to wait."""
        with self._lock:
            tokens, last = self._buckets.get(device_id, (self.burst, now))
            tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[device_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[device_id] = (tokens, now)
            return (1.0 - tokens) / self.rate


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
