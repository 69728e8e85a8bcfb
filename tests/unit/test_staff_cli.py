"""`python -m sync add-staff`: a device's first administrator, from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sync import audit
from sync.navigators import list_navigators, sign_in
from sync.store import Store

ROOT = Path(__file__).resolve().parents[2]


def add_staff(data: Path, pin: str, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sync", "add-staff", "--data", str(data), *extra]
    return subprocess.run(
        command, input=pin + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_an_administrator_is_added_and_can_sign_in(tmp_path: Path) -> None:
    done = add_staff(tmp_path, "582731", "--name", "Test Admin", "--role", "administrator")
    assert done.returncode == 0, done.stderr
    assert "582731" not in done.stdout + done.stderr
    store = Store(tmp_path / "ieum.db")
    try:
        [admin] = list_navigators(store)
        assert (admin.name, admin.role) == ("Test Admin", "administrator")
        assert sign_in(store, admin.navigator_id, "582731", 1_800_000_000.0) == admin
        events = [e["event"] for e in audit.recent(store.conn)]
        assert "navigator_created" in events
        raw = (tmp_path / "ieum.db").read_bytes()
        assert b"582731" not in raw  # only its Argon2id hash is kept
    finally:
        store.close()


def test_a_weak_pin_or_no_name_is_refused_with_a_reason(tmp_path: Path) -> None:
    weak = add_staff(tmp_path, "444444", "--name", "Test Navigator")
    assert weak.returncode == 1 and "too easy" in weak.stderr
    assert "444444" not in weak.stderr
    nameless = add_staff(tmp_path, "582731")
    assert nameless.returncode == 2 and "--name" in nameless.stderr
    store = Store(tmp_path / "ieum.db")
    try:
        assert list_navigators(store) == []
    finally:
        store.close()
