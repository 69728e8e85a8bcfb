"""Drafts: only the resident's code opens one; wrong codes lock it; time wipes it;
the code itself is never written anywhere."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sync.drafts import (
    MAX_FAILURES,
    DraftExpired,
    DraftLocked,
    DraftNotFound,
    WrongCode,
    list_drafts,
    resume_draft,
    save_draft,
    wipe_expired,
)
from sync.store import Store

CONTENT = {
    "services": ["digital-device-access"],
    "answers": {"name_for_loan": "Test Resident Draft"},
}
NOW = 1_800_000_000.0


def _other(code: str) -> str:
    """The same draft's code with one secret character changed."""
    last = code[-1]
    return code[:-1] + ("2" if last != "2" else "3")


def test_the_right_code_opens_it_once(store: Store) -> None:
    secret = b"d" * 32
    code = save_draft(store, secret, CONTENT, ["digital-device-access"], NOW)
    assert len(code) == 11 and code[5] == "-"
    [info] = list_drafts(store)
    assert info.services == ("digital-device-access",) and info.expires == NOW + 14 * 24 * 3600
    assert resume_draft(store, secret, code.lower().replace("-", " "), NOW + 60) == CONTENT
    with pytest.raises(DraftNotFound):
        resume_draft(store, secret, code, NOW + 61)  # resumed drafts are gone


def test_wrong_codes_lock_the_draft_and_wipe_its_content(store: Store) -> None:
    secret = b"d" * 32
    code = save_draft(store, secret, CONTENT, ["x"], NOW)
    for tries_left in range(MAX_FAILURES - 1, 0, -1):
        with pytest.raises(WrongCode) as caught:
            resume_draft(store, secret, _other(code), NOW)
        assert caught.value.tries_left == tries_left
    with pytest.raises(DraftLocked):
        resume_draft(store, secret, _other(code), NOW)
    with pytest.raises(DraftLocked):
        resume_draft(store, secret, code, NOW)  # even the right code, now
    [info] = list_drafts(store)
    assert info.locked
    assert store.conn.execute("SELECT length(sealed) FROM drafts").fetchone()[0] == 0


def test_another_machine_cannot_open_it_even_with_the_code(store: Store) -> None:
    code = save_draft(store, b"d" * 32, CONTENT, ["x"], NOW)
    with pytest.raises(WrongCode):
        resume_draft(store, b"e" * 32, code, NOW)


def test_a_tampered_draft_is_refused(store: Store) -> None:
    code = save_draft(store, b"d" * 32, CONTENT, ["x"], NOW)
    store.conn.execute("UPDATE drafts SET expires = expires + 86400")  # stretch its life
    with pytest.raises(WrongCode):
        resume_draft(store, b"d" * 32, code, NOW)


def test_expiry_wipes_drafts(store: Store) -> None:
    code = save_draft(store, b"d" * 32, CONTENT, ["x"], NOW, ttl=3600)
    save_draft(store, b"d" * 32, CONTENT, ["x"], NOW, ttl=7200)
    assert wipe_expired(store, NOW + 3601) == 1
    with pytest.raises(DraftNotFound):
        resume_draft(store, b"d" * 32, code, NOW + 3601)
    with pytest.raises(DraftExpired):
        later = save_draft(store, b"d" * 32, CONTENT, ["x"], NOW, ttl=10)
        resume_draft(store, b"d" * 32, later, NOW + 11)


@pytest.mark.parametrize("code", ["", "hello", "ABCDE-FGHIJK-LM", "!!!!!-!!!!!", "0" * 10])
def test_garbage_codes_are_refused_calmly(store: Store, code: str) -> None:
    with pytest.raises(DraftNotFound):
        resume_draft(store, b"d" * 32, code, NOW)


def test_neither_the_code_nor_the_content_is_anywhere_on_disk_or_in_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = Store(tmp_path / "ieum.db")
    codes = [save_draft(store, b"d" * 32, CONTENT, ["x"], NOW) for _ in range(3)]
    resume_draft(store, b"d" * 32, codes[0], NOW)
    store.close()
    disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for code in codes:
        for form in (code, code.replace("-", ""), code[2:].replace("-", "")):
            assert form.encode() not in disk
            assert form not in caplog.text
    assert b"Test Resident Draft" not in disk
