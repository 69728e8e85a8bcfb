"""What the kiosk has let go of is gone from the disk, write-ahead log included (issue 16).

secure_delete overwrites deleted rows in the database's pages, but SQLite's WAL keeps
the pages' earlier images until a checkpoint: the sealed application the platform has
acknowledged, and a draft once resumed, locked or wiped, must not be found in either.
"""

from __future__ import annotations

import time
from pathlib import Path

from reference_platform.local import LocalPlatform
from sync.client import PlatformClient
from sync.device import device_secret
from sync.drafts import WrongCode, resume_draft, save_draft, wipe_expired
from sync.enrollment import current_platform_key
from sync.runner import sync_pass
from sync.store import Store
from sync.submission import submit_application

PAYLOAD = {
    "service": {"id": "digital-device-access", "version": "2026.1"},
    "answers": {"household_size": 2, "name_for_loan": "Test Resident"},
}


def _on_disk(store: Store) -> bytes:
    files = [Path(str(store.path) + suffix) for suffix in ("", "-wal")]
    return b"".join(p.read_bytes() for p in files if p.exists())


def _pieces(blob: bytes) -> list[bytes]:
    """Three 24-byte slices: any one left on the disk gives the ciphertext away."""
    return [blob[i : i + 24] for i in (0, len(blob) // 2, len(blob) - 24)]


def test_acknowledged_ciphertext_is_gone_from_database_and_wal(
    store: Store, platform: LocalPlatform, client: PlatformClient
) -> None:
    submit_application(store, PAYLOAD, current_platform_key(store), time.time())
    [queued] = store.outbox()
    assert all(piece in _on_disk(store) for piece in _pieces(queued.sealed))
    assert sync_pass(store, client, time.time()).accepted == 1
    disk = _on_disk(store)
    assert not any(piece in disk for piece in _pieces(queued.sealed))


def test_a_resumed_locked_or_wiped_draft_is_gone_from_database_and_wal(store: Store) -> None:
    secret = device_secret(store.path.parent)
    now = time.time()

    def sealed_of(code: str) -> bytes:
        draft_id = code.replace("-", "")[:2]
        row = store.conn.execute(
            "SELECT sealed FROM drafts WHERE draft_id = ?", (draft_id,)
        ).fetchone()
        return bytes(row[0])

    resumed = save_draft(store, secret, {"answers": {"n": 1}}, ["svc"], now)
    locked = save_draft(store, secret, {"answers": {"n": 2}}, ["svc"], now)
    wiped = save_draft(store, secret, {"answers": {"n": 3}}, ["svc"], now, ttl=60)
    blobs = [sealed_of(code) for code in (resumed, locked, wiped)]
    resume_draft(store, secret, resumed, now)
    wrong = locked[:-1] + ("A" if locked[-1] != "A" else "B")
    for _ in range(10):
        try:
            resume_draft(store, secret, wrong, now)
        except WrongCode:
            continue
        except Exception:
            break
    assert wipe_expired(store, now + 120) == 1
    disk = _on_disk(store)
    for blob in blobs:
        assert not any(piece in disk for piece in _pieces(blob))
