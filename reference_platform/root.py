"""The platform's root signing key and the key list it signs (see sync/trust.py).

The root key is a 0600 file `root-signing-key` (raw Ed25519 seed) made once, at the
platform's first start; devices pin its public half at enrollment, so replacing it
means enrolling every device again. The signed key list is kept in the database with
its version, which grows by one whenever the sealing keys or the catalog signing keys
change, so every device can refuse an older list.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reference_platform.database import Database
from sync.sealing import PlatformKey
from sync.trust import root_public_text, sign_key_list


def load_root_key(folder: Path) -> Ed25519PrivateKey:
    """The platform's root key, made on first use (never overwritten)."""
    path = folder / "root-signing-key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Ed25519PrivateKey.from_private_bytes(path.read_bytes())
    key = Ed25519PrivateKey.generate()
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes_raw())
        f.flush()
        os.fsync(f.fileno())
    return key


class SignedKeys:
    def __init__(self, db: Database, root: Ed25519PrivateKey) -> None:
        self.db = db
        self.root = root
        self.public = root_public_text(root)

    def current(
        self, encryption_keys: list[PlatformKey], catalog_keys: list[str], now: float
    ) -> dict[str, str]:
        """The signed key list for these keys; signed again, one version up, on change
        (by one replica: the others find it done)."""
        content = json.dumps([[k.to_wire() for k in encryption_keys], catalog_keys])
        with self.db.read() as session:
            row = session.execute("SELECT content, key_list, signature FROM key_list").fetchone()
        if row is not None and row[0] == content:
            return {"key_list": row[1], "signature": row[2]}
        with self.db.transaction() as tx:
            tx.lock("key_list")
            found = tx.execute(
                "SELECT version, content, key_list, signature FROM key_list"
            ).fetchone()
            if found is not None and found[1] == content:  # another request just did it
                return {"key_list": found[2], "signature": found[3]}
            version = (int(found[0]) if found else 0) + 1
            signed = sign_key_list(self.root, version, int(now), encryption_keys, catalog_keys)
            tx.execute(
                "INSERT INTO key_list (one, version, issued_at, content, key_list, signature)"
                " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(one) DO UPDATE SET"
                " version = excluded.version, issued_at = excluded.issued_at,"
                " content = excluded.content, key_list = excluded.key_list,"
                " signature = excluded.signature",
                (version, int(now), content, signed["key_list"], signed["signature"]),
            )
        return signed
