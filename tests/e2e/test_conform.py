"""The conformance kit (`python -m reference_platform conform`) against real deployments:
the reference platform passes; a receiver that forgets to deduplicate does not."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

from reference_platform.conform import CHECKS
from reference_platform.local import LocalPlatform, start_local_platform
from tests.conftest import ROOT
from tests.e2e.rewriting import RewritingProxy
from tools.vm.tls import self_signed


def _conform(url: str, token: str, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "reference_platform", "conform", url, "--token", token]
    command += extra
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_reference_platform_conforms(platform: LocalPlatform) -> None:
    done = _conform(platform.url, platform.new_token("conformance kit"))
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stdout + done.stderr
    assert sum(line.startswith("ok    ") for line in lines) == len(CHECKS)
    assert lines[-1] == f"{len(CHECKS)} of {len(CHECKS)} checks passed: ok"


def test_a_receiver_without_dedupe_fails_the_kit(platform: LocalPlatform) -> None:
    fresh = itertools.count(1)

    def forgetful(path: str, data: Any) -> Any:
        """Answers a resend as if it were new, with a new receipt number."""
        if path == "/v1/submissions":
            for result in data.get("results", []):
                if result["result"] == "duplicate":
                    result["result"] = "accepted"
                    result["receipt_number"] = f"FAKE-{next(fresh):06d}"
        return data

    proxy = RewritingProxy(platform.url, forgetful)
    try:
        done = _conform(proxy.url, platform.new_token("conformance kit"))
    finally:
        proxy.close()
    assert done.returncode == 1
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    assert [line.split(":")[0] for line in failed] == [
        "FAIL  dedupe",
        "FAIL  exactly-once",
    ], done.stdout


def test_a_deployment_over_tls_with_its_own_authority(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path, ("127.0.0.1",))
    platform = start_local_platform(tmp_path / "platform", tls=(cert, key))
    try:
        unknown = _conform(platform.url, platform.new_token("conformance kit"))
        assert unknown.returncode == 1 and "FAIL  contract: health" in unknown.stdout
        done = _conform(
            platform.url, platform.new_token("conformance kit"), "--ca-bundle", str(cert)
        )
        assert done.returncode == 0, done.stdout + done.stderr
    finally:
        platform.stop()
