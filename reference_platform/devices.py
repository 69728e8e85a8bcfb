"""The platform's register of devices: one-time enrollment tokens, keys, revocation, nonces.

Nonces live in the database until the request they came with would be stale anyway,
so a request replayed after a restart is refused like any other replay.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reference_platform.database import Database, Session
from sync.auth import MAX_SKEW, AuthError, public_key_from_text, token_digest
from sync.ids import ALPHABET

TOKEN_LIFETIME = 7 * 24 * 3600.0
SEEN_EVERY = 60.0
"""Seconds between two last-seen writes for one device from one process."""


@dataclass(frozen=True)
class Device:
    device_id: str
    public_key: Ed25519PublicKey
    label: str
    revoked: bool


class Devices:
    """Backed by the platform's database, nonces included (see `remember_nonce`)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._next_sweep = 0.0
        self._seen: dict[str, float] = {}

    def new_token(self, now: float, label: str = "", lifetime: float = TOKEN_LIFETIME) -> str:
        """A one-time enrollment token for staff to type into a new kiosk; only its hash is kept."""
        token = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4))
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO enrollment_tokens (digest, label, created, expires) VALUES (?,?,?,?)",
                (token_digest(token), label, now, now + lifetime),
            )
        return token

    def new_reenrollment_token(
        self, device_id: str, now: float, lifetime: float = TOKEN_LIFETIME
    ) -> str:
        """A one-time token that gives an existing device a new key (its store was lost):
        the device keeps its id, and with it its submissions, statuses and usage. Only
        for a device that exists and is not revoked (a revoked one is enrolled anew)."""
        device = self.find(device_id)
        if device is None or device.revoked:
            raise KeyError(device_id)
        token = self.new_token(now, device.label, lifetime)
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE enrollment_tokens SET reenroll = ? WHERE digest = ?",
                (device_id, token_digest(token)),
            )
        return token

    def enroll(self, token: str, public_key_text: str, now: float) -> str:
        """Spend a token on a device key; the device's new id. AuthError if refused.

        A re-enrollment token re-keys the device it was issued for and returns its id."""
        public_key_from_text(public_key_text)  # refuse garbage before spending the token
        with self.db.transaction() as tx:
            tx.lock(f"token:{token_digest(token)}")  # one replica spends it
            row = tx.execute(
                "SELECT label, expires, used_by, reenroll FROM enrollment_tokens WHERE digest = ?",
                (token_digest(token),),
            ).fetchone()
            if row is None or row[1] < now:
                raise AuthError("bad_token")
            if row[3] is not None and row[2] is None:
                return self._rekey(tx, token, row[3], public_key_text, now)
            existing = tx.execute(
                "SELECT device_id FROM devices WHERE public_key = ?", (public_key_text,)
            ).fetchone()
            if row[2] is not None:
                # A lost response: the same device asking again gets the same id.
                if existing is not None and existing[0] == row[2]:
                    return str(row[2])
                raise AuthError("bad_token")
            if existing is not None:
                raise AuthError("already_enrolled")
            device_id = "dev-" + "".join(secrets.choice(ALPHABET) for _ in range(12))
            tx.execute(
                "INSERT INTO devices (device_id, public_key, label, enrolled) VALUES (?,?,?,?)",
                (device_id, public_key_text, row[0], now),
            )
            tx.execute(
                "UPDATE enrollment_tokens SET used_by = ? WHERE digest = ?",
                (device_id, token_digest(token)),
            )
        return device_id

    def _rekey(
        self, tx: Session, token: str, device_id: str, public_key_text: str, now: float
    ) -> str:
        """Inside enroll's transaction: give `device_id` this key and spend the token."""
        holder = tx.execute(
            "SELECT device_id FROM devices WHERE public_key = ?", (public_key_text,)
        ).fetchone()
        if holder is not None and holder[0] != device_id:
            raise AuthError("already_enrolled")  # another device's key
        done = tx.execute(
            "UPDATE devices SET public_key = ? WHERE device_id = ? AND revoked IS NULL",
            (public_key_text, device_id),
        ).rowcount
        if done != 1:
            raise AuthError("bad_token")
        tx.execute(
            "UPDATE enrollment_tokens SET used_by = ? WHERE digest = ?",
            (device_id, token_digest(token)),
        )
        return device_id

    def find(self, device_id: str) -> Device | None:
        with self.db.read() as session:
            row = session.execute(
                "SELECT device_id, public_key, label, revoked FROM devices WHERE device_id = ?",
                (device_id,),
            ).fetchone()
        if row is None:
            return None
        return Device(row[0], public_key_from_text(row[1]), row[2], row[3] is not None)

    def revoke(self, device_id: str, now: float) -> bool:
        with self.db.write() as tx:
            done = tx.execute(
                "UPDATE devices SET revoked = ? WHERE device_id = ? AND revoked IS NULL",
                (now, device_id),
            ).rowcount
        return done == 1

    def listing(self) -> list[tuple[str, str, float, float | None]]:
        with self.db.read() as session:
            rows = session.execute(
                "SELECT device_id, label, enrolled, revoked FROM devices ORDER BY enrolled"
            ).fetchall()
        return [tuple(row) for row in rows]

    def remember_nonce(self, device_id: str, timestamp: int, nonce: str, now: float) -> None:
        """Refuse a nonce seen before, across restarts: each is kept until its request's
        timestamp is beyond the allowed skew (when it would be refused as stale).

        The table's primary key decides: a nonce inserted by any replica, or by this
        one before a restart, makes the insert do nothing, and the request is refused."""
        with self._lock:
            sweep = now >= self._next_sweep
            if sweep:
                self._next_sweep = now + 60
        if sweep:
            with self.db.write() as tx:
                tx.execute("DELETE FROM nonces WHERE expires < ?", (now,))
        with self.db.write() as tx:
            inserted = tx.execute(
                "INSERT INTO nonces (device_id, nonce, expires) VALUES (?, ?, ?)"
                " ON CONFLICT (device_id, nonce) DO NOTHING",
                (device_id, nonce, timestamp + MAX_SKEW + 1),
            ).rowcount
        if inserted != 1:
            raise AuthError("replayed")

    def record_audit_head(self, device_id: str, head: tuple[int, str] | None, now: float) -> str:
        """Keep the highest audit head a device reported; "" or the alarm this report
        raises (kept for staff: `devices` shows it) when the log went back or changed."""
        with self.db.transaction() as tx:
            tx.lock(f"audit:{device_id}")
            row = tx.execute(
                "SELECT seq, mac FROM audit_heads WHERE device_id = ?", (device_id,)
            ).fetchone()
            alarm = ""
            if row is not None and head is None:
                alarm = f"audit log head missing (had {row[0]})"
            elif row is not None and head is not None and head[0] < row[0]:
                alarm = f"audit log went back from {row[0]} to {head[0]}"
            elif row is not None and head is not None and head[0] == row[0] and head[1] != row[1]:
                alarm = f"audit log entry {head[0]} was rewritten"
            if alarm:
                tx.execute(
                    "UPDATE audit_heads SET alarm = ?, seen = ? WHERE device_id = ?",
                    (alarm, now, device_id),
                )
            elif head is not None:
                tx.execute(
                    "INSERT INTO audit_heads (device_id, seq, mac, seen) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(device_id) DO UPDATE SET seq = excluded.seq,"
                    " mac = excluded.mac, seen = excluded.seen",
                    (device_id, head[0], head[1], now),
                )
        return alarm

    def audit_alarms(self) -> dict[str, str]:
        """Devices whose audit log went back or changed, with what was seen."""
        with self.db.read() as session:
            rows = session.execute("SELECT device_id, alarm FROM audit_heads WHERE alarm != ''")
            return {row[0]: row[1] for row in rows.fetchall()}

    def seen(self, device_id: str, now: float) -> None:
        """Record that a device was heard from (any signed request); at most once a
        minute per device and process, so it costs no write on most requests."""
        with self._lock:
            if now - self._seen.get(device_id, 0.0) < SEEN_EVERY:
                return
            self._seen[device_id] = now
        with self.db.write() as tx:
            tx.execute(
                "INSERT INTO device_seen (device_id, last_seen) VALUES (?, ?)"
                " ON CONFLICT (device_id) DO UPDATE SET last_seen ="
                " CASE WHEN excluded.last_seen > device_seen.last_seen"
                " THEN excluded.last_seen ELSE device_seen.last_seen END",
                (device_id, now),
            )

    def record_heartbeat(
        self, device_id: str, figures: Mapping[str, int | float], now: float
    ) -> None:
        """A kiosk's latest queue figures (counts and ages: nothing personal)."""
        text = json.dumps({k: figures[k] for k in sorted(figures)})
        with self._lock:
            self._seen[device_id] = now
        with self.db.write() as tx:
            tx.execute(
                "INSERT INTO device_seen (device_id, last_seen, heartbeat, heartbeat_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET"
                " last_seen = excluded.last_seen, heartbeat = excluded.heartbeat,"
                " heartbeat_at = excluded.heartbeat_at",
                (device_id, now, text, now),
            )

    def last_seen(self) -> dict[str, tuple[float, dict[str, int | float]]]:
        """device id: (when last heard from, the figures of its latest heartbeat)."""
        with self.db.read() as session:
            rows = session.execute(
                "SELECT device_id, last_seen, heartbeat FROM device_seen"
            ).fetchall()
        return {row[0]: (float(row[1]), json.loads(row[2])) for row in rows}
