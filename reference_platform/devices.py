"""The platform's register of devices: one-time enrollment tokens, keys, revocation, nonces."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

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
    """Backed by the platform's database; nonces are kept in memory (see `remember_nonce`)."""

    def __init__(self, conn: sqlite3.Connection, started: float) -> None:
        self.conn = conn
        conn.executescript(SCHEMA)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(enrollment_tokens)")}
        if "reenroll" not in columns:  # platforms created before re-enrollment existed
            with conn:
                conn.execute("ALTER TABLE enrollment_tokens ADD COLUMN reenroll TEXT")
        self.started = started
        self._nonces: dict[str, float] = {}
        self._lock = threading.Lock()

    def new_token(self, now: float, label: str = "", lifetime: float = TOKEN_LIFETIME) -> str:
        """A one-time enrollment token for staff to type into a new kiosk; only its hash is kept."""
        token = "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4))
        with self.conn:
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
        with self.conn:
            self.conn.execute(
                "UPDATE enrollment_tokens SET reenroll = ? WHERE digest = ?",
                (device_id, token_digest(token)),
            )
        return token

    def enroll(self, token: str, public_key_text: str, now: float) -> str:
        """Spend a token on a device key; the device's new id. AuthError if refused.

        A re-enrollment token re-keys the device it was issued for and returns its id."""
        public_key_from_text(public_key_text)  # refuse garbage before spending the token
        with self.conn:
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
        with self.conn:
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
        """Refuse a nonce seen before. Kept in memory: a request older than this process's
        start is refused as stale instead, so a restart opens no window for replays."""
        if timestamp < self.started - 1:
            raise AuthError("stale")
        key = f"{device_id} {nonce}"
        with self._lock:
            if key in self._nonces:
                raise AuthError("replayed")
            self._nonces[key] = timestamp
            if len(self._nonces) > 10_000:
                horizon = now - 2 * MAX_SKEW
                self._nonces = {k: t for k, t in self._nonces.items() if t >= horizon}
