"""The platform's start-up heap is kept out of the garbage collector's way (tail latency)."""

from __future__ import annotations

import gc

from reference_platform.http import settle_heap


def test_settle_heap_freezes_what_start_up_made() -> None:
    made_at_start = [[n] for n in range(2000)]  # containers, as modules and pools are
    try:
        frozen = settle_heap()
        assert frozen >= len(made_at_start)
        # Frozen objects that die (a thread of the suite letting go of something) leave
        # the permanent generation: the count can only have shrunk since.
        assert len(made_at_start) <= gc.get_freeze_count() <= frozen
        walked = {id(o) for generation in (0, 1, 2) for o in gc.get_objects(generation)}
        assert id(made_at_start) not in walked
        assert not any(id(item) in walked for item in made_at_start)
    finally:
        gc.unfreeze()
