"""One application on this device by its reference number, for the navigator's desk
(a resident who lost their receipt): where it is, never what it says.

An application is in the outbox until the platform acknowledges it, then only its
receipt is left; either way the desk gets the reference, the service, when it was made
and how far it has got. The sealed answers are never read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sync.store import QUARANTINED, Store

SENT = "sent"
"""Acknowledged by the platform: only its receipt remains here."""
WAITING = "waiting"
"""In the outbox, to be sent."""


@dataclass(frozen=True)
class Found:
    reference: str
    service_id: str
    created: float
    place: str
    """"waiting" (to be sent), "quarantined" (refused, set aside) or "sent"."""
    status: str = ""
    """The platform's status once sent ("received", "in_review", ...)."""


def find_application(store: Store, reference: str) -> Found | None:
    """The application with this (canonical) reference on this device, or None."""
    row = store.conn.execute(
        "SELECT reference, service_id, created, status FROM receipts WHERE reference = ?",
        (reference,),
    ).fetchone()
    if row is not None:
        return Found(str(row[0]), str(row[1]), float(row[2]), SENT, str(row[3]))
    row = store.conn.execute(
        "SELECT reference, service_id, created, state FROM outbox WHERE reference = ?",
        (reference,),
    ).fetchone()
    if row is None:
        return None
    place = QUARANTINED if row[3] == QUARANTINED else WAITING
    return Found(str(row[0]), str(row[1]), float(row[2]), place)
