"""Submission ids and the short references residents read off their receipt."""

from __future__ import annotations

import os
import time
import uuid

# Crockford's base-32: no I, L, O or U, so a reference read aloud or typed on a
# number-and-letter pad cannot be confused.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_submission_id(now_ms: int | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): time-ordered, so the platform's index stays compact.

    Python gains uuid.uuid7 only in 3.14; the layout is fixed by the RFC.
    """
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms & ((1 << 48) - 1)) << 80
    value |= int.from_bytes(os.urandom(10), "big") & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version 7
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # RFC 4122 variant
    return uuid.UUID(int=value)


def new_reference() -> str:
    """The resident's reference: 10 characters from 50 random bits of its own, as
    XXXX-XXXX-XX.

    50 random bits make a guess at someone else's reference hopeless, and the status
    screen asks for nothing more than this. They are drawn apart from the submission
    id, which staff see in the audit log and the diagnostics zip: an id must not give
    the reference away.
    """
    return _format(int.from_bytes(os.urandom(7), "big"))


def reference_for(submission_id: uuid.UUID) -> str:
    """A reference made from an id's random bits: only for fixtures and screenshots
    (applications get `new_reference()`)."""
    return _format(submission_id.int & ((1 << 62) - 1))


def _format(bits: int) -> str:
    chars = []
    for _ in range(10):
        chars.append(ALPHABET[bits & 31])
        bits >>= 5
    code = "".join(chars)
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_reference(text: str) -> str | None:
    """A typed or scanned reference in canonical form, or None if it cannot be one."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    code = "".join(ch for ch in text.upper().translate(table) if ch.isalnum())
    if len(code) != 10 or any(ch not in ALPHABET for ch in code):
        return None
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"
