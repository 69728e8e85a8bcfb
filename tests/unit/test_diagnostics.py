"""The help desk's zip and the staff's requeue: useful figures, no trace of a resident."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from sync.device import device_secret
from sync.drafts import save_draft
from sync.sealing import PlatformPrivateKey
from sync.store import QUARANTINED, WAITING, Store
from sync.submission import submit_application
from tests.conftest import ROOT

FAKE_NAME = "Zzyzx Fakeperson"
FAKE_PHONE = "01099990000"
KEY = PlatformPrivateKey.generate().public()


def _seed(store: Store) -> None:
    payload = {
        "service": {"id": "digital-device-access", "version": "2026.1"},
        "answers": {"name_for_loan": FAKE_NAME, "contact_phone": FAKE_PHONE},
    }
    for _ in range(3):
        submit_application(store, payload, KEY, time.time())
    first = store.outbox()[0]
    store.quarantine(first.submission_id, "does_not_open")
    secret = device_secret(store.path.parent)
    content = {"answers": payload["answers"]}
    save_draft(store, secret, content, ["digital-device-access"], time.time())


def test_the_zip_has_the_figures_and_nothing_personal(store: Store, tmp_path: Path) -> None:
    _seed(store)
    log = store.path.parent / "ieum.log"
    log.write_text("2026-11-22 sync: network: ConnectError\n")
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "sync", "diagnostics", "--data", str(store.path.parent),
         "--out", str(tmp_path / "diag.zip")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = Path(result.stdout.strip()).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    queue = json.loads(archive.read("queue.json"))
    assert (queue[WAITING], queue[QUARANTINED], queue["drafts"]) == (2, 1, 1)
    assert json.loads(archive.read("audit.json"))["verification"]["ok"] is True
    assert "ConnectError" in archive.read("log.txt").decode()
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for secret in (FAKE_NAME, FAKE_PHONE, "Zzyzx"):
        assert secret.encode() not in everything and secret.encode() not in data


def test_staff_can_requeue_a_set_aside_application(store: Store) -> None:
    _seed(store)
    [kept] = store.outbox(QUARANTINED)
    assert store.requeue(kept.submission_id, time.time(), navigator="nav-test")
    assert store.outbox(QUARANTINED) == []
    assert not store.requeue(kept.submission_id, time.time())  # only set-aside ones
