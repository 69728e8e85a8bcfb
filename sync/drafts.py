"""Drafts: a paused application, encrypted so that only the resident's resume code opens it.

The resume code (e.g. "7KQ2M-XD4RB") is shown to the resident and never stored. Its
first two characters say which draft it is; the other eight (40 bits) are the secret.
The key is Argon2id(secret, a per-draft salt, with the device secret as Argon2's
secret), so a stolen disk cannot try codes cheaply, and a draft cannot be opened on
another machine. AES-256-GCM encrypts the draft and binds its id and dates. Five wrong
codes lock a draft and wipe its content; drafts expire (14 days by default) and are wiped.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from sync import audit
from sync.ids import ALPHABET
from sync.store import Store

DEFAULT_TTL = 14 * 24 * 3600.0
MAX_FAILURES = 5
LOCATOR_CHARS = 2
SECRET_CHARS = 8
# Argon2id: 64 MiB and 3 passes take a few tenths of a second on a small board:
# nothing for a resident resuming once, a great deal for someone trying 2^40 codes.
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_ITERATIONS = 3


class DraftError(Exception):
    """Base of what can go wrong when resuming; messages are safe to show staff."""


class DraftNotFound(DraftError):
    """No draft answers to this code (mistyped, resumed already, or wiped)."""


class WrongCode(DraftError):
    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong code; {tries_left} tries left")
        self.tries_left = tries_left


class DraftLocked(DraftError):
    """Too many wrong codes: the draft's content has been wiped."""


class DraftExpired(DraftError):
    """The draft was kept as long as allowed and has been wiped."""


@dataclass(frozen=True)
class DraftInfo:
    """What staff may see about a draft: nothing the resident said."""

    services: tuple[str, ...]
    created: float
    expires: float
    locked: bool


def _normalise(code: str) -> str | None:
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    text = "".join(ch for ch in code.upper().translate(table) if ch.isalnum())
    if len(text) != LOCATOR_CHARS + SECRET_CHARS or any(ch not in ALPHABET for ch in text):
        return None
    return text


def _key(secret: str, salt: bytes, device_secret: bytes) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=ARGON2_ITERATIONS,
        lanes=1,
        memory_cost=ARGON2_MEMORY_KIB,
        secret=device_secret,
    )
    return kdf.derive(secret.encode())


def _aad(draft_id: str, created: float, expires: float, services: str) -> bytes:
    return json.dumps(["ieum-draft/1", draft_id, created, expires, services]).encode()


def save_draft(
    store: Store,
    device_secret: bytes,
    content: dict[str, Any],
    services: list[str],
    now: float,
    navigator: str = "",
    ttl: float = DEFAULT_TTL,
) -> str:
    """Encrypt and keep a draft; returns the resume code to show (and never store)."""
    secret = "".join(secrets.choice(ALPHABET) for _ in range(SECRET_CHARS))
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _key(secret, salt, device_secret)
    listed = json.dumps(services)
    expires = now + ttl
    with store.transaction("save a draft") as conn:
        taken = {r[0] for r in conn.execute("SELECT draft_id FROM drafts")}
        free = [a + b for a in ALPHABET for b in ALPHABET if a + b not in taken]
        if not free:
            raise DraftError("no room for another draft: resume or wipe some first")
        draft_id = secrets.choice(free)
        sealed = AESGCM(key).encrypt(
            nonce, json.dumps(content).encode(), _aad(draft_id, now, expires, listed)
        )
        conn.execute(
            "INSERT INTO drafts (draft_id, salt, nonce, sealed, services, navigator, created,"
            " expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (draft_id, salt, nonce, sealed, listed, navigator, now, expires),
        )
        audit.append(conn, "draft_saved", now, navigator, {"services": services})
    code = draft_id + secret
    return f"{code[:5]}-{code[5:]}"


def resume_draft(store: Store, device_secret: bytes, code: str, now: float) -> dict[str, Any]:
    """The draft's content, removed from the store; or a DraftError saying why not."""
    text = _normalise(code)
    if text is None:
        raise DraftNotFound("not a resume code")
    draft_id, secret = text[:LOCATOR_CHARS], text[LOCATOR_CHARS:]
    row = store.conn.execute(
        "SELECT salt, nonce, sealed, services, created, expires, failures, locked FROM drafts"
        " WHERE draft_id = ?",
        (draft_id,),
    ).fetchone()
    if row is None:
        raise DraftNotFound("no draft with this code")
    salt, nonce, sealed, services, created, expires, failures, locked = row
    if locked:
        raise DraftLocked("locked after too many wrong codes")
    if expires <= now:
        wipe_expired(store, now)
        raise DraftExpired("this draft has expired")
    try:
        plain = AESGCM(_key(secret, salt, device_secret)).decrypt(
            nonce, sealed, _aad(draft_id, created, expires, services)
        )
    except InvalidTag:
        _wrong_code(store, draft_id, now)
        left = MAX_FAILURES - failures - 1
        if left <= 0:
            raise DraftLocked("locked after too many wrong codes") from None
        raise WrongCode(left) from None
    with store.transaction("resume a draft") as conn:
        conn.execute("DELETE FROM drafts WHERE draft_id = ?", (draft_id,))
        audit.append(conn, "draft_resumed", now, details={"services": json.loads(services)})
    store.forget()
    content: dict[str, Any] = json.loads(plain)
    return content


def _wrong_code(store: Store, draft_id: str, now: float) -> None:
    with store.transaction("count a wrong code") as conn:
        conn.execute("UPDATE drafts SET failures = failures + 1 WHERE draft_id = ?", (draft_id,))
        failures = conn.execute(
            "SELECT failures FROM drafts WHERE draft_id = ?", (draft_id,)
        ).fetchone()[0]
        if failures >= MAX_FAILURES:
            # Locked: the content goes now; the row stays so staff see what happened.
            conn.execute(
                "UPDATE drafts SET locked = 1, sealed = zeroblob(0) WHERE draft_id = ?", (draft_id,)
            )
            audit.append(conn, "draft_locked", now)
    if failures >= MAX_FAILURES:
        store.forget()


def wipe_expired(store: Store, now: float | None = None) -> int:
    """Delete drafts whose time is up (secure_delete overwrites them); returns how many."""
    now = time.time() if now is None else now
    with store.transaction("wipe expired drafts") as conn:
        count = conn.execute("DELETE FROM drafts WHERE expires <= ?", (now,)).rowcount
        if count:
            audit.append(conn, "drafts_expired", now, details={"count": count})
    if count:
        store.forget()
    return int(count)


def list_drafts(store: Store) -> list[DraftInfo]:
    rows = store.conn.execute(
        "SELECT services, created, expires, locked FROM drafts ORDER BY created"
    )
    return [DraftInfo(tuple(json.loads(s)), c, e, bool(lk)) for s, c, e, lk in rows]
