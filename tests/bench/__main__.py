"""Print the benchmark table: each figure against a baseline from the same run, as medians.

python -m tests.bench [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Row:
    name: str
    value: float
    baseline: float
    baseline_name: str
    unit: str
    goal: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("nan")


def _start(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a program that prints shown_at=<epoch> on first paint; (ms to shown, peak RSS MB)."""
    started = time.time()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0 or "shown_at=" not in output:
        raise RuntimeError(f"{command} failed ({status}): {output[-500:]}")
    shown = float(output.split("shown_at=")[1].split()[0])
    return (shown - started) * 1000, usage.ru_maxrss / 1024


def startup_rows(runs: int) -> list[Row]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="ieum-bench-") as data:
        kiosk = [
            sys.executable,
            "main.py",
            "--quit-when-shown",
            "--data",
            data,
            "--platform",
            "http://127.0.0.1:9",
        ]
        bare = [sys.executable, str(Path(__file__).parent / "bare_window.py")]
        samples: dict[str, list[tuple[float, float]]] = {"kiosk": [], "bare": []}
        _start(kiosk, env)  # warm the disk cache and the store: "cold" means a new process
        _start(bare, env)
        for _ in range(runs):  # interleaved, so both see the same machine
            samples["kiosk"].append(_start(kiosk, env))
            samples["bare"].append(_start(bare, env))
    med: Callable[[str, int], float] = lambda who, i: statistics.median(s[i] for s in samples[who])  # noqa: E731
    return [
        Row(
            "cold start to welcome shown",
            med("kiosk", 0),
            med("bare", 0),
            "bare PySide6 window",
            "ms",
        ),
        Row("peak RSS at welcome", med("kiosk", 1), med("bare", 1), "bare PySide6 window", "MB"),
    ]


def print_table(rows: list[Row]) -> None:
    header = f"{'figure':<34} {'value':>10} {'baseline':>10} {'ratio':>7}  baseline is / goal"
    print(header)
    print("-" * len(header))
    for r in rows:
        note = r.baseline_name + (f" / goal {r.goal}" if r.goal else "")
        print(
            f"{r.name:<34} {r.value:>8.1f}{r.unit:<2} {r.baseline:>8.1f}{r.unit:<2} "
            f"{r.ratio:>6.2f}x  {note}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("--runs", type=int, default=7, help="samples per figure (median)")
    args = parser.parse_args()
    print(f"Ieum benchmarks: medians of {args.runs} runs, {os.cpu_count()} cores", flush=True)
    print_table(startup_rows(args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
