"""The Qt binding must survive months of calls: PySide6 6.12.0 on Python 3.11 did not."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
from PySide6.QtCore import QObject
o = QObject()
for _ in range(20000):
    o.setObjectName("x")  # returns nothing: each call once cost None a reference
print("alive")
"""


def test_many_calls_that_return_nothing_do_not_kill_python() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "alive", result.stderr[-500:]
