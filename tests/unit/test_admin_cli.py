"""python -m forms: what a catalog administrator runs, with real files and exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.unit.forms_fixtures import SOURCE

DEMO_PUB = ROOT / "resources" / "catalog" / "DEMO-ONLY-signing-key.pub"


def forms(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "forms", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_the_bundled_catalog_and_package() -> None:
    folder = forms("validate", str(SOURCE))
    assert folder.returncode == 0 and "0 error(s), 0 warning(s)" in folder.stderr
    package = forms("validate", "resources/catalog/demo.ieumcat", "--key", str(DEMO_PUB))
    assert package.returncode == 0, package.stdout + package.stderr


def test_validate_lists_every_error_with_file_and_path(tmp_path: Path) -> None:
    broken = tmp_path / "catalog"
    shutil.copytree(SOURCE, broken)
    path = broken / "services" / "digital-device-access.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["questions"][2]["type"] = "telepathy"
    document["eligibility"][0]["rule"] = {"==": [{"var": "ghost"}, 1]}
    path.write_text(json.dumps(document), encoding="utf-8")
    result = forms("validate", str(broken))
    assert result.returncode == 1
    assert f'{path}: question "device" (questions[2]).type: error:' in result.stdout
    # The shape error stops this file before its meaning is checked; the next run shows it.
    document["questions"][2]["type"] = "single_choice"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = forms("validate", str(broken))
    assert result.returncode == 1
    assert (
        f'{path}: rule "support_or_senior" (eligibility[0]).rule.==[0].var: error: '
        "unknown question or value 'ghost'" in result.stdout
    )


def test_sign_then_verify_with_a_new_key_and_refuse_with_another(tmp_path: Path) -> None:
    assert forms("keygen", "--out", str(tmp_path / "k")).returncode == 0
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    out = tmp_path / "c.ieumcat"
    signed = forms("sign", str(SOURCE), "--key", str(tmp_path / "k.pem"), "--out", str(out))
    assert signed.returncode == 0 and "8 services" in signed.stdout
    assert forms("validate", str(out), "--key", str(tmp_path / "k.pub")).returncode == 0
    refused = forms("validate", str(out), "--key", str(DEMO_PUB))
    assert refused.returncode == 1 and "signature does not match" in refused.stdout


def test_eligibility_for_a_profile(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({
        "birth_year": 1999, "residence": "seoul", "household_size": 1, "income_band": "under_50",
        "employment": "unemployed", "receives_livelihood_support": False,
    }))  # fmt: skip
    result = forms(
        "eligibility", "--catalog", str(SOURCE), "--profile", str(profile),
        "--lang", "en", "--today", "2026-11-22",
    )  # fmt: skip
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith("eligible") and "seoul-youth-allowance" in line for line in lines)
    assert "27" in result.stdout  # the age, filled into a reason
