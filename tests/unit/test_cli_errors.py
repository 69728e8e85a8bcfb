"""Every command line, given broken input, says what is wrong in one line and exits 1 or 2.

No traceback: an administrator reads the message, not a Python stack (issue 19).
Each case runs the real command in a subprocess, as an administrator would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SOURCE = ROOT / "resources" / "catalog" / "source"
DEMO = ROOT / "resources" / "catalog"
SUMMARY = " error(s), "
"""`forms validate`'s count line, printed after the problems."""


def _run(*args: str | Path) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and SUMMARY not in line
    ]
    return result.returncode, lines


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    (folder / "bad.json").write_text("{", encoding="utf-8")
    (folder / "list.json").write_text("[1]", encoding="utf-8")
    (folder / "wrong-key.json").write_text('{"age_typo": 70}', encoding="utf-8")
    (folder / "wrong-answer.json").write_text('{"birth_year": "old"}', encoding="utf-8")
    (folder / "not-a-zip.ieumcat").write_text("hello", encoding="utf-8")
    (folder / "a-file").write_text("", encoding="utf-8")
    (folder / "lonely" / "services").mkdir(parents=True)
    shutil.copy(SOURCE / "services" / "youth-transport.json", folder / "lonely" / "services")
    subprocess.run(
        [sys.executable, "-m", "forms", "keygen", "--out", str(folder / "other")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return folder


CASES: list[tuple[str, list[str], str]] = [
    # (name, arguments with {t} for the folder above, what the one line must say)
    ("unknown command", ["forms", "bogus"], "invalid choice"),
    ("service file alone", ["forms", "validate", "{t}/lonely/services/youth-transport.json"],
     "shared.json not found"),
    ("private key to validate", ["forms", "validate", f"{DEMO}/demo.ieumcat", "--key",
                                 f"{DEMO}/DEMO-ONLY-signing-key.pem"], "give the .pub file"),
    ("wrong key names both", ["forms", "validate", f"{DEMO}/demo.ieumcat", "--key",
                              "{t}/other.pub"], "signed with key c9327555019aab5a, the pinned key"),
    ("not a package", ["forms", "validate", "{t}/not-a-zip.ieumcat", "--key",
                       f"{DEMO}/DEMO-ONLY-signing-key.pub"], "not a readable package"),
    ("missing folder", ["forms", "validate", "{t}/nowhere"], "nowhere"),
    ("sign with a public key", ["forms", "sign", str(SOURCE), "--key",
                                f"{DEMO}/DEMO-ONLY-signing-key.pub", "--out", "{t}/x.ieumcat"],
     "is not a private key"),
    ("sign with a missing key", ["forms", "sign", str(SOURCE), "--key", "{t}/none.pem",
                                 "--out", "{t}/x.ieumcat"], "No such file"),
    ("sign into a missing folder", ["forms", "sign", str(SOURCE), "--key",
                                    f"{DEMO}/DEMO-ONLY-signing-key.pem", "--out",
                                    "{t}/no/x.ieumcat"], "No such file"),
    ("keygen over a key", ["forms", "keygen", "--out", "{t}/other"], "already exists"),
    ("profile not JSON", ["forms", "eligibility", "--catalog", str(SOURCE), "--profile",
                          "{t}/bad.json"], "not JSON"),
    ("profile not an object", ["forms", "eligibility", "--catalog", str(SOURCE), "--profile",
                               "{t}/list.json"], "must be a JSON object"),
    ("profile wrong key", ["forms", "eligibility", "--catalog", str(SOURCE), "--profile",
                           "{t}/wrong-key.json"], "'age_typo' is not a shared question"),
    ("profile wrong answer", ["forms", "eligibility", "--catalog", str(SOURCE), "--profile",
                              "{t}/wrong-answer.json"], "birth_year: 'old' is not an answer"),
    ("profile missing", ["forms", "eligibility", "--catalog", str(SOURCE), "--profile",
                         "{t}/none.json"], "No such file"),
    ("bad date", ["forms", "eligibility", "--catalog", str(SOURCE), "--profile",
                  "{t}/wrong-key.json", "--today", "soon"], "not a date like"),
    ("sync: no store", ["sync", "status", "--data", "{t}/nowhere"], "no store at"),
    ("sync: data is a file", ["sync", "add-staff", "--data", "{t}/a-file", "--name", "x"],
     "a-file"),
    ("sync: unknown command", ["sync", "bogus"], "invalid choice"),
    ("sync: salvage without a file", ["sync", "salvage", "--into", "{t}"], "salvage needs"),
    ("sync: salvage without --into", ["sync", "salvage", "{t}/bad.json"], "needs --into"),
    ("sync: salvage of no database", ["sync", "salvage", "{t}/bad.json", "--into", "{t}/into"],
     "is not an SQLite database"),
    ("platform: no data folder", ["reference_platform", "list", "--data", "{t}/nowhere"],
     "no platform data here"),
    ("platform: data is a file", ["reference_platform", "list", "--data", "{t}/a-file"],
     "a-file"),
    ("platform: bad port", ["reference_platform", "serve", "--data", "{t}/rp", "--port",
                            "99999999"], "is not a port"),
    ("platform: missing catalog key", ["reference_platform", "serve", "--data", "{t}/rp",
                                       "--catalog-key", "{t}/none.pub", "--port", "0"],
     "No such file"),
    ("platform: broken certificate", ["reference_platform", "serve", "--data", "{t}/rp",
                                      "--tls-cert", "{t}/bad.json", "--tls-key",
                                      "{t}/bad.json", "--port", "0"], "not a usable certificate"),
    ("platform: no such submission", ["reference_platform", "set-status", "--data", "{t}/rp",
                                      "x", "approved"], "no such submission"),
]  # fmt: skip


def test_refused_commands_leave_no_folder_behind(files: Path) -> None:
    """A salvage of a file that holds no database, a listing of a mistyped folder:
    refused before anything is created."""
    _run("sync", "salvage", str(files / "bad.json"), "--into", str(files / "salvaged"))
    _run("reference_platform", "devices", "--data", str(files / "mistyped"))
    assert not (files / "salvaged").exists() and not (files / "mistyped").exists()


@pytest.mark.parametrize(("name", "args", "says"), CASES, ids=[c[0] for c in CASES])
def test_broken_input_gives_one_line_and_exit_1_or_2(
    files: Path, name: str, args: list[str], says: str
) -> None:
    code, lines = _run(*(a.replace("{t}", str(files)) for a in args))
    assert code in (1, 2), (name, lines)
    assert len(lines) == 1, lines
    assert says in lines[0], lines
