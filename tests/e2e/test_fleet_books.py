"""The fleet benchmark's machinery on a small fleet: real kiosks, real platform, and the
books it keeps (every application once) must balance; a spoiled book must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.fleet import Kiosk
from tests.bench.fleet_run import check_books, run


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("", marks=pytest.mark.postgresql, id="postgresql")]
)
def test_a_small_fleet_delivers_everything_once(database: str) -> None:
    """ "": 2 replicas on a throwaway PostgreSQL, as `make fleet`; the kiosks in 2
    simulator processes, 2 windows at real time, the idle probe before each."""
    lines: list[str] = []
    figures = run(
        12,
        realtime=2,
        step=1,
        speeds=(20,),
        say=lines.append,
        idle_samples=3,
        pool=12,
        window=1,
        database=database,
        processes=2,
        priority="none",
    )
    assert figures["errors"] == 0, lines
    assert figures["sent"] > 0 and figures["lost"] == 0 and figures["duplicated"] == 0
    assert figures["platform_accepted_minus_sent"] == 0
    assert figures["idle_upload"] > 0 and figures["idle_status"] > 0
    assert any(line.startswith("books:") for line in lines)
    assert any("medians of 2 windows" in line for line in lines), lines
    # Both comparisons are said: against the idle median and against the idle p99.
    assert any(line.startswith("headroom, p99 <= 2x the idle median") for line in lines)
    assert any(line.startswith("headroom, p99 <= 2x the idle p99") for line in lines)
    assert figures["idle_p99_upload"] > 0 and figures["idle_p99_status"] > 0
    assert figures["like_headroom"] >= 0 and figures["headroom"] >= 0


def test_the_books_see_a_lost_and_a_duplicated_application() -> None:
    a, b = Kiosk(Path("a")), Kiosk(Path("b"))
    a.references, a.receipts = ["R1", "R2"], ["P-1", ""]
    b.references, b.receipts = ["R3"], ["P-1"]
    books = check_books([a, b], accepted=2)
    assert books["lost"] == 1 and books["duplicated"] == 1
    assert books["platform_accepted_minus_sent"] == -1
