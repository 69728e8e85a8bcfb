"""The platform's register of devices: one-time enrollment tokens, keys, revocation, nonces.

Nonces live in the database until the request they came with would be stale anyway,
so a request replayed after a restart is refused like any other replay.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from reference_platform.db import transaction
from sync.auth import MAX_SKEW, AuthError, public_key_from_text, token_digest
from sync.ids import ALPHABET

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    enrolled REAL NOT NULL,
    revoked REAL
);
CREATE TABLE IF NOT EXISTS nonces (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires);
CREATE TABLE IF NOT EXISTS audit_heads (
    device_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    mac TEXT NOT NULL,
    seen REAL NOT NULL,
    alarm TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS enrollment_tokens (
    digest TEXT PRIMARY KEY,
    label TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    expires REAL NOT NULL,
    used_by TEXT
);
"""
TOKEN_LIFETIME = 7 * 24 * 3600.0


@dataclass(frozen=True)
class Device:
    device_id: str
    public_key: Ed25519PublicKey
    label: str
    revoked: bool


class Devices:
    """Backed by the platform's database, nonces included (see `remember_nonce`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.executescript(SCHEMA)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(enrollment_tokens)")}
        if "reenroll" not in columns:  # platforms created before re-enrollment existed
            conn.execute("ALTER TABLE enrollment_tokens ADD COLUMN reenroll TEXT")
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def new_token(self, now: float, label: str = "", lifetime: float = TOKEN_LIFETIME) -> str:
        """A one-time enrollment token for staff to type into a new kiosk; only its hash is kept."""
        token = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4))
        with transaction(self.conn):
            self.conn.execute(
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
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE enrollment_tokens SET reenroll = ? WHERE digest = ?",
                (device_id, token_digest(token)),
            )
        return token

    def enroll(self, token: str, public_key_text: str, now: float) -> str:
        """Spend a token on a device key; the device's new id. AuthError if refused.

        A re-enrollment token re-keys the device it was issued for and returns its id."""
        public_key_from_text(public_key_text)  # refuse garbage before spending the token
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT label, expires, used_by, reenroll FROM enrollment_tokens WHERE digest = ?",
                (token_digest(token),),
            ).fetchone()
            if row is None or row[1] < now:
                raise AuthError("bad_token")
            if row[3] is not None and row[2] is None:
                return self._rekey(token, row[3], public_key_text, now)
            existing = self.conn.execute(
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
            self.conn.execute(
                "INSERT INTO devices (device_id, public_key, label, enrolled) VALUES (?,?,?,?)",
                (device_id, public_key_text, row[0], now),
            )
            self.conn.execute(
                "UPDATE enrollment_tokens SET used_by = ? WHERE digest = ?",
                (device_id, token_digest(token)),
            )
        return device_id

    def _rekey(self, token: str, device_id: str, public_key_text: str, now: float) -> str:
        """Inside enroll's transaction: give `device_id` this key and spend the token."""
        holder = self.conn.execute(
            "SELECT device_id FROM devices WHERE public_key = ?", (public_key_text,)
        ).fetchone()
        if holder is not None and holder[0] != device_id:
            raise AuthError("already_enrolled")  # another device's key
        done = self.conn.execute(
            "UPDATE devices SET public_key = ? WHERE device_id = ? AND revoked IS NULL",
            (public_key_text, device_id),
        ).rowcount
        if done != 1:
            raise AuthError("bad_token")
        self.conn.execute(
            "UPDATE enrollment_tokens SET used_by = ? WHERE digest = ?",
            (device_id, token_digest(token)),
        )
        return device_id

    def find(self, device_id: str) -> Device | None:
        row = self.conn.execute(
            "SELECT device_id, public_key, label, revoked FROM devices WHERE device_id = ?",
            (device_id,),
        ).fetchone()
        if row is None:
            return None
        return Device(row[0], public_key_from_text(row[1]), row[2], row[3] is not None)

    def revoke(self, device_id: str, now: float) -> bool:
        with transaction(self.conn):
            done = self.conn.execute(
                "UPDATE devices SET revoked = ? WHERE device_id = ? AND revoked IS NULL",
                (now, device_id),
            ).rowcount
        return done == 1

    def listing(self) -> list[tuple[str, str, float, float | None]]:
        return self.conn.execute(
            "SELECT device_id, label, enrolled, revoked FROM devices ORDER BY enrolled"
        ).fetchall()

    def remember_nonce(self, device_id: str, timestamp: int, nonce: str, now: float) -> None:
        """Refuse a nonce seen before, across restarts: each is kept until its request's
        timestamp is beyond the allowed skew (when it would be refused as stale)."""
        with self._lock, transaction(self.conn):
            if now >= self._next_sweep:
                self.conn.execute("DELETE FROM nonces WHERE expires < ?", (now,))
                self._next_sweep = now + 60
            try:
                self.conn.execute(
                    "INSERT INTO nonces (device_id, nonce, expires) VALUES (?, ?, ?)",
                    (device_id, nonce, timestamp + MAX_SKEW + 1),
                )
            except sqlite3.IntegrityError:
                raise AuthError("replayed") from None

    def record_audit_head(self, device_id: str, head: tuple[int, str] | None, now: float) -> str:
        """Keep the highest audit head a device reported; "" or the alarm this report
        raises (kept for staff: `devices` shows it) when the log went back or changed."""
        with transaction(self.conn):
            row = self.conn.execute(
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
                self.conn.execute(
                    "UPDATE audit_heads SET alarm = ?, seen = ? WHERE device_id = ?",
                    (alarm, now, device_id),
                )
            elif head is not None:
                self.conn.execute(
                    "INSERT INTO audit_heads (device_id, seq, mac, seen) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(device_id) DO UPDATE SET seq = excluded.seq,"
                    " mac = excluded.mac, seen = excluded.seen",
                    (device_id, head[0], head[1], now),
                )
        return alarm

    def audit_alarms(self) -> dict[str, str]:
        """Devices whose audit log went back or changed, with what was seen."""
        rows = self.conn.execute("SELECT device_id, alarm FROM audit_heads WHERE alarm != ''")
        return dict(rows.fetchall())
