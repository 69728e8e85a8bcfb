"""Is the machine's screen showing this picture? A coarse, tolerant comparison.

Both pictures are scaled down to 64×36 in grey (text becomes texture, layout counts)
and compared pixel by pixel: the mean absolute difference (0 to 255). The same screen
drawn by the machine and offscreen differs by 0.5 at most (glyphs placed a pixel apart,
a blinking cursor); two steps of a visit differ by 1.9 or more (a choice ticked, another
page), a black screen by over 100.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

SIZE = QSize(64, 36)
SAME = 1.2
"""Below this mean difference, two pictures show the same screen."""


def small(image: QImage) -> bytes:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8).scaled(
        SIZE, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    width = SIZE.width()
    raw = bytes(grey.constBits())
    line = grey.bytesPerLine()
    return b"".join(raw[y * line : y * line + width] for y in range(SIZE.height()))


def difference(a: QImage | bytes, b: QImage | bytes) -> float:
    one = a if isinstance(a, bytes) else small(a)
    two = b if isinstance(b, bytes) else small(b)
    return sum(abs(x - y) for x, y in zip(one, two, strict=True)) / len(one)


class NotShown(TimeoutError):
    """The screen never showed the picture; `closest` is the nearest it came (what to look
    at: by the time the wait ends, the idle warning may cover the screen)."""

    def __init__(self, message: str, closest: QImage) -> None:
        super().__init__(message)
        self.closest = closest


def wait_for(
    grab: Callable[[], QImage],
    expected: Path | QImage,
    timeout: float,
    every: float = 1.0,
    same: float = SAME,
) -> tuple[float, float]:
    """Poll the screen until it shows `expected`: (seconds waited, last difference).
    TimeoutError with the closest difference seen if it never does."""
    _which, waited, found = wait_for_one_of(grab, [expected], timeout, every, same)
    return waited, found


def wait_for_one_of(
    grab: Callable[[], QImage],
    expected: Sequence[Path | QImage],
    timeout: float,
    every: float = 1.0,
    same: float = SAME,
) -> tuple[int, float, float]:
    """Poll the screen until it shows one of several pictures of a screen (a receipt
    sent or not yet): (which, seconds waited, its difference)."""
    wants = [small(one if isinstance(one, QImage) else QImage(str(one))) for one in expected]
    start = time.monotonic()
    best, closest = 255.0, QImage()
    while True:
        screen = grab()
        shown = small(screen)
        found = [difference(shown, want) for want in wants]
        which = found.index(min(found))
        if found[which] < best:
            best, closest = found[which], screen
        if found[which] < same:
            return which, time.monotonic() - start, found[which]
        if time.monotonic() - start > timeout:
            raise NotShown(f"not on the screen after {timeout:.0f} s (closest {best:.1f})", closest)
        time.sleep(every)
