"""Staff accounts that sign in with the network down.

A navigator picks their name and types a PIN (or a passphrase). Only an Argon2id hash
of it is kept (a PHC string), peppered with a key derived from the device secret: a
copied database alone does not let anyone try PINs offline, they need the secret too
(which systemd keeps encrypted, with the TPM where there is one). Hashes from before the
pepper are still accepted and replaced by peppered ones at the next sign-in. Wrong PINs lock the
account for a growing while: 3 tries free, then 30 s, 1 min, 2 min ... up to an hour,
and during a lock the PIN is not even checked (no free guesses, no time spent).
Every sign-in and refusal goes into the audit log, without the PIN.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from sync import audit
from sync.device import device_secret
from sync.store import Store

ROLES = ("navigator", "administrator")
FREE_TRIES = 3
FIRST_LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 3600.0
_MEMORY_KIB = 64 * 1024
_ITERATIONS = 3


class SignInRefused(Exception):
    """Why a sign-in did not happen. `reason`: unknown, wrong_pin, locked, disabled."""

    def __init__(self, reason: str, wait_seconds: float = 0.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait_seconds = wait_seconds


class WeakPin(ValueError):
    """A PIN must be at least 6 digits, or a passphrase at least 10 characters."""


@dataclass(frozen=True)
class Navigator:
    navigator_id: str
    name: str
    role: str

    @property
    def is_administrator(self) -> bool:
        return self.role == "administrator"


def pin_pepper(secret: bytes) -> bytes:
    """The Argon2id secret for staff PINs, from the device secret (never stored)."""
    return HKDF(SHA256(), 32, salt=None, info=b"ieum staff pin pepper/1").derive(secret)


def _store_pepper(store: Store) -> bytes:
    return pin_pepper(device_secret(store.path.parent))


def _derive(pin: str, salt: bytes, memory_kib: int, iterations: int) -> bytes:
    kdf = Argon2id(salt=salt, length=32, iterations=iterations, lanes=1, memory_cost=memory_kib)
    return kdf.derive(pin.encode())


def hash_pin(pin: str, pepper: bytes) -> str:
    """The stored form: a PHC string ($argon2id$v=19$m=...,t=...,p=1$salt$hash), its
    parameters included so they can be raised later; the pepper is not in it."""
    kdf = Argon2id(
        salt=os.urandom(16),
        length=32,
        iterations=_ITERATIONS,
        lanes=1,
        memory_cost=_MEMORY_KIB,
        secret=pepper,
    )
    return kdf.derive_phc_encoded(pin.encode())


def is_legacy_hash(stored: str) -> bool:
    """A hash from before the pepper (argon2id$m=...,t=...$salt$hash)."""
    return stored.startswith("argon2id$")


def pin_matches(pin: str, stored: str, pepper: bytes) -> bool:
    if not is_legacy_hash(stored):
        try:
            Argon2id.verify_phc_encoded(pin.encode(), stored, secret=pepper)
        except (InvalidKey, ValueError):
            return False
        return True
    try:
        kind, params, salt_text, digest_text = stored.split("$")
        settings = dict(p.split("=") for p in params.split(","))
        salt, digest = base64.b64decode(salt_text), base64.b64decode(digest_text)
        memory, iterations = int(settings["m"]), int(settings["t"])
    except (ValueError, KeyError):
        return False
    if kind != "argon2id":
        return False
    return hmac.compare_digest(_derive(pin, salt, memory, iterations), digest)


def check_pin_strength(pin: str) -> None:
    if pin.isdigit() and len(pin) >= 6:
        if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
            raise WeakPin("a PIN of one repeated digit or a run like 123456 is too easy")
        return
    if not pin.isdigit() and len(pin) >= 10:
        return
    raise WeakPin("use at least 6 digits, or a passphrase of at least 10 characters")


def lock_seconds(failures: int) -> float:
    """How long an account waits after `failures` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return 0.0
    return float(min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - FREE_TRIES)))


def create_navigator(
    store: Store, name: str, pin: str, now: float, role: str = "navigator", by: str = ""
) -> Navigator:
    """A local account (or one provisioned from the platform); WeakPin if the PIN is."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    name = " ".join(name.split())
    if not 1 <= len(name) <= 60:
        raise ValueError("a name of 1 to 60 characters")
    check_pin_strength(pin)
    navigator = Navigator("nav-" + secrets.token_hex(6), name, role)
    stored = hash_pin(pin, _store_pepper(store))
    with store.transaction("create a staff account") as conn:
        conn.execute(
            "INSERT INTO navigators (navigator_id, name, role, pin_hash, created)"
            " VALUES (?, ?, ?, ?, ?)",
            (navigator.navigator_id, name, role, stored, now),
        )
        audit.append(conn, "navigator_created", now, navigator=by,
                     details={"navigator": navigator.navigator_id, "role": role})  # fmt: skip
    return navigator


def list_navigators(store: Store) -> list[Navigator]:
    rows = store.conn.execute(
        "SELECT navigator_id, name, role FROM navigators WHERE disabled = 0 ORDER BY name"
    ).fetchall()
    return [Navigator(*row) for row in rows]


def sign_in(store: Store, navigator_id: str, pin: str, now: float) -> Navigator:
    """The navigator, or SignInRefused saying why (and how long to wait when locked)."""
    row = store.conn.execute(
        "SELECT name, role, pin_hash, disabled, failures, locked_until FROM navigators"
        " WHERE navigator_id = ?",
        (navigator_id,),
    ).fetchone()
    if row is None:
        raise SignInRefused("unknown")
    name, role, stored, disabled, failures, locked_until = row
    if disabled:
        raise SignInRefused("disabled")
    if now < locked_until:
        raise SignInRefused("locked", locked_until - now)
    pepper = _store_pepper(store)
    if pin_matches(pin, stored, pepper):
        if is_legacy_hash(stored):
            stored = hash_pin(pin, pepper)  # the PIN is at hand only now: pepper it
        with store.transaction("record a sign-in") as conn:
            conn.execute(
                "UPDATE navigators SET failures = 0, locked_until = 0, pin_hash = ?"
                " WHERE navigator_id = ?",
                (stored, navigator_id),
            )
            audit.append(conn, "navigator_signed_in", now, navigator=navigator_id)
        return Navigator(navigator_id, name, role)
    failures += 1
    wait = lock_seconds(failures)
    with store.transaction("record a refused sign-in") as conn:
        conn.execute(
            "UPDATE navigators SET failures = ?, locked_until = ? WHERE navigator_id = ?",
            (failures, now + wait, navigator_id),
        )
        audit.append(conn, "sign_in_refused", now, navigator=navigator_id,
                     details={"failures": failures})  # fmt: skip
    if wait:
        raise SignInRefused("locked", wait)
    raise SignInRefused("wrong_pin")


def sign_out(store: Store, navigator: Navigator, now: float, why: str = "asked") -> None:
    with store.transaction("record a sign-out") as conn:
        audit.append(conn, "navigator_signed_out", now, navigator=navigator.navigator_id,
                     details={"why": why})  # fmt: skip
