"""The reference platform's storage (SQLite or PostgreSQL, see database.py) and sealing keys.

The sealing keys stay files in the data folder, never rows in the database: a copy of
the database (a backup, a replica, its administrators) holds only sealed applications
that it cannot open."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reference_platform.database import Database, Session, database_url, open_database
from reference_platform.devices import Devices
from reference_platform.migrations import migrate
from reference_platform.root import SignedKeys, load_root_key
from sync.ids import ALPHABET
from sync.protocol import STATUSES, ItemResult, StatusChange, UploadItem, UsageGroup
from sync.sealing import (
    KEM_HYBRID,
    KEM_X25519,
    Binding,
    PlatformKey,
    PlatformPrivateKey,
    SealError,
    open_application,
)


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


def _stored(row: Any) -> StoredSubmission:
    """A submissions row (in StoredSubmission's order); BYTEA or BLOB as bytes."""
    return StoredSubmission(
        row[0], row[1], row[2], row[3], row[4], row[5], bytes(row[6]), float(row[7]), row[8]
    )


_RECEIPT_CHARS = 10
_KEY_FILE_TAGS = {"x25519": KEM_X25519, "hybrid": KEM_HYBRID}


class KeyRing:
    """The platform's sealing keys, newest first; old ones stay to open old seals.

    Each key is a 0600 file keys/NNNN-<kem>.key holding its raw secret bytes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "keys"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.keys: list[PlatformPrivateKey] = []
        self._by_id: dict[str, PlatformPrivateKey] = {}
        for path in sorted(self.folder.glob("*.key"), reverse=True):
            kem = _KEY_FILE_TAGS[path.stem.split("-", 1)[1]]
            self.keys.append(PlatformPrivateKey.from_bytes(kem, path.read_bytes()))

    def add(self, kem: str) -> PlatformPrivateKey:
        """A new newest key: devices seal to it from their next key refresh."""
        key = PlatformPrivateKey.generate(kem)
        tag = next(t for t, k in _KEY_FILE_TAGS.items() if k == kem)
        path = self.folder / f"{len(self.keys) + 1:04}-{tag}.key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key.to_bytes())
            f.flush()
            os.fsync(f.fileno())
        self.keys.insert(0, key)
        self._by_id = {}
        return key

    def find(self, key_id: str) -> PlatformPrivateKey | None:
        if len(self._by_id) != len(self.keys):  # deriving public keys is slow: do it once
            self._by_id = {k.public().key_id: k for k in self.keys}
        return self._by_id.get(key_id)

    def published(self) -> list[PlatformKey]:
        return [k.public() for k in self.keys]


class PlatformStorage:
    """Everything the platform keeps; every request's state is in the database, so any
    number of processes may serve one fleet from one PostgreSQL database."""

    def __init__(self, folder: Path, hybrid: bool = True, database: str | None = None) -> None:
        """A new platform starts with an X25519 key and, unless `hybrid` is off, an
        ML-KEM-768 + X25519 key, which is then the newest: devices seal to it.
        `database`: a URL (see database.py); by default what the folder names."""
        self.folder = folder
        self.keys = KeyRing(folder)
        if not self.keys.keys:
            self.keys.add(KEM_X25519)
            if hybrid:
                self.keys.add(KEM_HYBRID)
        self.db: Database = open_database(database_url(folder, database))
        migrate(self.db)
        self.devices = Devices(self.db)
        self.catalog_key_file = folder / "catalog-signing-key.pub"
        self.signed = SignedKeys(self.db, load_root_key(folder))

    def signed_keys(self, now: float) -> dict[str, str]:
        """The current key list signed by the root key: {key_list, signature}."""
        return self.signed.current(self.keys.published(), self.catalog_signing_keys(), now)

    def check(self) -> None:
        """Raises if the database does not answer (for /health)."""
        with self.db.read() as session:
            session.execute("SELECT 1").fetchone()

    def close(self) -> None:
        self.db.close()

    def receive(self, items: list[UploadItem], now: float, device_id: str) -> list[ItemResult]:
        """Store a batch in one transaction. A resend (same device, same submission id,
        same sealed bytes) gets its original receipt number; any other clash on a
        submission id is rejected, so one device can never answer for another's.

        One device's batches are stored one at a time, whichever replica has them."""
        results: list[ItemResult] = []
        with self.db.transaction() as tx:
            tx.lock(f"device:{device_id}")
            known = self._known(tx, [item.submission_id for item in items])
            for item in items:
                digest = hashlib.sha256(item.sealed).hexdigest()
                if item.device_id != device_id:
                    results.append(
                        ItemResult(item.submission_id, "rejected", reason="other_device")
                    )
                elif item.submission_id in known:
                    results.append(self._clash(item, known[item.submission_id], digest))
                else:
                    result = self._receive_one(tx, item, now, digest)
                    if result.receipt_number:
                        known[item.submission_id] = (device_id, result.receipt_number, digest)
                    results.append(result)
        return results

    @staticmethod
    def _known(tx: Session, ids: list[str]) -> dict[str, tuple[str, str, str]]:
        marks = ",".join("?" * len(ids))
        rows = tx.execute(
            "SELECT submission_id, device_id, receipt_number, sealed_sha256"
            f" FROM submissions WHERE submission_id IN ({marks})",
            ids,
        ).fetchall()
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    @staticmethod
    def _clash(item: UploadItem, stored: tuple[str, str, str], digest: str) -> ItemResult:
        owner, receipt, stored_digest = stored
        if owner != item.device_id:
            return ItemResult(item.submission_id, "rejected", reason="id_taken")
        if stored_digest and stored_digest != digest:
            return ItemResult(item.submission_id, "rejected", reason="different_payload")
        return ItemResult(item.submission_id, "duplicate", receipt_number=receipt)

    @staticmethod
    def _new_receipt_number() -> str:
        """Random, so a receipt number says nothing of how many came before (the
        database's unique constraint refuses the once-in-10^15 clash)."""
        return "SEOUL-" + "".join(secrets.choice(ALPHABET) for _ in range(_RECEIPT_CHARS))

    def _receive_one(self, tx: Session, item: UploadItem, now: float, digest: str) -> ItemResult:
        key = self.keys.find(item.key_id)
        if key is None:
            return ItemResult(item.submission_id, "rejected", reason="unknown_key")
        binding = Binding(item.submission_id, item.service_id, item.service_version, item.device_id)
        try:
            open_application(item.sealed, key, binding)
        except SealError:
            return ItemResult(item.submission_id, "rejected", reason="does_not_open")
        receipt = self._new_receipt_number()
        inserted = tx.execute(
            "INSERT INTO submissions (submission_id, receipt_number, device_id, service_id,"
            " service_version, key_id, sealed, received, sealed_sha256)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (submission_id) DO NOTHING",
            (item.submission_id, receipt, item.device_id, item.service_id,
             item.service_version, item.key_id, item.sealed, now, digest),
        ).rowcount  # fmt: skip
        if inserted != 1:  # another device's request stored this id a moment ago
            return self._clash(
                item, self._known(tx, [item.submission_id])[item.submission_id], digest
            )
        return ItemResult(item.submission_id, "accepted", receipt_number=receipt)

    def accepted_since(self, device_id: str, since: float) -> int:
        """How many submissions a device had accepted since then (its daily quota)."""
        with self.db.read() as session:
            row = session.execute(
                "SELECT count(*) FROM submissions WHERE device_id = ? AND received > ?",
                (device_id, since),
            ).fetchone()
        return int(row[0])

    def submissions(self) -> list[StoredSubmission]:
        with self.db.read() as session:
            rows = session.execute(
                "SELECT submission_id, receipt_number, device_id, service_id, service_version,"
                " key_id, sealed, received, status FROM submissions ORDER BY seq"
            ).fetchall()
        return [_stored(row) for row in rows]

    def open(self, submission: StoredSubmission) -> bytes:
        """The caseworker's view: decrypt one stored submission."""
        key = self.keys.find(submission.key_id)
        if key is None:
            raise SealError(f"no key {submission.key_id} on this platform")
        return open_application(submission.sealed, key, submission.binding())

    def catalog_signing_key(self) -> str:
        """The newest catalog signing key (base64 Ed25519), or "" if none is set up."""
        keys = self.catalog_signing_keys()
        return keys[0] if keys else ""

    def catalog_signing_keys(self) -> list[str]:
        """Every catalog signing key devices accept, newest first (one per line)."""
        try:
            return [k for k in self.catalog_key_file.read_text().split() if k]
        except FileNotFoundError:
            return []

    def set_catalog_signing_key(self, text: str) -> None:
        """Make `text` the newest key; older ones stay (rotation: catalogs signed by them
        still install) until staff delete their lines. Devices learn of it through the
        signed key list."""
        new = text.strip()
        keys = [new, *(k for k in self.catalog_signing_keys() if k != new)]
        self.catalog_key_file.write_text("\n".join(keys) + "\n")

    def set_status(self, which: str, status: str, now: float) -> StoredSubmission:
        """A caseworker's decision; the device learns it at its next status pull."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        with self.db.read() as session:
            row = session.execute(
                "SELECT submission_id, receipt_number, device_id, service_id, service_version,"
                " key_id, sealed, received, status FROM submissions"
                " WHERE submission_id = ? OR receipt_number = ? ORDER BY seq LIMIT 1",
                (which, which),
            ).fetchone()
        if row is None:
            raise KeyError(which)
        chosen = _stored(row)
        with self.db.transaction() as tx:
            tx.lock(f"status:{chosen.device_id}")  # one device_seq at a time
            tx.execute(
                "UPDATE submissions SET status = ? WHERE submission_id = ?",
                (status, chosen.submission_id),
            )
            # The device's own cursor: its n-th change, whatever other devices had.
            tx.execute(
                "INSERT INTO status_changes (submission_id, status, changed, device_seq)"
                " SELECT ?, ?, ?, 1 + coalesce(max(c.device_seq), 0)"
                " FROM status_changes c JOIN submissions s USING (submission_id)"
                " WHERE s.device_id = ?",
                (chosen.submission_id, status, now, chosen.device_id),
            )
        return chosen

    def status_changes(
        self, device_id: str, since: int, limit: int
    ) -> tuple[list[StatusChange], int, bool]:
        """One device's status changes after cursor `since`: (changes, new cursor, more).
        The cursor is the device's own sequence in the database: any replica continues it."""
        with self.db.read() as session:
            rows = session.execute(
                "SELECT c.device_seq, c.submission_id, s.receipt_number, c.status, c.changed"
                " FROM status_changes c JOIN submissions s USING (submission_id)"
                " WHERE s.device_id = ? AND c.device_seq > ? ORDER BY c.device_seq LIMIT ?",
                (device_id, since, limit + 1),
            ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = int(rows[-1][0]) if rows else since
        return [StatusChange(*row[1:]) for row in rows], cursor, more

    def publish_catalog(self, package: bytes, version: str, now: float) -> str:
        """Serve this package from now on; its SHA-256 is its ETag."""
        digest = hashlib.sha256(package).hexdigest()
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO catalog (one, version, sha256, package, published)"
                " VALUES (1, ?, ?, ?, ?) ON CONFLICT(one) DO UPDATE SET version = excluded.version,"
                " sha256 = excluded.sha256, package = excluded.package,"
                " published = excluded.published",
                (version, digest, package, now),
            )
        return digest

    def published_catalog(self) -> tuple[str, str, bytes] | None:
        """(version, sha256, package) of the catalog on offer, if any."""
        with self.db.read() as session:
            row = session.execute("SELECT version, sha256, package FROM catalog").fetchone()
        return None if row is None else (row[0], row[1], bytes(row[2]))

    def record_usage(self, device_id: str, groups: list[UsageGroup]) -> None:
        """Aggregates only; a device reporting a week again replaces its figures."""
        with self.db.transaction() as tx:
            tx.executemany(
                "INSERT INTO usage (device_id, service_id, week, count) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(device_id, service_id, week) DO UPDATE SET count = excluded.count",
                [(device_id, g.service_id, g.week, g.count) for g in groups],
            )

    def usage(self) -> list[tuple[str, str, int]]:
        """(service, week, applications) over all devices."""
        with self.db.read() as session:
            rows = session.execute(
                "SELECT service_id, week, sum(count) FROM usage GROUP BY service_id, week"
                " ORDER BY week, service_id"
            ).fetchall()
        return [(row[0], row[1], int(row[2])) for row in rows]
