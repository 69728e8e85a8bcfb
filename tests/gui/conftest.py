from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import Kiosk, KioskConfig
from kiosk.journey import Defaults
from sync.platform.local import LocalPlatform


@pytest.fixture
def kiosk(qtbot: object, tmp_path: Path, platform: LocalPlatform) -> Iterator[Kiosk]:
    """The real kiosk, with its store in tmp_path and the real reference platform."""
    config = KioskConfig(
        data_dir=tmp_path / "device",
        platform_url=platform.url,
        enrollment_token=platform.new_token("gui test kiosk"),
        defaults=Defaults(language="ko"),
        sync_every_ms=60_000,  # tests trigger sync explicitly
    )
    running = Kiosk(config)
    running.start()
    yield running
    running.close()
