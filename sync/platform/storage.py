"""The reference platform's own SQLite database and sealing key."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from sync.protocol import ItemResult, UploadItem
from sync.sealing import (
    Binding,
    SealError,
    new_platform_private_key,
    open_application,
    public_key_of,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL UNIQUE,
    receipt_number TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    service_version TEXT NOT NULL,
    key_id TEXT NOT NULL,
    sealed BLOB NOT NULL,
    received REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'received'
)
"""


@dataclass(frozen=True)
class StoredSubmission:
    submission_id: str
    receipt_number: str
    device_id: str
    service_id: str
    service_version: str
    key_id: str
    sealed: bytes
    received: float
    status: str

    def binding(self) -> Binding:
        return Binding(self.submission_id, self.service_id, self.service_version, self.device_id)


def load_or_create_key(folder: Path) -> X25519PrivateKey:
    """The platform's sealing key, kept in a 0600 file; created on first start."""
    path = folder / "sealing-key.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, X25519PrivateKey):
            raise ValueError(f"{path} is not an X25519 key")
        return key
    key = new_platform_private_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
        f.flush()
        os.fsync(f.fileno())
    return key


class PlatformStorage:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.private_key = load_or_create_key(folder)
        self.public_key = public_key_of(self.private_key)
        self.conn = sqlite3.connect(
            str(folder / "platform.db"), isolation_level=None, check_same_thread=False
        )
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def receive(self, items: list[UploadItem], now: float) -> list[ItemResult]:
        """Store a batch in one transaction; duplicates get their original receipt number."""
        results: list[ItemResult] = []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for item in items:
                results.append(self._receive_one(item, now))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return results

    def _receive_one(self, item: UploadItem, now: float) -> ItemResult:
        row = self.conn.execute(
            "SELECT receipt_number FROM submissions WHERE submission_id = ?", (item.submission_id,)
        ).fetchone()
        if row is not None:
            return ItemResult(item.submission_id, "duplicate", receipt_number=row[0])
        if item.key_id != self.public_key.key_id:
            return ItemResult(item.submission_id, "rejected", reason="unknown_key")
        binding = Binding(item.submission_id, item.service_id, item.service_version, item.device_id)
        try:
            open_application(item.sealed, self.private_key, binding)
        except SealError:
            return ItemResult(item.submission_id, "rejected", reason="does_not_open")
        seq = self.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM submissions").fetchone()[0]
        receipt = f"SEOUL-{seq:08d}"
        self.conn.execute(
            "INSERT INTO submissions (seq, submission_id, receipt_number, device_id, service_id,"
            " service_version, key_id, sealed, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                item.submission_id,
                receipt,
                item.device_id,
                item.service_id,
                item.service_version,
                item.key_id,
                item.sealed,
                now,
            ),
        )
        return ItemResult(item.submission_id, "accepted", receipt_number=receipt)

    def submissions(self) -> list[StoredSubmission]:
        rows = self.conn.execute(
            "SELECT submission_id, receipt_number, device_id, service_id, service_version,"
            " key_id, sealed, received, status FROM submissions ORDER BY seq"
        ).fetchall()
        return [StoredSubmission(*row) for row in rows]

    def open(self, submission: StoredSubmission) -> bytes:
        """The caseworker's view: decrypt one stored submission."""
        return open_application(submission.sealed, self.private_key, submission.binding())
