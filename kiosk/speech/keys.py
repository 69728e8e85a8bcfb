"""Message keys: the file names of recorded prompts, the same in every language's pack.

A key is the first 16 hex digits of SHA-256 over the English source wording: the gettext
msgid for the kiosk's own words (with its context, joined by gettext's EOT, when it has
one), or the "en" entry of a definition's text. So "Yes" is recorded once however many
screens say it, a file name is safe everywhere, and when the English wording changes the
key changes with it, exactly as the translation has to be redone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

KEY_LENGTH = 16


def message_key(msgid: str, context: str = "") -> str:
    """The key of a gettext message (msgid as in locales/ieum.pot)."""
    source = f"{context}\x04{msgid}" if context else msgid
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def text_key(text: Mapping[str, str]) -> str:
    """The key of a definition's text (a LocalText): its English entry, else its Korean."""
    source = text.get("en") or text.get("ko") or ""
    return message_key(source) if source else ""


def is_key(name: str) -> bool:
    return len(name) == KEY_LENGTH and all(c in "0123456789abcdef" for c in name)
