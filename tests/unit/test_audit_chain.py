"""The audit chain against someone who can write the database file but does not hold
the device secret (issue 16): removing the end of the log, or rewriting it and chaining
it again, must not verify."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from sync import audit
from sync.sealing import PlatformPrivateKey
from sync.store import Store
from sync.submission import submit_application

KEY = PlatformPrivateKey.generate().public()
PAYLOAD = {"service": {"id": "digital-device-access", "version": "2026.1"}, "answers": {"n": 1}}


def _store_with_entries(folder: Path, count: int) -> Store:
    store = Store(folder / "ieum.db")
    for n in range(count):
        submit_application(store, dict(PAYLOAD, answers={"n": n}), KEY, time.time())
    conn = store.conn
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    assert audit.verify(conn).ok and audit.verify(conn).entries == count
    return store


def _sha_link(prev: str, row: tuple[int, float, str, str, str]) -> str:
    seq, at, event, navigator, details = row
    body = json.dumps([seq, round(at, 6), event, navigator, details], separators=(",", ":"))
    return hashlib.sha256((prev + body).encode()).hexdigest()


def test_deleting_the_end_of_the_log_is_found(tmp_path: Path) -> None:
    store = _store_with_entries(tmp_path, 5)
    store.conn.execute("DELETE FROM audit WHERE seq > 3")
    result = audit.verify(store.conn)
    assert not result.ok and result.first_broken == 4
    assert "entries after 3 are missing" in result.problem
    # Putting the head back to what entry 3 says does not help: the head has its own tag.
    mac = store.conn.execute("SELECT hash FROM audit WHERE seq = 3").fetchone()[0]
    store.set_setting(audit.HEAD, f"3:{mac}:{'0' * 64}")
    assert not audit.verify(store.conn).ok
    store.close()


def test_a_rewritten_and_chained_again_log_is_found(tmp_path: Path) -> None:
    store = _store_with_entries(tmp_path, 4)
    conn = store.conn
    rows = conn.execute(
        "SELECT seq, at, event, navigator, details FROM audit ORDER BY seq"
    ).fetchall()
    # The forger rewrites entry 2 and recomputes every link after it, the only way
    # open to them without the key: unkeyed SHA-256, or HMAC under a key of their own.
    for forge in ("sha256", "other key"):
        prev = audit.GENESIS
        for seq, at, event, navigator, details in rows:
            if seq == 2:
                details = "{}"
            if forge == "sha256":
                link = _sha_link(prev, (seq, at, event, navigator, details))
            else:
                link = audit._mac(b"k" * 32, prev, seq, at, event, navigator, details)
            conn.execute(
                "UPDATE audit SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (details, prev, link, seq),
            )
            prev = link
        if forge == "other key":
            conn.execute("DELETE FROM settings WHERE key = ?", (audit.HEAD,))
        # (Deleting the head and writing every entry in the old unkeyed form looks like
        # a log from before the key: only a head held elsewhere, by the platform, can
        # tell those apart.)
        result = audit.verify(conn)
        assert not result.ok, forge
        assert result.first_broken is not None and result.first_broken <= 4
    store.close()


def test_a_log_from_before_the_key_stays_valid_and_is_sealed_by_the_next_entry(
    tmp_path: Path,
) -> None:
    store = _store_with_entries(tmp_path, 3)
    conn = store.conn
    rows = conn.execute("SELECT seq, at, event, navigator, details FROM audit ORDER BY seq")
    prev = audit.GENESIS
    for row in rows.fetchall():  # as an older version wrote it
        link = _sha_link(prev, row)
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, link, row[0]))
        prev = link
    conn.execute("DELETE FROM settings WHERE key = ?", (audit.HEAD,))
    assert audit.verify(conn).ok
    submit_application(store, PAYLOAD, KEY, time.time())  # the first keyed entry
    assert audit.verify(conn).ok and audit.verify(conn).entries == 4
    conn.execute("UPDATE audit SET details = '{}' WHERE seq = 2")  # an old entry changed
    assert audit.verify(conn).first_broken == 2
    store.close()


def test_an_emptied_log_is_found(tmp_path: Path) -> None:
    store = _store_with_entries(tmp_path, 2)
    store.conn.execute("DELETE FROM audit")
    assert not audit.verify(store.conn).ok
    store.close()
