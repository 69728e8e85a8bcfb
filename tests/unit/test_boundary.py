"""forms/ and sync/ are the Qt-free core: importing all of it must not load Qt."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import importlib, pkgutil, sys
import forms, sync
for package in (forms, sync):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
banned = ("PySide6", "shiboken6", "qrcode")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in banned)
print(",".join(loaded))
print(len([m for m in sys.modules if m.startswith(("forms.", "sync."))]))
"""


def test_core_imports_without_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    forbidden, count = result.stdout.rstrip("\n").split("\n")
    assert forbidden == ""
    assert int(count) >= 10  # the probe really walked the packages
