"""The benchmark table: each figure beside a baseline measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass


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
